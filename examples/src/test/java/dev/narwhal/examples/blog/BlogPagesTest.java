package dev.narwhal.examples.blog;

import static dev.narwhal.examples.blog.Requests.form;
import static dev.narwhal.examples.blog.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import dev.narwhal.Response;
import org.junit.jupiter.api.Test;

/** The HTML side, calling the handler directly: pages, forms, POST-redirect-GET, problems shown again. */
class BlogPagesTest extends BlogAppFixture {
  @Test
  void a_new_database_is_created_and_the_front_page_lists_the_seeded_posts() {
    Response page = send(get("/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.header("Content-Type")).hasValue("text/html; charset=UTF-8");
    assertThat(page.bodyAsString()).contains("Hello from Narwhal", "SQLite in WAL mode", "Page 1 of 1",
        "href=\"/static/blog.css\"");
    assertThat(dir.resolve("blog.db")).isRegularFile();
  }

  @Test
  void seeding_happens_once_per_database_not_once_per_start() throws Exception {
    app.onStop();
    app = new BlogApp(BlogConfig.in(dir));
    app.onStart();
    assertThat(send(get("/")).bodyAsString().split("class=\"post-summary\"", -1)).hasSize(4 + 1);
  }

  @Test
  void a_form_post_creates_the_post_and_redirects_to_it_with_303() {
    Response created = send(form("/posts", "title", "Forms & friends", "body", "First paragraph.\n\nSecond one."));
    assertThat(created.statusCode()).isEqualTo(303);
    String location = created.header("Location").orElseThrow();
    assertThat(location).matches("/posts/\\d+");

    Response shown = send(get(location));
    assertThat(shown.statusCode()).isEqualTo(200);
    assertThat(shown.bodyAsString()).contains("<h1>Forms &amp; friends</h1>", "<p>First paragraph.</p>",
        "<p>Second one.</p>");
    assertThat(send(get("/")).bodyAsString()).contains("Forms &amp; friends");
  }

  @Test
  void a_form_without_a_title_is_shown_again_with_422_the_problem_and_the_text_as_typed() {
    Response refused = send(form("/posts", "title", "   ", "body", "Keep this text"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("title is required", "Keep this text", "action=\"/posts\"");
    assertThat(send(get("/")).bodyAsString()).doesNotContain("Keep this text");
  }

  @Test
  void a_form_with_an_oversized_body_field_is_refused_with_422() {
    Response refused = send(form("/posts", "title", "Long", "body", "x".repeat(PostInput.MAX_BODY + 1)));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("body must be at most 20000 characters");
  }

  @Test
  void a_request_body_over_the_limit_is_refused_with_413_before_it_is_parsed() {
    Response refused = send(form("/posts", "title", "Huge", "body", "x".repeat(Validation.MAX_REQUEST_BYTES)));
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.bodyAsString()).contains("413 Content Too Large", "request body too large");
  }

  @Test
  void a_post_that_is_not_a_form_is_refused_with_415() {
    Response refused = send(Requests.json("POST", "/posts", "{\"title\":\"x\"}"));
    assertThat(refused.statusCode()).isEqualTo(415);
    assertThat(refused.bodyAsString()).contains("application/x-www-form-urlencoded");
  }

  @Test
  void the_edit_form_is_prefilled_and_saving_it_updates_the_post() {
    String location = send(form("/posts", "title", "Draft", "body", "Old text")).header("Location").orElseThrow();
    assertThat(send(get(location + "/edit")).bodyAsString()).contains("value=\"Draft\"", "Old text");

    Response saved = send(form(location + "/edit", "title", "Final", "body", "New text"));
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(saved.header("Location")).hasValue(location);
    assertThat(send(get(location)).bodyAsString()).contains("<h1>Final</h1>", "New text")
        .doesNotContain("Old text");
  }

  @Test
  void deleting_a_post_redirects_to_the_list_and_the_post_is_gone() {
    String location = send(form("/posts", "title", "Short-lived", "body", "Bye")).header("Location").orElseThrow();
    Response deleted = send(form(location + "/delete"));
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(deleted.header("Location")).hasValue("/");
    assertThat(send(get(location)).statusCode()).isEqualTo(404);
    assertThat(send(get("/")).bodyAsString()).doesNotContain("Short-lived");
  }

  @Test
  void a_comment_is_added_through_its_form_and_a_nameless_one_is_refused_with_422() {
    String location = send(form("/posts", "title", "Discuss", "body", "Thoughts?")).header("Location").orElseThrow();
    Response added = send(form(location + "/comments", "author", "Grace", "body", "Nice <b>post</b>"));
    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(added.header("Location")).hasValue(location + "#comments");
    assertThat(send(get(location)).bodyAsString()).contains("Comments (1)", "Grace", "Nice &lt;b&gt;post&lt;/b&gt;");

    Response refused = send(form(location + "/comments", "author", "", "body", "Anonymous"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).contains("author is required", "Anonymous", "Comments (1)");
  }

  @Test
  void markup_in_a_title_is_shown_as_text_never_run() {
    String location = send(form("/posts", "title", "<script>alert(1)</script>", "body", "x")).header("Location")
        .orElseThrow();
    assertThat(send(get(location)).bodyAsString()).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>alert(1)");
  }

  @Test
  void the_list_is_paginated_newest_first_and_a_page_past_the_end_is_404() {
    for (int i = 1; i <= 17; i++) {
      send(form("/posts", "title", "Post number " + i, "body", "Body " + i));
    }
    String first = send(get("/")).bodyAsString();
    assertThat(first).contains("Post number 17", "Page 1 of 3", "?page=2").doesNotContain("Post number 7<");
    assertThat(first.indexOf("Post number 17")).isLessThan(first.indexOf("Post number 16"));
    assertThat(send(get("/?page=3")).bodyAsString()).contains("Hello from Narwhal", "?page=2");
    assertThat(send(get("/?page=4")).statusCode()).isEqualTo(404);
  }

  @Test
  void a_page_number_that_is_not_a_positive_number_is_400() {
    assertThat(send(get("/?page=abc")).statusCode()).isEqualTo(400);
    assertThat(send(get("/?page=0")).statusCode()).isEqualTo(400);
  }

  @Test
  void an_unknown_post_or_path_is_a_404_page_and_a_wrong_method_a_405_with_allow() {
    Response missing = send(get("/posts/999999"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsString()).contains("404 Not Found", "there is no post 999999");
    assertThat(send(get("/posts/abc")).statusCode()).isEqualTo(404);
    assertThat(send(get("/posts/99999999999999999999999")).statusCode()).isEqualTo(404);
    assertThat(send(form("/posts/999999/edit", "title", "t", "body", "b")).statusCode()).isEqualTo(404);
    assertThat(send(form("/posts/999999/delete")).statusCode()).isEqualTo(404);
    assertThat(send(form("/posts/999999/comments", "author", "a", "body", "b")).statusCode()).isEqualTo(404);

    Response wrongMethod = send(Request.builder("DELETE", "/posts/1").build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).hasValue("GET");
  }

  @Test
  void an_html_route_answers_errors_as_json_when_the_client_accepts_json() {
    Response missing = send(Requests.getJson("/posts/999999"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).hasValue("application/json");
    assertThat(missing.bodyAsString()).contains("\"error\":\"there is no post 999999\"");
  }

  @Test
  void health_answers_503_unhealthy_without_the_database_path_or_the_error_text() throws Exception {
    DatabaseTest.replaceWithDirectory(dir.resolve("blog.db"));
    Response replaced = send(get("/health/"));
    assertThat(replaced.statusCode()).isEqualTo(503);
    assertThat(replaced.bodyAsString()).isEqualTo("{\"status\": \"unhealthy\"}");

    app.onStop(); // a closed pool: the reason would quote the pool's and SQLite's own messages
    assertThat(send(get("/health/")).bodyAsString()).isEqualTo("{\"status\": \"unhealthy\"}");
  }

  @Test
  void the_stylesheet_is_served_by_the_app() {
    Response css = send(get("/static/blog.css"));
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.header("Content-Type")).hasValue("text/css; charset=UTF-8");
    assertThat(css.bodyAsString()).contains(".post-summary");
  }
}
