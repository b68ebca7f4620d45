package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals that arrive while the server is still starting. "Listening at" is logged before the
 * whenReady hook runs; a hook that takes its time holds the process in that window, where a
 * deployment script that signals on the ready line lands.
 */
class SignalsIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  /** Compiles a hooks class whose whenReady takes three seconds into {@code tmp}/hooks. */
  static Path slowReadyHooks(Path tmp) throws Exception {
    Path src = Files.writeString(tmp.resolve("SlowReady.java"), """
        public class SlowReady implements dev.narwhal.ServerHooks {
          @Override
          public void whenReady() {
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            org.slf4j.LoggerFactory.getLogger("hooks").info("hook whenReady done");
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("hooks"));
    JavaSources.compile(src, classes);
    return classes;
  }

  @Test
  void a_sighup_sent_on_the_ready_line_reloads_once_the_start_is_done_instead_of_ending_the_process()
      throws Exception {
    Path hooks = slowReadyHooks(tmp);
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "1", "--classpath", hooks.toString(),
        "--hooks", "SlowReady", "hello")) {
      n.awaitReady();
      n.signal("HUP");

      n.awaitOutput("Reload complete", WAIT);
      assertThat(n.output()).containsSubsequence("hook whenReady done", "Handling SIGHUP", "Reload complete");
      assertThat(n.get("/").statusCode()).isEqualTo(200);
      n.signal("TERM");
      assertThat(n.exitStatus(WAIT)).isZero();
    }
  }

  @Test
  void a_sigterm_during_the_start_ends_it_at_once_with_the_usual_status_143() throws Exception {
    Path hooks = slowReadyHooks(tmp);
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "1", "--classpath", hooks.toString(),
        "--hooks", "SlowReady", "hello")) {
      n.awaitReady();
      n.signal("TERM");

      assertThat(n.exitStatus(WAIT)).isEqualTo(143);
      assertThat(n.output()).contains("SIGTERM during start-up: exiting").doesNotContain("hook whenReady done");
    }
  }
}
