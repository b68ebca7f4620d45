package dev.narwhal.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.test.NarwhalServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Spring MVC app on a real server with two workers, over HTTP. */
class SpringAppTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(SpringApp::new).workers(2);

  @Test
  void the_rest_controller_answers_json() throws Exception {
    HttpResponse<String> r = server.get("/greetings/Ann?salutation=Hi");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).contains("\"text\":\"Hi, Ann!\"");
  }

  @Test
  void bad_input_is_a_400_and_an_unknown_path_a_404() throws Exception {
    assertThat(server.get("/greetings/" + "x".repeat(41)).statusCode()).isEqualTo(400);
    assertThat(server.get("/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void a_plain_text_endpoint_answers_text() throws Exception {
    HttpResponse<String> r = server.get("/ping");
    assertThat(r.body()).isEqualTo("pong");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
  }
}
