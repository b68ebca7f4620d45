package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Request;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChaosAppTest {
  final ChaosApp app = new ChaosApp();

  static Request get(String path, String query) {
    return Request.builder("GET", path).query(query).build();
  }

  @Test
  void sleep_blocks_for_the_given_milliseconds() throws Exception {
    long start = System.nanoTime();
    assertThat(app.handle(get("/sleep", "ms=50")).statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(50);
  }

  @Test
  void boom_throws() {
    assertThatThrownBy(() -> app.handle(get("/boom", ""))).hasMessageContaining("boom");
  }

  @Test
  void status_answers_with_the_requested_code() throws Exception {
    assertThat(app.handle(get("/status/418", "")).statusCode()).isEqualTo(418);
  }

  @Test
  void alloc_allocates_the_given_mebibytes_and_keeps_none() throws Exception {
    assertThat(app.handle(get("/alloc", "mb=3")).bodyAsString()).isEqualTo("allocated 3 MiB\n");
  }

  @Test
  void bytes_answers_exactly_n_bytes_of_a_repeating_pattern() throws Exception {
    byte[] body = app.handle(get("/bytes", "n=30")).body();
    assertThat(body).hasSize(30);
    assertThat(new String(body, StandardCharsets.US_ASCII)).startsWith("abcdefghijklmnopqrstuvwxyzabcd");
  }

  @Test
  void upload_answers_how_many_body_bytes_it_received() throws Exception {
    Request upload = Request.builder("POST", "/upload").body(new byte[12345]).build();
    assertThat(app.handle(upload).bodyAsString()).isEqualTo("received 12345 bytes\n");
  }

  @Test
  void hang_ignores_interrupts() throws Exception {
    Thread t = new Thread(() -> {
      try {
        app.handle(get("/hang", ""));
      } catch (Exception ignored) {
        // never reached
      }
    });
    t.setDaemon(true);
    t.start();
    t.interrupt();
    t.join(200);
    assertThat(t.isAlive()).isTrue();
  }
}
