package dev.narwhal;

import dev.narwhal.testing.StuckApp;
import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads left behind by timed-out handlers that ignore their interrupt: counted while alive (in
 * /stats, /metrics and {@code ctl status}), and past max-stuck-threads /health/live fails so the
 * process supervisor restarts the server instead of the leak growing without bound.
 */
class StuckThreadsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path workDir;

  static UnaryOperator<ServerConfig> tune(int maxStuck) {
    return c -> MetricsTest.METRICS.apply(c).withWorkers(2).with(Settings.TIMEOUT, Duration.ofSeconds(1))
        .with(Settings.MAX_STUCK_THREADS, maxStuck);
  }

  /** One more stuck thread: /hang answers 504 and leaves its thread behind. */
  static void hangOne(TestServer t) throws Exception {
    assertThat(t.get("/hang").statusCode()).isEqualTo(504);
  }

  static JsonNode server(TestServer t) throws Exception {
    return StatsTest.stats(t).path("server");
  }

  @Test
  void each_stuck_thread_counts_in_stats_and_metrics_until_it_returns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TestServer t = TestServer.start(StuckApp.stuckUntil(release), tune(5))) {
      assertThat(server(t).path("stuck_threads").isInt()).as("server.stuck_threads in /stats").isTrue();
      assertThat(server(t).path("max_stuck_threads").asInt()).isEqualTo(5);
      for (int stuck = 1; stuck <= 2; stuck++) {
        hangOne(t);
        int expected = stuck;
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(server(t).path("stuck_threads").asInt()).isEqualTo(expected);
          assertThat(MetricsTest.scrape(t).value("narwhal_stuck_threads")).hasValue(expected);
        });
      }

      release.countDown();

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(server(t).path("stuck_threads").asInt()).isZero();
        assertThat(MetricsTest.scrape(t).value("narwhal_stuck_threads")).hasValue(0);
      });
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void over_max_stuck_threads_live_answers_503_and_the_log_says_why_once_until_they_return() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (LogCapture log = new LogCapture("narwhal");
        TestServer t = TestServer.start(StuckApp.stuckUntil(release), tune(2))) {
      for (int stuck = 1; stuck <= 2; stuck++) {
        hangOne(t);
        int expected = stuck;
        await().atMost(WAIT).until(() -> t.server.stats().abandonedThreads() == expected);
        assertThat(t.adminGet("/health/live").statusCode()).as("live at the limit (%d of 2)", stuck).isEqualTo(200);
      }

      hangOne(t); // the third: over the limit of 2

      await().atMost(WAIT).untilAsserted(() -> {
        HttpResponse<String> live = t.adminGet("/health/live");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(503);
        assertThat(live.body()).contains("\"stuck_threads\" : 3", "\"max_stuck_threads\" : 2");
      });
      assertThat(t.adminGet("/health/live").statusCode()).isEqualTo(503);
      assertThat(log.text())
          .contains("3 threads are stuck in timed-out requests", "over max-stuck-threads (2)",
              "the process supervisor restarts the server");
      assertThat(log.text().split("threads are stuck in timed-out requests", -1)).as("logged once").hasSize(2);
      assertThat(t.get("/").statusCode()).as("the server still serves meanwhile").isEqualTo(200);

      release.countDown();

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(t.server.stats().abandonedThreads()).isZero();
        assertThat(t.adminGet("/health/live").statusCode()).isEqualTo(200);
      });
    }
  }

  @Test
  void a_boot_that_overran_boot_timeout_and_ignores_its_interrupt_counts_as_stuck_until_it_returns()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger boots = new AtomicInteger();
    Application firstBootHangs = new Application() {
      @Override
      public void onStart() {
        if (boots.incrementAndGet() > 1) {
          return;
        }
        while (true) {
          try {
            release.await();
            return;
          } catch (InterruptedException ignored) {
            // ignored on purpose: the boot-timeout cannot stop this one
          }
        }
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("ok");
      }
    };
    try (TestServer t = TestServer.start(() -> firstBootHangs,
        c -> c.withWorkers(1).with(Settings.BOOT_TIMEOUT, Duration.ofMillis(500)))) {
      assertThat(t.get("/").statusCode()).isEqualTo(200);
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(t.server.stats().abandonedThreads()).as("stuck threads after a hung boot").isEqualTo(1));

      release.countDown();

      await().atMost(WAIT).untilAsserted(() ->
          assertThat(t.server.stats().abandonedThreads()).as("stuck threads once it returned").isZero());
    }
  }
}
