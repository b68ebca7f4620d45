package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blog as the README runs it: bin/narwhal, 5 workers, its database under BLOG_DATA_DIR. One run
 * through the real launcher proves the alias, the environment and the shaded jar (templates,
 * stylesheet, SQLite's native library); BlogServerTest covers preload-app on and off in-process,
 * where a server starts in a fraction of the time.
 */
class BlogIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  static HttpResponse<String> postForm(NarwhalProcess n, String path, String form) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(WAIT).build();
    return n.client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bin_narwhal_blog_with_5_workers_serves_the_seeded_posts_and_a_post_made_through_the_form() throws Exception {
    Map<String, String> env = Map.of("BLOG_DATA_DIR", tmp.resolve("data").toString());
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), env, "-w", "5", "blog").awaitReady()) {
      assertThat(n.output()).contains("All 5 workers booted", "(preload-app off)");

      HttpResponse<String> front = n.get("/");
      assertThat(front.statusCode()).isEqualTo(200);
      assertThat(front.body()).contains("Hello from Narwhal", "Why idle workers pull");
      assertThat(n.get("/static/blog.css").statusCode()).isEqualTo(200);

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
  }
}
