package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.dist.reliability.Checks;
import dev.narwhal.dist.reliability.Durations;
import dev.narwhal.dist.reliability.Load;
import dev.narwhal.dist.reliability.Tally;
import dev.narwhal.dist.reliability.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2, reload and scale storm: under a steady load, SIGHUP every 5 s (a rolling reload of
 * every worker) and SIGTTIN / SIGTTOU in turn every 2 s. Not one request may get a non-2xx answer
 * or a connection error.
 */
@Tag("reliability")
class ReliabilityReloadStormIntegrationTest {
  static final double RATE = 150;
  static final int WORKERS = 4;

  @TempDir
  Path tmp;

  @Test
  void hup_every_5_s_and_ttin_ttou_every_2_s_under_load_give_no_non_2xx_answer() throws Exception {
    Duration length = Durations.of(15, 60);
    Checks checks = new Checks("reload-storm");
    try (ReliabilityServer server = ReliabilityServer.start("reload-storm", tmp.resolve("out.log"), Map.of(), "chaos",
        "-w", Integer.toString(WORKERS))) {
      Load load = server.load(RATE, List.of(
          Target.get("root", 50, "/"),
          Target.get("sleep", 25, "/sleep?ms=20"),
          Target.get("bytes", 15, "/bytes?n=16384").withLength(16384),
          Target.post("upload", 10, "/upload", new byte[4096])));
      load.warmUp(Duration.ofSeconds(3));
      load.start();
      int hups = 0;
      int ttins = 0;
      int ttous = 0;
      int expectedWorkers = WORKERS;
      long start = System.nanoTime();
      for (int second = 1; second <= length.toSeconds(); second++) {
        Thread.sleep(Math.max(0, start + second * 1_000_000_000L - System.nanoTime()) / 1_000_000); // the storm's beat
        if (second % 5 == 0) {
          server.process.signal("HUP");
          hups++;
          expectedWorkers = WORKERS; // as in gunicorn, a reload goes back to the configured count
        }
        if (second % 2 == 0) {
          boolean up = (second / 2) % 2 == 1;
          server.process.signal(up ? "TTIN" : "TTOU");
          if (up) {
            ttins++;
            expectedWorkers++;
          } else {
            ttous++;
            expectedWorkers = Math.max(1, expectedWorkers - 1);
          }
        }
      }
      load.stop();
      boolean settled = load.settle(Duration.ofSeconds(30));
      Tally total = load.total();
      var stats = server.probe.stats();
      checks.note(String.format("load: %d s at %.1f req/s requested, %.1f achieved; machine load average %s",
          length.toSeconds(), RATE, load.achievedRate(length), ReliabilitySoakIntegrationTest.loadAverage()));
      checks.note(String.format("signals: %d HUP, %d TTIN, %d TTOU; server counted %d reloads, %d workers spawned",
          hups, ttins, ttous, stats.path("totals").path("reloads").asLong(), stats.path("totals").path("spawned").asLong()));
      checks.note("per kind:\n" + load.report());

      long non2xx = total.byStatus().entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue).sum();
      checks.check("every request answered", settled && total.open() == 0, "open " + total.open());
      checks.check("zero connection errors", total.failedCount() == 0, "errors " + total.byError());
      checks.check("zero non-2xx answers", non2xx == 0 && total.unexpected() == 0, total.byStatus().toString());
      checks.check("the server reloaded", stats.path("totals").path("reloads").asLong() >= 1,
          "reloads " + stats.path("totals").path("reloads"));
      checks.check("the server is serving with the expected worker count", server.alive()
          && stats.path("target_workers").asInt() == expectedWorkers,
          "target_workers " + stats.path("target_workers") + ", expected " + expectedWorkers);
    }
    assertThat(checks.finish()).endsWith(" 0 failed");
  }
}
