package dev.narwhal.examples.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.servlet.ServletApp;
import dev.narwhal.test.NarwhalServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Jersey app on a real server with two workers, over HTTP, as bin/narwhal jaxrs:... runs it. */
class NotesApplicationTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(ServletApp.jaxrs(NotesApplication.class)::build).workers(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private static HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = server.request(path).header("Content-Type", "application/json").header("Accept", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return server.send(b.build());
  }

  @Test
  void a_note_is_created_read_replaced_and_deleted_as_json() throws Exception {
    HttpResponse<String> created = send("POST", "/api/notes", "{\"title\":\"Buy milk\",\"body\":\"2 litres\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode note = JSON.readTree(created.body());
    long id = note.path("id").asLong();
    assertThat(note.path("title").asText()).isEqualTo("Buy milk");
    assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/notes/" + id));
    assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");

    // several reads: whichever worker answers, the store is the process's
    for (int i = 0; i < 4; i++) {
      assertThat(JSON.readTree(send("GET", "/api/notes/" + id, null).body()).path("body").asText()).isEqualTo("2 litres");
    }
    HttpResponse<String> replaced = send("PUT", "/api/notes/" + id, "{\"title\":\"Buy oat milk\"}");
    assertThat(JSON.readTree(replaced.body()).path("title").asText()).isEqualTo("Buy oat milk");
    assertThat(send("GET", "/api/notes", null).body()).contains("Buy oat milk");

    assertThat(send("DELETE", "/api/notes/" + id, null).statusCode()).isEqualTo(204);
    assertThat(send("GET", "/api/notes/" + id, null).statusCode()).isEqualTo(404);
  }

  @Test
  void invalid_input_is_answered_400_with_the_field_and_the_reason() throws Exception {
    HttpResponse<String> blank = send("POST", "/api/notes", "{\"title\":\"  \"}");
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(blank.body()).path("field").asText()).isEqualTo("title");
    assertThat(JSON.readTree(blank.body()).path("error").asText()).isEqualTo("title is required");

    HttpResponse<String> tooLong = send("POST", "/api/notes", "{\"title\":\"" + "x".repeat(201) + "\"}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("longer than 200");
  }

  @Test
  void malformed_json_is_a_400_and_an_unknown_path_a_404() throws Exception {
    assertThat(send("POST", "/api/notes", "{not json").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/nothing", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/outside-the-application-path", null).statusCode()).isEqualTo(404);
  }
}
