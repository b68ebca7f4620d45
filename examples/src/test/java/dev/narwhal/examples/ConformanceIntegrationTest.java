package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.Application;
import dev.narwhal.Server;
import dev.narwhal.examples.servlet.EchoServlet;
import dev.narwhal.servlet.ServletApp;
import dev.narwhal.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shared HTTP/1.1 conformance suite ({@code shared/conformance/run.py}, next to the project
 * root, or the directory named by {@code NARWHAL_CONFORMANCE_DIR}) against the echo app, graded by
 * RFC 9110/9112. Skipped when the suite or python3 is not there.
 *
 * <p>The floor is exact: the suite is deterministic (one fresh connection per case, run in order),
 * so any drop is a regression. The one case still failing is
 * {@code valid/rfc9110_body_framing_get_cl_zero_01}: Pekko turns {@code Content-Length: 0} into
 * the same empty entity as no Content-Length, so the echo cannot report it.
 */
class ConformanceIntegrationTest {
  /** Cases passed with {@code --rfc} (of 116 run; 21 need gunicorn-only settings and are skipped). */
  private static final int RFC_PASS_FLOOR = 115;
  private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(5);

  @Test
  void the_echo_app_passes_the_rfc_graded_suite(@TempDir Path work) throws Exception {
    JsonNode summary = runAgainst(EchoApp::new, work);

    assertThat(summary.path("passed").asInt())
        .as("passed cases; failures:%n%s", failures(summary))
        .isGreaterThanOrEqualTo(RFC_PASS_FLOOR);
  }

  /**
   * The servlet bridge adds no parsing of its own: a servlet echo gets the same grades, case by
   * case, as the native one.
   */
  @Test
  void the_servlet_echo_gets_the_same_grades_as_the_native_echo(@TempDir Path work) throws Exception {
    JsonNode nativeEcho = runAgainst(EchoApp::new, work.resolve("native"));
    JsonNode servletEcho = runAgainst(
        () -> ServletApp.builder().servlet("echo", EchoServlet.class, "/").build(), work.resolve("servlet"));

    assertThat(servletEcho.path("passed").asInt()).as("servlet echo failures:%n%s", failures(servletEcho))
        .isEqualTo(nativeEcho.path("passed").asInt());
    assertThat(failures(servletEcho)).isEqualTo(failures(nativeEcho));
  }

  private static JsonNode runAgainst(Supplier<? extends Application> app, Path work) throws Exception {
    Path runner = suite().orElse(null);
    assumeTrue(runner != null, "conformance suite not found (set NARWHAL_CONFORMANCE_DIR)");
    assumeTrue(python3Available(), "python3 not available");
    Files.createDirectories(work);
    Server server = Server.create(app, ServerConfig.of(Map.of("bind", "127.0.0.1:0", "workers", 2,
        "admin-bind", "off", "metrics", false))).start();
    try {
      return run(runner, server.port(), work);
    } finally {
      server.stop(Duration.ZERO).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Optional<Path> suite() {
    String dir = System.getenv("NARWHAL_CONFORMANCE_DIR");
    // the working directory is the module (examples/); the suite sits beside the project root
    Path script = dir != null && !dir.isBlank()
        ? Path.of(dir, "run.py")
        : Path.of("..", "..", "shared", "conformance", "run.py");
    return Files.isRegularFile(script) ? Optional.of(script.toAbsolutePath().normalize()) : Optional.empty();
  }

  private static boolean python3Available() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs the suite with a JSON summary on stdout; output goes to files so a full pipe cannot stall it. */
  private static JsonNode run(Path runner, int port, Path work) throws Exception {
    Path stdout = work.resolve("summary.json");
    Path stderr = work.resolve("cases.txt");
    Process p = new ProcessBuilder("python3", runner.toString(),
            "--host", "127.0.0.1", "--port", Integer.toString(port), "--rfc", "--json", "-")
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!p.waitFor(SUITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("conformance suite still running after " + SUITE_TIMEOUT.toMinutes()
          + " minutes; its output so far:\n" + Files.readString(stderr));
    }
    // exit status 1 only means some case failed; the floor decides. 2 means it could not connect.
    assertThat(p.exitValue()).as("run.py exit status; its output:%n%s", Files.readString(stderr)).isLessThan(2);
    return new ObjectMapper().readTree(stdout.toFile());
  }

  private static String failures(JsonNode summary) {
    List<String> lines = new ArrayList<>();
    for (JsonNode c : summary.path("cases")) {
      if (c.path("result").asText().equals("FAIL")) {
        lines.add(c.path("id").asText() + ": " + c.path("reason").asText());
      }
    }
    return String.join("\n", lines);
  }
}
