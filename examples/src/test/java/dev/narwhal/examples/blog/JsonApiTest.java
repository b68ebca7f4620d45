package dev.narwhal.examples.blog;

import static dev.narwhal.examples.blog.Requests.get;
import static dev.narwhal.examples.blog.Requests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.Request;
import dev.narwhal.Response;
import org.junit.jupiter.api.Test;

/** The JSON API, calling the handler directly: every operation, and every way to get it wrong. */
class JsonApiTest extends BlogAppFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode body(Response response) throws Exception {
    assertThat(response.header("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.bodyAsString());
  }

  long create(String title) throws Exception {
    Response created = send(json("POST", "/api/posts", "{\"title\": \"" + title + "\", \"body\": \"Text\"}"));
    assertThat(created.statusCode()).isEqualTo(201);
    return body(created).get("id").asLong();
  }

  @Test
  void posting_json_creates_a_post_with_201_and_its_location() throws Exception {
    Response created = send(json("POST", "/api/posts", "{\"title\": \"Via the API\", \"body\": \"Hello\"}"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode post = body(created);
    assertThat(created.header("Location")).hasValue("/api/posts/" + post.get("id").asLong());
    assertThat(post.get("title").asText()).isEqualTo("Via the API");
    assertThat(post.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    JsonNode fetched = body(send(get(created.header("Location").orElseThrow())));
    assertThat(fetched.get("body").asText()).isEqualTo("Hello");
    assertThat(fetched.get("comments").isArray()).isTrue();
  }

  @Test
  void the_list_is_paginated_newest_first_with_totals() throws Exception {
    for (int i = 0; i < 12; i++) {
      create("Api post " + i);
    }
    JsonNode first = body(send(get("/api/posts")));
    assertThat(first.get("page").asInt()).isEqualTo(1);
    assertThat(first.get("pages").asInt()).isEqualTo(2);
    assertThat(first.get("total").asInt()).isEqualTo(16);
    assertThat(first.get("posts")).hasSize(PostRepository.PAGE_SIZE);
    assertThat(first.get("posts").get(0).get("title").asText()).isEqualTo("Api post 11");
    assertThat(body(send(get("/api/posts?page=2"))).get("posts")).hasSize(6);
    assertThat(send(get("/api/posts?page=3")).statusCode()).isEqualTo(404);
  }

  @Test
  void put_replaces_a_post_and_delete_removes_it_with_its_comments() throws Exception {
    long id = create("Before");
    Response updated = send(json("PUT", "/api/posts/" + id, "{\"title\": \"After\", \"body\": \"Changed\"}"));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(body(updated).get("title").asText()).isEqualTo("After");

    assertThat(send(json("POST", "/api/posts/" + id + "/comments", "{\"author\": \"Linus\", \"body\": \"+1\"}"))
        .statusCode()).isEqualTo(201);
    Response deleted = send(Request.builder("DELETE", "/api/posts/" + id).build());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.bodyAsString()).isEmpty();
    assertThat(send(get("/api/posts/" + id)).statusCode()).isEqualTo(404);
    assertThat(send(get("/api/posts/" + id + "/comments")).statusCode()).isEqualTo(404);
  }

  @Test
  void comments_are_added_and_listed_oldest_first() throws Exception {
    long id = create("Talk");
    send(json("POST", "/api/posts/" + id + "/comments", "{\"author\": \"A\", \"body\": \"first\"}"));
    send(json("POST", "/api/posts/" + id + "/comments", "{\"author\": \"B\", \"body\": \"second\"}"));
    JsonNode comments = body(send(get("/api/posts/" + id + "/comments")));
    assertThat(comments).hasSize(2);
    assertThat(comments.get(0).get("body").asText()).isEqualTo("first");
    assertThat(comments.get(1).get("post_id").asLong()).isEqualTo(id);
  }

  @Test
  void a_missing_title_is_422_naming_the_field() throws Exception {
    Response refused = send(json("POST", "/api/posts", "{\"body\": \"no title\"}"));
    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode error = body(refused);
    assertThat(error.get("error").asText()).isEqualTo("title is required");
    assertThat(error.get("fields").get("title").asText()).isEqualTo("title is required");
    assertThat(error.get("status").asInt()).isEqualTo(422);
  }

  @Test
  void a_title_that_is_not_a_string_is_422() throws Exception {
    Response refused = send(json("POST", "/api/posts", "{\"title\": 42, \"body\": \"x\"}"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(body(refused).get("error").asText()).isEqualTo("title must be a string");
  }

  @Test
  void an_oversized_post_body_is_422_and_an_oversized_request_413() throws Exception {
    String longBody = "x".repeat(PostInput.MAX_BODY + 1);
    Response tooLong = send(json("POST", "/api/posts", "{\"title\": \"t\", \"body\": \"" + longBody + "\"}"));
    assertThat(tooLong.statusCode()).isEqualTo(422);
    assertThat(body(tooLong).get("fields").get("body").asText()).isEqualTo("body must be at most 20000 characters");

    String huge = "x".repeat(Validation.MAX_REQUEST_BYTES);
    Response tooLarge = send(json("POST", "/api/posts", "{\"title\": \"t\", \"body\": \"" + huge + "\"}"));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(body(tooLarge).get("error").asText()).startsWith("request body too large");
  }

  @Test
  void malformed_json_is_400_saying_where() throws Exception {
    Response refused = send(json("POST", "/api/posts", "{\"title\": \"t\", "));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(body(refused).get("error").asText()).startsWith("malformed JSON at line 1, column");

    Response unclosed = send(json("POST", "/api/posts", "{\"title\": \"t\""));
    assertThat(body(unclosed).get("error").asText())
        .isEqualTo("malformed JSON at line 1, column 14: Unexpected end-of-input: expected close marker for Object");
  }

  @Test
  void json_that_is_not_one_object_is_400() throws Exception {
    assertThat(send(json("POST", "/api/posts", "[1, 2]")).statusCode()).isEqualTo(400);
    assertThat(send(json("POST", "/api/posts", "")).statusCode()).isEqualTo(400);
    assertThat(send(json("POST", "/api/posts", "{\"title\": \"a\", \"body\": \"b\"} {}")).statusCode()).isEqualTo(400);
    assertThat(send(json("POST", "/api/posts", "{\"title\": \"a\", \"title\": \"b\", \"body\": \"c\"}")).statusCode())
        .isEqualTo(400);
  }

  @Test
  void a_body_that_is_not_declared_as_json_is_415() throws Exception {
    Request form = Requests.form("/api/posts", "title", "t", "body", "b");
    Response refused = send(form);
    assertThat(refused.statusCode()).isEqualTo(415);
    assertThat(body(refused).get("error").asText()).contains("application/json");
  }

  @Test
  void an_unknown_post_id_is_404_for_every_operation() throws Exception {
    String body = "{\"title\": \"t\", \"body\": \"b\"}";
    for (Request request : new Request[] {
        get("/api/posts/424242"),
        json("PUT", "/api/posts/424242", body),
        Request.builder("DELETE", "/api/posts/424242").build(),
        get("/api/posts/424242/comments"),
        json("POST", "/api/posts/424242/comments", "{\"author\": \"a\", \"body\": \"b\"}")}) {
      Response response = send(request);
      assertThat(response.statusCode()).as(request.toString()).isEqualTo(404);
      assertThat(body(response).get("error").asText()).isEqualTo("there is no post 424242");
    }
  }

  @Test
  void an_unknown_api_path_and_a_wrong_method_are_json_errors() throws Exception {
    assertThat(body(send(get("/api/nothing"))).get("status").asInt()).isEqualTo(404);
    Response wrongMethod = send(json("PATCH", "/api/posts/1", "{}"));
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).hasValue("GET, PUT, DELETE");
    assertThat(body(wrongMethod).get("error").asText()).contains("PATCH is not allowed");
  }
}
