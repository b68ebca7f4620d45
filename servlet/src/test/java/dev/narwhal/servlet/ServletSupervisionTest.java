package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.TestServer;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A servlet app under Narwhal's supervision, on a real server: a stuck servlet is timed out with
 * its stack in the log, and the web app's listeners follow workers through recycling and reloads.
 */
class ServletSupervisionTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final AtomicInteger STARTED = new AtomicInteger();
  static final AtomicInteger STOPPED = new AtomicInteger();

  /** Counts web app starts and stops across every app instance. */
  public static final class Counting implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent sce) {
      STARTED.incrementAndGet();
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
      STOPPED.incrementAndGet();
    }
  }

  static ServletApp.Builder app() {
    return ServletApp.builder().discoverInitializers(false).listener(Counting.class)
        .servlet("hang", Bridge.servlet((req, resp) -> Thread.sleep(60_000)), "/hang")
        .servlet("ok", Bridge.servlet((req, resp) -> resp.getWriter().print("ok")), "/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "virtual"})
  void a_stuck_servlet_gets_504_with_its_stack_in_the_log_and_its_worker_is_replaced(String kind) throws Exception {
    try (LogCapture log = new LogCapture("dev.narwhal.supervisor.Arbiter");
        TestServer t = TestServer.start(app()::build, c -> c.withWorkers(2).with(Settings.WORKER_CLASS, kind)
            .with(Settings.TIMEOUT, Duration.ofSeconds(1)))) {
      assertThat(t.get("/hang").statusCode()).isEqualTo(504);
      // the stuck thread's stack goes through the bridge down to the servlet's own code
      await().atMost(WAIT).untilAsserted(() -> assertThat(log.text())
          .contains("WORKER TIMEOUT (worker ", "GET /hang", "Thread.sleep", "ServletSupervisionTest.lambda$app$",
              "dev.narwhal.servlet.internal.WebApp.dispatch"));
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 2);
      assertThat(t.get("/").body()).isEqualTo("ok");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "virtual"})
  void listeners_run_again_for_every_recycled_and_reloaded_worker(String kind) throws Exception {
    STARTED.set(0);
    STOPPED.set(0);
    try (TestServer t = TestServer.start(app()::build, c -> c.withWorkers(2).with(Settings.WORKER_CLASS, kind)
        .with(Settings.MAX_REQUESTS, 3).with(Settings.MAX_REQUESTS_JITTER, 0))) {
      await().atMost(WAIT).until(() -> STARTED.get() == 2);
      for (int i = 0; i < 12; i++) {
        assertThat(t.get("/").statusCode()).isEqualTo(200);
      }
      await().atMost(WAIT).until(() -> STOPPED.get() >= 2 && STARTED.get() >= 4);

      int before = STARTED.get();
      t.server.reload(t.server.config(), app()::build);
      await().atMost(WAIT).until(() -> STARTED.get() >= before + 2);
      assertThat(t.get("/").body()).isEqualTo("ok");
    }
    assertThat(STOPPED.get()).isEqualTo(STARTED.get()); // every web app started was destroyed
  }
}
