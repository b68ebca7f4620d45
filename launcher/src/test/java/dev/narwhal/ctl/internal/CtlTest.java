package dev.narwhal.ctl.internal;

import static dev.narwhal.testing.AdminProbe.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.Application;
import dev.narwhal.Response;
import dev.narwhal.Server;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import dev.narwhal.testing.AdminProbe;
import dev.narwhal.testing.StuckApp;
import dev.narwhal.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** narwhal ctl, run in-process against a server on free ports: every action, text and --json. */
class CtlTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path workDir;

  record Result(int status, String out, String err) {}

  /** The real environment minus NARWHAL_*, so the ctl finds the token where the server wrote it. */
  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("NARWHAL_"));
    return env;
  }

  Result ctl(TestServer t, String... args) {
    List<String> all = new ArrayList<>(List.of("--admin-bind", "127.0.0.1:" + t.server.adminPort()));
    all.addAll(List.of(args));
    return run(env(), all);
  }

  Result run(Map<String, String> env, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Ctl.run(args, env, workDir, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void status_and_workers_describe_the_pool_and_the_request_in_hand() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application app = r -> {
      if (r.path().equals("/slow")) {
        release.await(30, TimeUnit.SECONDS);
      }
      return Response.ok("ok");
    };
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(2))) {
      t.get("/");
      t.getAsync("/slow");
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 1);

      Result status = ctl(t, "status");
      assertThat(status.status()).as(status.err()).isZero();
      assertThat(status.out())
          .contains("narwhal " + Server.VERSION + ", pid " + ProcessHandle.current().pid() + ": serving, phase 1")
          .contains("workers:  2 of 2 booted, 1 busy")
          .contains("requests: 2 (2xx 1");

      Result workers = ctl(t, "workers");
      assertThat(workers.status()).isZero();
      assertThat(workers.out().lines().toList()).hasSize(3)
          .first().asString().startsWith("SLOT");
      assertThat(workers.out()).containsPattern("(?m)^\\d +1 +busy .* GET /slow \\(\\d+ ms\\)$")
          .containsPattern("(?m)^\\d +1 +idle .* -$");

      Result json = ctl(t, "workers", "--json");
      JsonNode parsed = new ObjectMapper().readTree(json.out());
      assertThat(parsed.isArray()).isTrue();
      assertThat(parsed).hasSize(2);
      release.countDown();
    } finally {
      release.countDown();
    }
  }

  /** The whole output as one JSON document: anything printed around it would break a script's parser. */
  static JsonNode onlyJson(Result result) throws Exception {
    assertThat(result.status()).as(result.err()).isZero();
    return new ObjectMapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .readValue(result.out());
  }

  @Test
  void status_and_workers_with_json_print_one_document_with_the_fields_scripts_read() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      for (int i = 0; i < 3; i++) {
        t.get("/");
      }
      // a worker counts a request as served just after its response went out
      await().atMost(WAIT).until(() -> t.server.stats().workers().stream().mapToLong(Stats.WorkerStatus::served)
          .sum() == 3);

      JsonNode status = onlyJson(ctl(t, "status", "--json"));
      JsonNode server = field(status, "server", "object");
      assertThat(field(server, "version", "string").asText()).isEqualTo(Server.VERSION);
      assertThat(field(server, "pid", "int").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(field(server, "state", "string").asText()).isEqualTo("serving");
      assertThat(field(server, "phase", "int").asInt()).isEqualTo(1);
      field(server, "started_at", "instant");
      assertThat(field(status, "target_workers", "int").asInt()).isEqualTo(2);
      assertThat(field(status, "backlog", "int").asInt()).isZero();
      assertThat(field(status, "in_flight", "int").asInt()).isZero();
      JsonNode totals = field(status, "totals", "object");
      assertThat(field(totals, "requests", "int").asLong()).isEqualTo(3);
      assertThat(field(field(totals, "responses", "object"), "2xx", "int").asLong()).isEqualTo(3);
      assertThat(field(totals, "spawned", "int").asLong()).isEqualTo(2);
      assertThat(List.of("recycled", "timed_out", "crashed", "reloads"))
          .allSatisfy(k -> assertThat(field(totals, k, "int").asLong()).as(k).isZero());
      JsonNode restarts = field(status, "restarts", "object");
      assertThat(List.of("timeout", "max_requests", "crash", "reload", "scale"))
          .allSatisfy(k -> assertThat(field(restarts, k, "int").asLong()).as(k).isZero());
      assertThat(field(status, "workers", "array")).hasSize(2);

      JsonNode workers = onlyJson(ctl(t, "workers", "--json"));
      assertThat(workers.isArray()).isTrue();
      assertThat(workers).hasSize(2);
      long served = 0;
      for (JsonNode w : workers) {
        field(w, "index", "int");
        assertThat(field(w, "phase", "int").asInt()).isEqualTo(1);
        assertThat(field(w, "state", "string").asText()).isEqualTo("idle");
        served += field(w, "served", "int").asLong();
        assertThat(field(w, "in_flight", "int").asInt()).isZero();
        field(w, "started_at", "instant");
        assertThat(field(w, "current", "array")).isEmpty();
      }
      assertThat(workers.findValues("index")).extracting(JsonNode::asInt).containsExactly(1, 2);
      assertThat(served).isEqualTo(3);
    }
  }

  @Test
  void scale_reload_and_stop_act_through_the_admin_api() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      Result up = ctl(t, "scale", "+2");
      assertThat(up.status()).as(up.err()).isZero();
      assertThat(up.out()).contains("scaling up by 2: target 4 workers");
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 4);

      Result down = ctl(t, "scale", "-1");
      assertThat(down.out()).contains("scaling down by 1: target 3 workers");

      Result reload = ctl(t, "--json", "reload");
      assertThat(reload.status()).as(reload.err()).isZero();
      assertThat(new ObjectMapper().readTree(reload.out()).path("status").asText()).isEqualTo("started");
      // a reload re-reads the configuration, so its 2 workers come back, as with gunicorn's HUP
      await().atMost(WAIT).untilAsserted(() -> {
        Stats s = t.server.stats();
        assertThat(s.phase()).isEqualTo(2);
        assertThat(s.workers()).hasSize(2).extracting(Stats.WorkerStatus::phase).containsOnly(2);
      });

      Result stop = ctl(t, "stop");
      assertThat(stop.status()).as(stop.err()).isZero();
      assertThat(stop.out()).contains("stopping gracefully");
      assertThat(t.server.whenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void scale_with_pool_scales_that_pool_and_an_unknown_pool_is_refused() throws Exception {
    var pools = dev.narwhal.config.ServerConfig.parse("narwhal.pools { reports { workers = 1, routes = [\"/r\"] } }")
        .get(Settings.POOLS);
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")),
        c -> c.withWorkers(2).with(Settings.POOLS, pools))) {
      Result up = ctl(t, "scale", "+2", "--pool", "reports");
      assertThat(up.status()).as(up.err()).isZero();
      assertThat(up.out()).contains("scaling up pool reports by 2: target 3 workers");
      await().atMost(WAIT).until(() -> t.server.stats().pools().get("reports").bootedWorkers() == 3);
      assertThat(t.server.stats().targetWorkers()).isEqualTo(2);

      Result unknown = ctl(t, "scale", "+1", "--pool", "nope");
      assertThat(unknown.status()).isNotZero();
      assertThat(unknown.err()).contains("404").contains("no pool named 'nope'");
    }
  }

  @Test
  void stop_quick_threads_and_reopen_logs() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1))) {
      Result threads = ctl(t, "threads");
      assertThat(threads.status()).isZero();
      assertThat(threads.out()).contains("\"narwhal-worker-1-phase-1\"");
      assertThat(new ObjectMapper().readTree(ctl(t, "threads", "--json").out()).get(0).path("name").asText())
          .isEqualTo("narwhal-worker-1-phase-1");

      Result reopen = ctl(t, "reopen-logs");
      assertThat(reopen.status()).as(reopen.err()).isZero();
      assertThat(reopen.out()).contains("logs reopened");

      Result stop = ctl(t, "stop", "--quick");
      assertThat(stop.status()).as(stop.err()).isZero();
      assertThat(stop.out()).contains("stopping now");
      assertThat(t.server.whenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void reads_send_the_token_so_status_and_threads_work_with_admin_read_auth_on() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")),
        c -> c.withWorkers(1).with(Settings.ADMIN_READ_AUTH, true))) {
      Result status = ctl(t, "status");
      assertThat(status.status()).as(status.err()).isZero();
      assertThat(status.out()).contains("workers:  1 of 1 booted");
      // two dumps back to back: the second waits out the server's one-per-second limit instead of failing
      for (int i = 0; i < 2; i++) {
        Result threads = ctl(t, "threads");
        assertThat(threads.status()).as(threads.err()).isZero();
        assertThat(threads.out()).contains("narwhal-worker-");
      }
      Path wrong = Files.writeString(workDir.resolve("wrong-read.token"), "not-the-token-at-all\n");
      Result refused = ctl(t, "--token-file", wrong.toString(), "status");
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.err()).contains("401", wrong.toString());
    }
  }

  @Test
  void the_token_comes_from_a_file_or_the_environment_and_a_wrong_one_changes_nothing() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1))) {
      Path wrong = Files.writeString(workDir.resolve("wrong.token"), "nope\n");
      Result refused = ctl(t, "--token-file", wrong.toString(), "scale", "+1");
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.err()).contains("401", "wrong token", wrong.toString());
      assertThat(t.server.stats().targetWorkers()).isEqualTo(1);

      Path right = Files.writeString(workDir.resolve("right.token"), t.token() + "\n");
      assertThat(ctl(t, "--token-file", right.toString(), "scale", "+1").status()).isZero();

      Map<String, String> env = env();
      env.put("NARWHAL_ADMIN_TOKEN", t.token());
      env.put("NARWHAL_ADMIN_BIND", "127.0.0.1:" + t.server.adminPort());
      Result fromEnv = run(env, List.of("scale", "-1"));
      assertThat(fromEnv.status()).as(fromEnv.err()).isZero();
      assertThat(fromEnv.out()).contains("target 1 workers");
    }
  }

  @Test
  void a_server_that_is_not_there_is_reported_with_status_1_and_a_bad_argument_with_2() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Result absent = run(env(), List.of("--admin-bind", "127.0.0.1:" + port, "status"));
    assertThat(absent.status()).isEqualTo(1);
    assertThat(absent.err()).contains("cannot reach the admin API at http://127.0.0.1:" + port);

    Result bad = run(env(), List.of("scale", "lots"));
    assertThat(bad.status()).isEqualTo(2);
    assertThat(run(env(), List.of("frobnicate")).status()).isEqualTo(2);
    Result help = run(env(), List.of("--help"));
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("status", "workers", "reload", "scale", "stop", "threads");
  }

  @Test
  void status_names_the_stuck_threads_and_the_limit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application app = StuckApp.stuckUntil(release);
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(2).with(Settings.TIMEOUT, Duration.ofSeconds(1))
        .with(Settings.MAX_STUCK_THREADS, 5))) {
      for (int i = 0; i < 2; i++) {
        assertThat(t.get("/hang").statusCode()).isEqualTo(504);
      }
      await().atMost(WAIT).until(() -> AdminProbe.stats(t).path("server").path("stuck_threads").asInt() == 2);
      Result status = ctl(t, "status");
      assertThat(status.status()).as(status.err()).isZero();
      assertThat(status.out()).contains("stuck threads: 2 (max-stuck-threads 5)");
      release.countDown();
    }
  }
}
