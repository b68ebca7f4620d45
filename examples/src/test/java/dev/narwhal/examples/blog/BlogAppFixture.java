package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import dev.narwhal.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A started BlogApp on a fresh database per test, called directly without a server. */
abstract class BlogAppFixture {
  @TempDir
  Path dir;
  BlogApp app;

  @BeforeEach
  void start() throws Exception {
    app = new BlogApp(BlogConfig.in(dir));
    app.onStart();
  }

  @AfterEach
  void stop() {
    app.onStop();
  }

  Response send(Request request) {
    return app.handle(request);
  }
}
