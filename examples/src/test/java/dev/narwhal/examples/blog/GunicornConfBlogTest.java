package dev.narwhal.examples.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Server;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blog served with the Gunicorn configuration guide's gunicorn.conf.py, read as it is. */
class GunicornConfBlogTest {
  /** The guide's file, verbatim (framework's test fixture). */
  static final Path GUIDE = Path.of("..", "framework", "src", "test", "resources", "gunicorn", "guide.gunicorn.conf.py");

  @TempDir
  Path dir;

  @Test
  void the_blog_serves_with_the_guides_gunicorn_conf_py() throws Exception {
    ServerConfig guide = ServerConfig.load(GUIDE);
    assertThat(guide.get(Settings.PRELOAD_APP)).isTrue();
    assertThat(guide.workers()).isEqualTo(2 * Runtime.getRuntime().availableProcessors() + 1);
    // its 0.0.0.0:8000 would be a fixed port: a test binds a free one on loopback, with no admin API
    ServerConfig config = guide.withBinds(List.of(new BindAddress("127.0.0.1", 0)))
        .with(Settings.ADMIN_BIND, Optional.empty());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (Server server = Server.start(config, () -> new BlogApp(BlogConfig.in(dir)))) {
      HttpResponse<String> front = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(front.statusCode()).isEqualTo(200);
      assertThat(front.body()).contains("Hello from Narwhal");
    }
  }
}
