package dev.narwhal.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.logging.Loggers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** The logging settings, applied to a private Logback context with stand-ins for stdout and stderr. */
class LogSetupTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter()); // the process's context gets one from SLF4J
  }

  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    context.stop();
  }

  LogSetup configure(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("x");
    ServerConfig config = ConfigLoader.load(all, Map.of(), dir).config();
    return LogSetup.configure(context, config, stdout, stderr);
  }

  Logger narwhal() {
    return context.getLogger("narwhal");
  }

  static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void the_error_log_goes_to_stderr_in_gunicorns_shape() {
    configure();
    narwhal().info("Listening at: http://127.0.0.1:8000");
    await().atMost(WAIT).until(() -> text(stderr).contains("Listening"));
    assertThat(text(stderr)).matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] \\[\\d+] \\[INFO] "
        + "Listening at: http://127\\.0\\.0\\.1:8000\\R");
    assertThat(text(stdout)).isEmpty();
  }

  @Test
  void pekkos_lines_quoting_a_client_get_bytes_outside_printable_ascii_escaped() {
    configure();
    context.getLogger("org.apache.pekko.actor.ActorSystemImpl")
        .warn("Illegal request-target: Invalid input '\u00c3\u00a2\u001b[2J', expected pchar");
    narwhal().info("narwhal's own \u00e9 line is escaped where it quotes a client, and left alone here");
    await().atMost(WAIT).until(() -> text(stderr).contains("left alone"));
    assertThat(text(stderr)).contains("[WARN] Illegal request-target: Invalid input '\\xC3\\xA2\\x1B[2J', expected pchar")
        .doesNotContain("\u001b");
  }

  @Test
  void proc_name_appears_in_every_error_log_line() {
    configure("-n", "django-blog");
    narwhal().info("ready");
    await().atMost(WAIT).until(() -> text(stderr).contains("ready"));
    assertThat(text(stderr)).contains("] [django-blog] [").contains("[INFO] ready");
  }

  @Test
  void loglevel_filters_narwhal_and_pekko_alike() {
    configure("--log-level", "warning");
    narwhal().info("hidden info");
    context.getLogger("org.apache.pekko.actor.ActorSystem").info("hidden pekko info");
    narwhal().warn("shown warning");
    context.getLogger("org.apache.pekko.http").warn("shown pekko warning");
    await().atMost(WAIT).until(() -> text(stderr).contains("shown pekko warning"));
    assertThat(text(stderr)).contains("[WARN] shown warning").doesNotContain("hidden");
  }

  @Test
  void at_info_the_libraries_start_and_stop_lines_are_left_out_and_their_warnings_kept() {
    configure();
    context.getLogger("kamon.Init").info("hidden Kanela not found");
    context.getLogger("com.zaxxer.hikari.HikariDataSource").info("hidden pool starting");
    context.getLogger("org.apache.pekko.actor.CoordinatedShutdown").info("hidden phase");
    narwhal().info("shown info");
    context.getLogger("com.zaxxer.hikari.pool.HikariPool").warn("shown pool warning");
    await().atMost(WAIT).until(() -> text(stderr).contains("shown pool warning"));
    assertThat(text(stderr)).contains("[INFO] shown info").doesNotContain("hidden");
  }

  @Test
  void debug_shows_narwhals_and_pekkos_debug_lines() {
    configure("--log-level", "debug");
    narwhal().debug("narwhal detail");
    context.getLogger("oshi.util.FileUtil").debug("hidden file read");
    context.getLogger("org.apache.pekko.io.TcpListener").debug("pekko detail");
    await().atMost(WAIT).until(() -> text(stderr).contains("pekko detail"));
    assertThat(text(stderr)).contains("[DEBUG] narwhal detail").doesNotContain("hidden");
  }

  @Test
  void gunicorns_level_names_map_onto_logbacks() {
    assertThat(LogSetup.level("critical")).isEqualTo(Level.ERROR);
    assertThat(LogSetup.level("warning")).isEqualTo(Level.WARN);
    assertThat(LogSetup.quietLibraryLevel(Level.INFO)).isEqualTo(Level.WARN);
    assertThat(LogSetup.quietLibraryLevel(Level.DEBUG)).isEqualTo(Level.DEBUG);
  }

  @Test
  void access_lines_go_to_stdout_as_formatted_whatever_the_loglevel() {
    configure("--access-logfile", "-", "--log-level", "error");
    context.getLogger(Loggers.ACCESS).info("127.0.0.1 - - [x] \"GET / HTTP/1.1\" 200 2 \"-\" \"-\"");
    await().atMost(WAIT).until(() -> text(stdout).contains("GET /"));
    assertThat(text(stdout)).isEqualTo("127.0.0.1 - - [x] \"GET / HTTP/1.1\" 200 2 \"-\" \"-\"" + System.lineSeparator());
    assertThat(text(stderr)).isEmpty();
  }

  @Test
  void without_accesslog_access_lines_go_nowhere() {
    configure();
    context.getLogger(Loggers.ACCESS).info("GET /");
    narwhal().info("marker");
    await().atMost(WAIT).until(() -> text(stderr).contains("marker"));
    assertThat(text(stderr)).doesNotContain("GET /");
    assertThat(text(stdout)).isEmpty();
  }

  @Test
  void log_files_are_appended_to_and_reopened_after_logrotate_moves_them() throws Exception {
    Path error = dir.resolve("error.log");
    Path access = dir.resolve("access.log");
    Files.writeString(error, "earlier line\n");
    LogSetup setup = configure("--error-logfile", error.toString(), "--access-logfile", access.toString());
    narwhal().info("before rotation");
    context.getLogger(Loggers.ACCESS).info("access before");
    await().atMost(WAIT).until(() -> Files.exists(access) && Files.readString(access).contains("access before")
        && Files.readString(error).contains("before rotation"));
    assertThat(Files.readString(error)).startsWith("earlier line\n");

    Files.move(error, dir.resolve("error.log.1"));
    Files.move(access, dir.resolve("access.log.1"));
    setup.reopen();
    narwhal().info("after rotation");
    context.getLogger(Loggers.ACCESS).info("access after");

    await().atMost(WAIT).until(() -> Files.exists(error) && Files.readString(error).contains("after rotation")
        && Files.exists(access) && Files.readString(access).contains("access after"));
    assertThat(Files.readString(dir.resolve("error.log.1"))).doesNotContain("after rotation");
    assertThat(Files.readString(dir.resolve("access.log.1"))).doesNotContain("access after");
  }

  @Test
  void accesslog_and_errorlog_may_share_a_file() throws Exception {
    Path both = dir.resolve("narwhal.log");
    configure("--error-logfile", both.toString(), "--access-logfile", both.toString());
    narwhal().info("error line");
    context.getLogger(Loggers.ACCESS).info("access line");
    await().atMost(WAIT).until(() -> Files.exists(both) && Files.readString(both).contains("access line")
        && Files.readString(both).contains("error line"));
    assertThat(Files.readString(both)).contains("\naccess line\n").contains("[INFO] error line");
  }
}
