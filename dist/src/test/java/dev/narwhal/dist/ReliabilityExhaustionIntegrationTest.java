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
 * Scenario 6, resource exhaustion: a 192 MiB heap, 4 workers and a backlog of 32, driven at about
 * two and a half times what the workers can serve with requests that each allocate 16 MiB or sleep
 * 100 ms. The server's GC log is kept in target/reliability/exhaustion.gc.log.
 * The backlog fills: the overflow must get 503 at once, never a connection error, a crash or a
 * hang; and when the load stops, the server must serve normally again.
 *
 * <p>The load warms up first (counted apart): as in gunicorn, {@code backlog} is also the socket's
 * listen queue, and a cold server hit by a burst of new connections can overflow a small one; the
 * kernel then drops SYNs and the client retries after 1 s and 3 s. That is a connection-level limit
 * of the setting, reported by the warm-up line, not the request-level overflow this scenario is about.
 */
@Tag("reliability")
class ReliabilityExhaustionIntegrationTest {
  static final double RATE = 100;
  static final String HEAP = "-Xmx192m";

  @TempDir
  Path tmp;

  static Path gcLog() throws java.io.IOException {
    return java.nio.file.Files.createDirectories(Path.of("target", "reliability").toAbsolutePath()).resolve("exhaustion.gc.log");
  }

  @Test
  void heap_pressure_and_a_full_backlog_give_503s_not_crashes_and_the_server_recovers() throws Exception {
    Duration length = Durations.of(12, 60);
    Checks checks = new Checks("exhaustion");
    try (ReliabilityServer server = ReliabilityServer.start("exhaustion", tmp.resolve("out.log"),
        Map.of("JAVA_OPTS", HEAP + " -Xlog:gc:file=" + gcLog()), "chaos", "-w", "4", "--backlog", "32", "--timeout", "10")) {
      long pid = server.process.process.pid();
      long heapBefore = server.probe.heapAfterGcKb();
      Load load = server.load(RATE, List.of(
          Target.get("alloc", 30, "/alloc?mb=16", 200, 503),
          Target.get("sleep", 70, "/sleep?ms=100", 200, 503)));
      load.warmUp(Duration.ofSeconds(3));
      load.runFor(length);
      boolean settled = load.settle(Duration.ofSeconds(60));
      Tally total = load.total();

      Load after = server.load(20, List.of(Target.get("root", 1, "/")));
      after.runFor(Duration.ofSeconds(5));
      boolean afterSettled = after.settle(Duration.ofSeconds(30));
      long heapAfter = server.probe.heapAfterGcKb();
      var stats = server.probe.stats();
      checks.note(String.format("load: %d s at %.1f req/s requested, %.1f achieved (capacity about 40 req/s); heap %s; machine load average %s",
          length.toSeconds(), RATE, load.achievedRate(length), HEAP, ReliabilitySoakIntegrationTest.loadAverage()));
      checks.note("overload:\n" + load.report());
      checks.note("recovery (5 s at 20 req/s right after):\n" + after.report());

      long other = total.sentCount() - total.answered(200) - total.answered(503);
      checks.check("every request answered", settled && total.open() == 0, "open " + total.open());
      checks.check("zero connection errors", total.failedCount() == 0, "errors " + total.byError());
      checks.check("only 200 or 503", other == 0 && total.unexpected() == 0, total.byStatus().toString());
      checks.check("the backlog filled and overflowed as 503", total.answered(503) > 0, total.answered(503) + " x 503");
      checks.check("no crash", server.alive() && stats.path("server").path("pid").asLong() == pid
          && stats.path("totals").path("crashed").asLong() == 0, "pid " + stats.path("server").path("pid")
              + ", workers crashed " + stats.path("totals").path("crashed") + ", timed out " + stats.path("totals").path("timed_out"));
      checks.check("recovered: every request after the load answered 200", afterSettled
          && after.total().answered(200) == after.total().sentCount() && after.total().failedCount() == 0,
          after.total().byStatus() + String.format(", p99 %.1f ms", after.total().latencyMs(99)));
      checks.check("heap after GC back to its level", heapAfter <= heapBefore + 24 * 1024,
          String.format("%d KiB -> %d KiB", heapBefore, heapAfter));
    }
    assertThat(checks.finish()).endsWith(" 0 failed");
  }
}
