package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Stats;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The control endpoints: the token is required, and with it each one acts. */
class ControlApiTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<String> CONTROL = List.of("/control/reload", "/control/scale?delta=2", "/control/stop?mode=quick",
      "/control/reopen-logs");

  static TestServer start(int workers) throws ServerStartException {
    return TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(workers));
  }

  @Test
  void control_endpoints_refuse_a_missing_or_wrong_token_with_401_and_do_nothing() throws Exception {
    try (TestServer t = start(2)) {
      for (String path : CONTROL) {
        HttpResponse<String> none = t.adminPost(path, null);
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
            v -> assertThat(v).startsWith("Bearer"));
        assertThat(t.adminPost(path, "wrong").statusCode()).as(path).isEqualTo(401);
        assertThat(t.adminPost(path, t.token() + "x").statusCode()).as(path).isEqualTo(401);
      }

      Stats stats = t.server.stats();
      assertThat(stats.targetWorkers()).isEqualTo(2);
      assertThat(stats.phase()).isEqualTo(1);
      assertThat(stats.reloads()).isZero();
      assertThat(t.server.isReady()).isTrue();
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void with_the_token_scale_and_reload_act() throws Exception {
    try (TestServer t = start(2)) {
      String token = t.token();

      HttpResponse<String> up = t.adminPost("/control/scale?delta=2", token);
      assertThat(up.statusCode()).isEqualTo(202);
      assertThat(up.body()).contains("\"target_workers\" : 4");
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 4);

      HttpResponse<String> down = t.adminPost("/control/scale?delta=-3", token);
      assertThat(down.body()).contains("\"target_workers\" : 1");
      await().atMost(WAIT).until(() -> t.server.stats().workers().size() == 1);

      assertThat(t.adminPost("/control/scale?delta=0", token).statusCode()).isEqualTo(400);
      assertThat(t.adminPost("/control/scale?delta=many", token).statusCode()).isEqualTo(400);

      assertThat(t.adminPost("/control/reload", token).statusCode()).isEqualTo(202);
      await().atMost(WAIT).untilAsserted(() -> {
        Stats s = t.server.stats();
        assertThat(s.phase()).isEqualTo(2);
        assertThat(s.workers()).extracting(Stats.WorkerStatus::phase).containsOnly(2);
      });
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void with_the_token_stop_stops_gracefully_or_quickly() throws Exception {
    TestServer graceful = start(1);
    HttpResponse<String> answer = graceful.adminPost("/control/stop", graceful.token());
    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.body()).contains("\"mode\" : \"graceful\"");
    assertThat(graceful.server.whenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    graceful.close();

    TestServer quick = start(1);
    assertThat(quick.adminPost("/control/stop?mode=quick", quick.token()).statusCode()).isEqualTo(202);
    assertThat(quick.server.whenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    quick.close();
  }

  @Test
  void reopen_logs_runs_what_sigusr1_runs() throws Exception {
    java.util.concurrent.atomic.AtomicInteger reopened = new java.util.concurrent.atomic.AtomicInteger();
    try (TestServer t = TestServer.start(() -> Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1),
        reopened::incrementAndGet)) {
      assertThat(t.adminPost("/control/reopen-logs", null).statusCode()).isEqualTo(401);
      assertThat(reopened).hasValue(0);
      HttpResponse<String> answer = t.adminPost("/control/reopen-logs", t.token());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"reopen-logs\"", "\"done\"");
      assertThat(reopened).hasValue(1);
    }
  }

  @Test
  void reads_are_open_and_control_needs_post() throws Exception {
    try (TestServer t = start(1)) {
      assertThat(t.adminGet("/stats").statusCode()).isEqualTo(200);
      assertThat(t.adminGet("/control/reload").statusCode()).isEqualTo(405);
      assertThat(t.adminGet("/nothing-here").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void the_generated_token_file_is_readable_by_the_owner_only_named_in_the_ready_log_and_removed_at_stop()
      throws Exception {
    Path file;
    try (LogCapture log = new LogCapture("narwhal", Level.INFO); TestServer t = start(1)) {
      file = t.server.adminTokenFile().orElseThrow();
      // an operator finds the token through this line, so it must name the file as an absolute path
      assertThat(file).isAbsolute();
      assertThat(log.text()).contains("Admin API at: http://127.0.0.1:" + t.server.adminPort() + " (")
          .contains("; control token in " + file + ")");
      assertThat(file.getFileName().toString()).isEqualTo("admin-" + t.server.adminPort() + ".token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
      assertThat(t.token()).hasSizeGreaterThanOrEqualTo(40);
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void a_configured_token_is_used_and_no_file_is_written() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")),
        c -> c.with(Settings.ADMIN_TOKEN, "s3cret-token-of-16"))) {
      assertThat(t.server.adminTokenFile()).isEmpty();
      assertThat(t.adminPost("/control/scale?delta=1", "s3cret-token-of-16").statusCode()).isEqualTo(202);
      assertThat(t.adminPost("/control/scale?delta=1", "other").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void admin_bind_off_serves_no_admin_api() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")),
        c -> c.with(Settings.ADMIN_BIND, java.util.Optional.empty()))) {
      assertThat(t.get("/").statusCode()).isEqualTo(200);
      org.assertj.core.api.Assertions.assertThatThrownBy(t.server::adminPort)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("admin-bind = off");
    }
  }
}
