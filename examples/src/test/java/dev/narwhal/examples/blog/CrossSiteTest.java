package dev.narwhal.examples.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.test.NarwhalServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-site request forgery, over real HTTP: a page on another site makes the visitor's browser
 * post the blog's forms. Browsers mark such a post with {@code Sec-Fetch-Site} and {@code Origin};
 * the blog refuses it with 403 and changes nothing, while its own pages and plain clients write.
 */
class CrossSiteTest {
  @TempDir
  Path dir;

  @RegisterExtension
  final NarwhalServer server = NarwhalServer.of(() -> new BlogApp(BlogConfig.in(dir)))
      .workers(1).setting("metrics", false);
  String origin;

  @BeforeEach
  void origin() {
    origin = server.uri().toString();
  }

  @Test
  void a_cross_site_delete_form_post_is_refused_with_403_and_the_post_stays() throws Exception {
    String post = createPost("Keep me");
    for (String[] header : List.of(
        new String[] {"Origin", "http://evil.example"},
        new String[] {"Sec-Fetch-Site", "cross-site"},
        new String[] {"Sec-Fetch-Site", "same-site"},
        new String[] {"Origin", "null"},
        new String[] {"Origin", "https://127.0.0.1:" + server.port()})) {
      HttpResponse<String> refused = send(form(post + "/delete", "").header(header[0], header[1]));
      assertThat(refused.statusCode()).as("%s: %s", header[0], header[1]).isEqualTo(403);
      assertThat(refused.body()).contains("403 Forbidden", "from another site");
    }
    assertThat(send(get(post)).statusCode()).isEqualTo(200);
  }

  @Test
  void cross_site_create_and_edit_form_posts_change_nothing() throws Exception {
    String post = createPost("Original");
    HttpResponse<String> edit = send(form(post + "/edit", "title=Defaced&body=x").header("Origin", "http://evil.example"));
    HttpResponse<String> create = send(form("/posts", "title=Spam&body=x").header("Sec-Fetch-Site", "cross-site"));
    HttpResponse<String> comment = send(form(post + "/comments", "author=bot&body=spam")
        .header("Sec-Fetch-Site", "cross-site").header("Origin", "http://evil.example"));

    assertThat(List.of(edit.statusCode(), create.statusCode(), comment.statusCode())).containsOnly(403);
    String page = send(get(post)).body();
    assertThat(page).contains("Original").doesNotContain("Defaced", "spam");
    assertThat(send(get("/")).body()).doesNotContain("Spam");
  }

  @Test
  void the_blogs_own_pages_an_older_browser_and_a_client_without_either_header_can_write() throws Exception {
    String browser = createPost("By a browser");
    HttpResponse<String> deleted = send(form(browser + "/delete", "")
        .header("Sec-Fetch-Site", "same-origin").header("Origin", origin));
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(send(get(browser)).statusCode()).isEqualTo(404);

    String older = createPost("By an older browser");
    assertThat(send(form(older + "/delete", "").header("Origin", origin)).statusCode()).isEqualTo(303);

    String curl = createPost("By curl");
    assertThat(send(form(curl + "/delete", "")).statusCode()).isEqualTo(303);
    assertThat(send(form("/posts", "title=Typed&body=x").header("Sec-Fetch-Site", "none")).statusCode()).isEqualTo(303);
  }

  @Test
  void behind_a_trusted_tls_proxy_the_https_origin_is_the_blogs_own() throws Exception {
    String post = createPost("Proxied");
    // the test client is 127.0.0.1, in forwarded-allow-ips by default: its X-Forwarded-Proto counts
    HttpResponse<String> deleted = send(form(post + "/delete", "")
        .header("X-Forwarded-Proto", "https").header("Origin", "https://127.0.0.1:" + server.port()));
    assertThat(deleted.statusCode()).isEqualTo(303);
  }

  @Test
  void the_json_api_refuses_what_a_cross_site_html_form_can_send_with_415() throws Exception {
    // a form can only send these three types, and none of them is JSON, so it cannot reach the API
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      HttpResponse<String> refused = send(request("/api/posts").header("Content-Type", type)
          .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Spam\", \"body\": \"x\"}")));
      assertThat(refused.statusCode()).as(type).isEqualTo(415);
    }
    assertThat(send(get("/")).body()).doesNotContain("Spam");
  }

  /** Creates a post through the JSON API and answers its page's path. */
  private String createPost(String title) throws Exception {
    HttpResponse<String> created = send(request("/api/posts").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\", \"body\": \"text\"}")));
    assertThat(created.statusCode()).isEqualTo(201);
    return created.headers().firstValue("Location").orElseThrow().replace("/api", "");
  }

  private HttpRequest.Builder request(String path) {
    return server.request(path);
  }

  private HttpRequest.Builder get(String path) {
    return request(path);
  }

  private HttpRequest.Builder form(String path, String body) {
    return request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return server.send(request.build());
  }
}
