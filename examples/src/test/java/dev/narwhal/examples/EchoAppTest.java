package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.Request;
import dev.narwhal.Response;
import org.junit.jupiter.api.Test;

class EchoAppTest {
  @Test
  void echoes_the_request_in_the_conformance_contract_shape() throws Exception {
    Request request = Request.builder("POST", "/a/b").query("x=1").header("Host", "example.com")
        .header("X-A", "1").header("X-A", "2").body("hello").build();

    Response response = new EchoApp().handle(request);

    JsonNode echo = new ObjectMapper().readTree(response.bodyAsString());
    assertThat(response.header("Content-Type")).contains("application/json");
    assertThat(echo.get("method").asText()).isEqualTo("POST");
    assertThat(echo.get("path").asText()).isEqualTo("/a/b");
    assertThat(echo.get("query").asText()).isEqualTo("x=1");
    assertThat(echo.get("version").asText()).isEqualTo("HTTP/1.1");
    assertThat(echo.get("headers").toString()).isEqualTo("[[\"Host\",\"example.com\"],[\"X-A\",\"1\"],[\"X-A\",\"2\"]]");
    assertThat(echo.get("body_b64").asText()).isEqualTo("aGVsbG8=");
  }
}
