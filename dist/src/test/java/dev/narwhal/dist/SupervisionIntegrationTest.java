package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arbiter's jobs driven by real signals against bin/narwhal and the chaos app. */
class SupervisionIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String HOOKS = "dev.narwhal.examples.LoggingHooks";

  @TempDir
  Path tmp;

  @Test
  void sigterm_serves_every_accepted_request_then_exits_0_and_refuses_connections() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "20", "--hooks", HOOKS, "chaos")) {
      n.awaitReady();
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        inFlight.add(n.getAsync("/sleep?ms=1500"));
      }
      await().atMost(WAIT).until(() -> n.count("hook beforeRequest") == 20);

      n.signal("TERM");
      n.awaitOutput("Shutting down: graceful", WAIT);

      // the line is logged as the stop begins; the listener closes a moment later
      await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> n.get("/")).isInstanceOf(ConnectException.class));
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      assertThat(n.exitStatus(WAIT)).isZero();
    }
  }

  @Test
  void sighup_under_load_rolls_every_worker_without_a_failed_request_and_a_broken_config_keeps_serving()
      throws Exception {
    Path conf = Files.writeString(tmp.resolve("narwhal.conf"), "narwhal { workers = 3 }\n");
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-c", conf.toString(), "chaos")) {
      n.awaitReady();
      ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
      AtomicBoolean loading = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 4; c++) {
        clients.submit(() -> {
          while (loading.get()) {
            try {
              statuses.add(n.get("/sleep?ms=5").statusCode());
            } catch (IOException dropped) {
              statuses.add(-1); // a connection the reload reset or refused counts as a failure
            }
          }
          return null;
        });
      }
      await().atMost(WAIT).until(() -> statuses.size() > 50);

      n.signal("HUP");
      n.awaitOutput("Reload complete: every worker is in phase 2", WAIT);
      await().atMost(WAIT).until(() -> n.count("(phase 2, sync)") == 3);
      int afterReload = statuses.size();
      await().atMost(WAIT).until(() -> statuses.size() > afterReload + 50);
      loading.set(false);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(statuses).isNotEmpty().allSatisfy(s -> assertThat(s).isBetween(200, 299));

      Files.writeString(conf, "narwhal {\n  workers = many\n}\n");
      n.signal("HUP");
      n.awaitOutput("Reload aborted, the current workers keep serving", WAIT);
      assertThat(n.output()).contains("narwhal.workers: expected a whole number");
      assertThat(n.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_second_sigint_during_a_graceful_stop_answers_what_runs_503_at_once_and_exits_0() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "1", "--graceful-timeout", "60",
        "--hooks", HOOKS, "chaos")) {
      n.awaitReady();
      CompletableFuture<HttpResponse<String>> slow = n.getAsync("/sleep?ms=30000");
      await().atMost(WAIT).until(() -> n.count("hook beforeRequest") == 1);

      n.signal("TERM");
      n.awaitOutput("Shutting down: graceful, up to 60 s", WAIT);
      long interrupted = System.nanoTime();
      n.signal("INT");

      assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).as("well before the request's 30 s")
          .isLessThan(Duration.ofSeconds(15));
      assertThat(n.exitStatus(WAIT)).isZero();
      assertThat(n.output()).contains("Shutting down: quick (escalated)", "Quick stop: answering 1 unfinished requests with 503")
          .doesNotContain("Graceful timeout reached");
    }
  }

  @Test
  void a_reload_sets_the_graceful_timeout_after_which_what_still_runs_gets_503_and_the_exit_is_0()
      throws Exception {
    Path conf = Files.writeString(tmp.resolve("narwhal.conf"), "narwhal { workers = 1, graceful-timeout = 120s }\n");
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-c", conf.toString(), "--hooks", HOOKS,
        "chaos")) {
      n.awaitReady();
      Files.writeString(conf, "narwhal { workers = 1, graceful-timeout = 1s }\n");
      n.signal("HUP");
      n.awaitOutput("Reload complete", WAIT);
      CompletableFuture<HttpResponse<String>> slow = n.getAsync("/sleep?ms=30000");
      await().atMost(WAIT).until(() -> n.count("hook beforeRequest") == 1);

      n.signal("TERM");

      assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      assertThat(n.exitStatus(WAIT)).isZero();
      assertThat(n.output()).contains("Shutting down: graceful, up to 1 s",
          "Graceful timeout reached: answering 1 unfinished requests with 503");
    }
  }

  @Test
  void ready_turns_503_within_100_ms_of_sigterm() throws Exception {
    int adminPort = NarwhalProcess.freePort();
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "--admin-bind", "127.0.0.1:" + adminPort,
        "-w", "2", "--hooks", HOOKS, "chaos"); HttpClient probe = HttpClient.newHttpClient()) {
      n.awaitReady().awaitOutput("Admin API at: http://127.0.0.1:" + adminPort, WAIT);
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build();
      assertThat(probe.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      CompletableFuture<HttpResponse<String>> slow = n.getAsync("/sleep?ms=3000"); // keeps the drain going
      await().atMost(WAIT).until(() -> n.count("hook beforeRequest") == 1);

      List<long[]> probes = new ArrayList<>(); // {sent at, status}, nanoTime
      long signalled = System.nanoTime();
      n.terminate();
      while (System.nanoTime() - signalled < Duration.ofMillis(400).toNanos()) {
        long sent = System.nanoTime();
        try {
          probes.add(new long[] {sent, probe.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode()});
        } catch (IOException closedByTheDrain) {
          probes.add(new long[] {sent, -1});
        }
      }

      probes.stream().filter(p -> p[1] == 503).findFirst().ifPresent(p -> System.out.printf(
          "ready_turns_503_within_100_ms_of_sigterm: first 503 to a probe sent %.1f ms after the signal%n",
          (p[0] - signalled) / 1e6));
      long after100ms = signalled + Duration.ofMillis(100).toNanos();
      assertThat(probes.stream().filter(p -> p[0] >= after100ms).map(p -> p[1]))
          .as("every probe sent 100 ms or more after SIGTERM was sent").isNotEmpty().doesNotContain(200L);
      assertThat(probes.stream().filter(p -> p[0] >= after100ms).map(p -> p[1])).contains(503L);
      assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(n.exitStatus(WAIT)).isZero();
    }
  }

  @Test
  void sigquit_prints_a_thread_dump_as_for_any_jvm_and_the_server_keeps_serving() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "1", "chaos")) {
      n.awaitReady();
      n.signal("QUIT");
      n.awaitOutput("Full thread dump", WAIT);
      assertThat(n.output()).contains("\"narwhal-worker-1-phase-1\"");
      assertThat(n.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void sigttin_twice_then_sigttou_gives_4_5_then_4_workers() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "3", "chaos")) {
      n.awaitReady();
      n.signal("TTIN");
      n.awaitOutput("Scaling from 3 to 4 workers", WAIT);
      n.signal("TTIN");
      n.awaitOutput("Scaling from 4 to 5 workers", WAIT);
      await().atMost(WAIT).until(() -> n.count("Booted worker") == 5);
      n.signal("TTOU");
      n.awaitOutput("Scaling from 5 to 4 workers", WAIT);
      assertThat(n.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_boot_that_always_fails_exits_3_with_one_clear_error_line() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("out.log"), "boot-fail")) {
      assertThat(n.exitStatus(Duration.ofSeconds(90))).isEqualTo(3);
      assertThat(n.output().lines().filter(l -> l.contains("[ERROR] Worker failed to boot: workers failed to boot 5 times")))
          .singleElement().asString().contains("always fails to start");
    }
  }

  @Test
  void a_stuck_request_gets_504_and_the_log_shows_where_it_hangs() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "2", "--timeout", "2", "chaos")) {
      n.awaitReady();
      long start = System.nanoTime();
      assertThat(n.get("/hang").statusCode()).isEqualTo(504);
      // the 2 s timeout's answer, well before the client's own (not a measure of speed)
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(12));
      n.awaitOutput("at dev.narwhal.examples.ChaosApp.hangForever", WAIT);
      assertThat(n.output()).contains("WORKER TIMEOUT (worker ").contains("GET /hang");
      assertThat(n.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void every_hook_is_called_at_its_moment() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "1", "--timeout", "1", "--hooks",
        HOOKS, "chaos")) {
      n.awaitReady();
      assertThat(n.get("/").statusCode()).isEqualTo(200);
      assertThat(n.get("/hang").statusCode()).isEqualTo(504);
      n.awaitOutput("hook workerExited", WAIT);
      n.signal("TTIN");
      n.awaitOutput("hook workerCountChanged 1 -> 2", WAIT);
      n.signal("HUP");
      n.awaitOutput("Reload complete", WAIT);
      CompletableFuture<HttpResponse<String>> cut = n.getAsync("/sleep?ms=20000");
      await().atMost(WAIT).until(() -> n.output().contains("hook beforeRequest worker=") && n.count("/sleep") >= 1);
      n.signal("INT");
      assertThat(cut.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      assertThat(n.exitStatus(WAIT)).isZero();

      String out = n.output();
      assertThat(out).containsSubsequence("hook onStarting", "hook beforeWorkerStart worker=1 phase=1",
          "hook afterWorkerStart worker=1 thread=narwhal-worker-1", "hook afterWorkerAppInit worker=1",
          "Listening at", "hook whenReady", "hook beforeRequest worker=1 GET /", "hook afterRequest worker=1 GET / -> 200",
          "hook workerTimedOut worker=1 GET /hang", "hook workerExited worker=1",
          "hook workerCountChanged 1 -> 2", "hook onReload", "hook workerInterrupted", "hook onExit");
    }
  }

  static void compile(Path dir, String body) throws Exception {
    Path src = Files.writeString(dir.resolve("Version.java"), """
        public class Version implements dev.narwhal.Application {
          public dev.narwhal.Response handle(dev.narwhal.Request r) {
            return dev.narwhal.Response.ok("%s");
          }
        }
        """.formatted(body));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaSources.compile(src, classes);
  }

  @Test
  void reload_mode_picks_up_recompiled_classes_and_a_changed_config_file_without_a_restart() throws Exception {
    compile(tmp, "v1");
    Path conf = Files.writeString(tmp.resolve("narwhal.conf"), "narwhal { workers = 2 }\n");
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "--reload", "-c", conf.toString(),
        "--classpath", tmp.resolve("classes").toString(), "Version")) {
      n.awaitReady();
      assertThat(n.get("/").body()).isEqualTo("v1");

      compile(tmp, "v2");

      n.awaitOutput("Code or config changed; reloading", WAIT);
      await().atMost(WAIT).until(() -> n.get("/").body().equals("v2"));
      n.awaitOutput("Reload complete", WAIT);
      assertThat(n.get("/").body()).isEqualTo("v2");

      Files.writeString(conf, "narwhal { workers = 3 }\n");
      n.awaitOutput("Reload complete: every worker is in phase 3", WAIT);
      assertThat(n.count("Code or config changed; reloading")).isEqualTo(2);
      await().atMost(WAIT).until(() -> n.count("(phase 3, sync)") == 3);
      assertThat(n.get("/").body()).isEqualTo("v2");
    }
  }
}
