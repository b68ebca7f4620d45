package dev.narwhal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Instant;

/** The admin API read the way tests in every module need it: /stats as JSON, /metrics as samples. */
public final class AdminProbe {
  public static final ObjectMapper JSON = new ObjectMapper();

  private AdminProbe() {}

  public static JsonNode stats(TestServer t) throws Exception {
    HttpResponse<String> response = t.adminGet("/stats");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  /** Asserts the field exists and has the JSON type; returns it. */
  public static JsonNode field(JsonNode parent, String name, String type) {
    JsonNode node = parent.get(name);
    assertThat(node).as("field %s", name).isNotNull();
    switch (type) {
      case "string" -> assertThat(node.isTextual()).as("%s is a string", name).isTrue();
      case "int" -> assertThat(node.isIntegralNumber()).as("%s is an integer", name).isTrue();
      case "object" -> assertThat(node.isObject()).as("%s is an object", name).isTrue();
      case "array" -> assertThat(node.isArray()).as("%s is an array", name).isTrue();
      case "instant" -> {
        assertThat(node.isTextual()).as("%s is a string", name).isTrue();
        assertThat(Instant.parse(node.asText())).as("%s is an ISO-8601 instant", name).isNotNull();
      }
      default -> throw new IllegalArgumentException(type);
    }
    return node;
  }

  public static PrometheusText scrape(TestServer t) throws Exception {
    HttpResponse<String> response = t.adminGet("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return new PrometheusText(response.body());
  }
}
