package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.WorkerState;
import dev.narwhal.testing.Chromium;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless browser (Debian's chromium and chromedriver; skipped when they
 * are missing, except in CI): it renders, shows the pool, follows traffic, and leaves a screenshot in
 * {@code target/dashboard.png}. The page rebuilds its tables every second, so an element found
 * a moment ago may be gone: the waits retry on stale elements.
 *
 * <p>{@code -Dnarwhal.dashboard.trafficSeconds=60} sends traffic longer, for a fuller screenshot
 * (docs/images/dashboard.png was made that way).
 */
class DashboardIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path profile;

  static final Application APP = DashboardIntegrationTest::handle;

  /** Mixed latencies, some errors, one request that hangs past the timeout. */
  static Response handle(Request request) throws Exception {
    switch (request.path()) {
      case "/sleep" -> Thread.sleep(Long.parseLong(request.queryParam("ms").orElse("10")));
      case "/hang" -> {
        while (true) {
          LockSupport.park();
          Thread.interrupted();
        }
      }
      case "/fail" -> {
        return Response.text(500, "failed\n");
      }
      default -> { }
    }
    return Response.ok("ok\n");
  }

  static String text(WebDriver driver, String id) {
    return driver.findElement(By.id(id)).getText().strip();
  }

  static long number(WebDriver driver, String id) {
    String t = text(driver, id).replace(",", "");
    return t.matches("\\d+") ? Long.parseLong(t) : -1;
  }

  @Test
  void the_dashboard_shows_the_pool_follows_traffic_and_leaves_a_screenshot() throws Exception {
    Chromium.require();
    int trafficSeconds = Integer.getInteger("narwhal.dashboard.trafficSeconds", 4);
    try (TestServer t = TestServer.start(APP,
        c -> c.withWorkers(4).with(Settings.TIMEOUT, Duration.ofSeconds(2)))) {
      WebDriver driver = Chromium.start(profile, 1400, 1000);
      try {
        driver.manage().window().setSize(new Dimension(1400, 1000));
        driver.get("http://127.0.0.1:" + t.server.adminPort() + "/");

        await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
          assertThat(text(driver, "state")).isEqualToIgnoringCase("serving");
          assertThat(text(driver, "booted-workers")).isEqualTo("4");
          assertThat(text(driver, "target-workers")).isEqualTo("4");
          assertThat(driver.findElements(By.cssSelector("#workers tbody tr[data-index]"))).hasSize(4);
          assertThat(number(driver, "total-requests")).isZero();
        });
        assertThat(driver.getTitle()).contains("narwhal");

        long sent = traffic(t, trafficSeconds);
        assertThat(t.get("/hang").statusCode()).isEqualTo(504); // a timeout, to list a restart
        t.server.reload();
        await().atMost(WAIT).until(() -> t.server.stats().workers().stream()
            .allMatch(w -> w.phase() == 2 && w.state() == WorkerState.IDLE));
        CompletableFuture<HttpResponse<String>> slow = t.getAsync("/sleep?ms=20000");

        await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
          assertThat(number(driver, "total-requests")).isEqualTo(sent + 2);
          assertThat(driver.findElements(By.cssSelector("#restarts tbody tr td .pill")))
              .extracting(WebElement::getText).contains("timeout", "reload");
          assertThat(driver.findElements(By.cssSelector("#workers tbody tr[data-state='busy']")))
              .singleElement().extracting(WebElement::getText).asString().contains("GET /sleep");
          assertThat(text(driver, "phase")).isEqualTo("2");
          assertThat(driver.findElements(By.cssSelector("#chart-rate path"))).isNotEmpty();
          assertThat(driver.findElements(By.cssSelector("#chart-latency path"))).isNotEmpty();
        });

        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isGreaterThan(10_000);
        slow.cancel(true);
      } finally {
        driver.quit();
      }
    }
  }

  @Test
  void with_admin_read_auth_on_the_dashboard_opened_once_with_its_token_keeps_polling_stats() throws Exception {
    Chromium.require();
    try (TestServer t = TestServer.start(APP, c -> c.withWorkers(2).with(Settings.ADMIN_READ_AUTH, true))) {
      WebDriver driver = Chromium.start(profile, 1000, 800);
      try {
        driver.get("http://127.0.0.1:" + t.server.adminPort() + "/?token=" + t.token());
        await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
          assertThat(driver.getCurrentUrl()).doesNotContain("token");
          assertThat(text(driver, "state")).isEqualToIgnoringCase("serving");
          assertThat(text(driver, "booted-workers")).isEqualTo("2");
        });
      } finally {
        driver.quit();
      }
    }
  }

  /** Four clients for {@code seconds}: mostly quick, some slower, a few 500s. Returns how many were sent. */
  static long traffic(TestServer t, int seconds) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<CompletableFuture<Long>> done = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      done.add(CompletableFuture.supplyAsync(() -> {
        long n = 0;
        while (System.nanoTime() < end) {
          // latencies that swell and ebb over time, so the charts have a shape
          double wave = 1 + Math.sin((System.nanoTime() - start) / 6e9);
          long ms = Math.round(2 + 8 * wave) * (n % 7 == 0 ? 4 + client : 1);
          String path = n % 37 == 5 ? "/fail" : "/sleep?ms=" + ms;
          try {
            t.get(path);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          n++;
        }
        return n;
      }, clients));
    }
    long sent = 0;
    for (CompletableFuture<Long> f : done) {
      sent += f.get(seconds + 60L, TimeUnit.SECONDS);
    }
    clients.shutdown();
    return sent;
  }
}
