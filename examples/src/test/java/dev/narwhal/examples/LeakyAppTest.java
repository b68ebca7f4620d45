package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.test.NarwhalServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** bench/heap's leaking app: what each request keeps, per worker. */
class LeakyAppTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(LeakyApp::new).workers(1);

  @Test
  void every_request_keeps_what_it_asked_for_in_its_worker() throws Exception {
    HttpResponse<String> first = server.get("/?kb=4");
    HttpResponse<String> second = server.get("/?kb=4");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.body()).startsWith("kept 4 KiB, ").endsWith(" KiB in this worker\n");
    long before = Long.parseLong(first.body().replaceAll(".*, (\\d+) KiB in.*\\n", "$1"));
    long after = Long.parseLong(second.body().replaceAll(".*, (\\d+) KiB in.*\\n", "$1"));
    assertThat(after - before).isEqualTo(4);
  }

  @Test
  void a_parameter_is_its_default_when_absent_or_unreadable_and_clamped_otherwise() {
    assertThat(LeakyApp.parameter(null, "kb", 1, 1024)).isEqualTo(1);
    assertThat(LeakyApp.parameter("a=b", "kb", 1, 1024)).isEqualTo(1);
    assertThat(LeakyApp.parameter("a=b&kb=16", "kb", 1, 1024)).isEqualTo(16);
    assertThat(LeakyApp.parameter("kb=x", "kb", 1, 1024)).isEqualTo(1);
    assertThat(LeakyApp.parameter("kb=99999&ms=3", "kb", 1, 1024)).isEqualTo(1024);
    assertThat(LeakyApp.parameter("kb=99999&ms=3", "ms", 0, 1000)).isEqualTo(3);
  }
}
