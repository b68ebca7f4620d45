package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blog as the README runs it: bin/narwhal, 5 workers, its database under BLOG_DATA_DIR. */
class BlogIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  NarwhalProcess serveBlog(String... args) throws Exception {
    Map<String, String> env = Map.of("BLOG_DATA_DIR", tmp.resolve("data").toString());
    return NarwhalProcess.serve(tmp.resolve("out.log"), env, args).awaitReady();
  }

  static HttpResponse<String> postForm(NarwhalProcess n, String path, String form) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(WAIT).build();
    return n.client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** What a user of the README sees: the seeded posts, a new post listed, a healthy database, a clean stop. */
  void servesTheBlog(NarwhalProcess n) throws Exception {
    HttpResponse<String> front = n.get("/");
    assertThat(front.statusCode()).isEqualTo(200);
    assertThat(front.body()).contains("Hello from Narwhal", "Why idle workers pull");

    HttpResponse<String> created = postForm(n, "/posts", "title=From+the+launcher&body=Posted+through+the+form");
    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(n.get("/").body()).contains("From the launcher");
    assertThat(n.get(created.headers().firstValue("Location").orElseThrow()).body())
        .contains("Posted through the form");

    HttpResponse<String> health = n.get("/health/");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\": \"healthy\"}");
    assertThat(tmp.resolve("data/blog.db")).isRegularFile();

    n.signal("TERM");
    assertThat(n.exitStatus(WAIT)).isZero();
    assertThat(n.output()).doesNotContain("[ERROR]");
  }

  @Test
  void bin_narwhal_blog_with_5_workers_serves_the_seeded_posts_and_a_post_made_through_the_form() throws Exception {
    try (NarwhalProcess n = serveBlog("-w", "5", "blog")) {
      assertThat(n.output()).contains("All 5 workers booted", "(preload-app off)");
      servesTheBlog(n);
    }
  }

  @Test
  void the_blog_runs_preloaded_with_the_production_lifecycle_settings() throws Exception {
    // the knobs of the production profile that change how the app is held: one shared instance,
    // recycling with jitter, a long timeout
    try (NarwhalProcess n = serveBlog("-w", "5", "--preload", "--max-requests", "1000",
        "--max-requests-jitter", "50", "--timeout", "120s", "--graceful-timeout", "30s", "blog")) {
      assertThat(n.output()).contains("(preload-app on)").containsOnlyOnce("Blog database");
      servesTheBlog(n);
    }
  }
}
