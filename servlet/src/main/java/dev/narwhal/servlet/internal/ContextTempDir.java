package dev.narwhal.servlet.internal;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * INTERNAL API. The private temporary directory a servlet container must give each web app
 * (Servlet 6, section 4.8.1), as the {@code jakarta.servlet.context.tempdir} attribute: where
 * Spring's multipart support, JSP engines and libraries written for Tomcat put their files. One per
 * worker's web app (each has its own context), under {@code java.io.tmpdir}, deleted when it stops.
 */
final class ContextTempDir {
  private ContextTempDir() {}

  /** Makes the directory and sets the attribute on {@code context}. */
  static Path create(ServletContext context) {
    try {
      Path dir = Files.createTempDirectory("narwhal-webapp-");
      context.setAttribute(ServletContext.TEMPDIR, dir.toFile());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the web app's temporary directory", e);
    }
  }

  /** Deletes {@code dir} and what the application left in it; what cannot be deleted is left. */
  static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException gone) {
      // already gone, or unreadable: the system's tmp cleaning has the rest
    }
  }
}
