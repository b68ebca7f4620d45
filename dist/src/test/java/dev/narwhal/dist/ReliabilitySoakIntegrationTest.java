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
 * Scenario 1, soak: a steady mixed load with 1% of requests that hang forever and 1% that throw,
 * while workers recycle every ~100 requests. Every request must be answered with the status its
 * kind deserves, and the process must not grow: live threads by no more than the threads it
 * abandoned to hung handlers, heap (after a full GC) within a fixed margin.
 */
@Tag("reliability")
class ReliabilitySoakIntegrationTest {
  static final double RATE = 205;
  static final int THREAD_SLACK = 12;
  static final long HEAP_SLACK_KB = 24 * 1024;

  @TempDir
  Path tmp;

  static List<Target> mix() {
    return List.of(
        Target.get("root", 40, "/"),
        Target.get("sleep", 20, "/sleep?ms=10"),
        Target.get("cpu", 10, "/cpu?ms=2"),
        Target.get("bytes", 10, "/bytes?n=65536").withLength(65536),
        Target.post("upload", 10, "/upload", new byte[8192]),
        Target.get("alloc", 8, "/alloc?mb=2"),
        Target.get("hang", 1, "/hang", 504),
        Target.get("boom", 1, "/boom", 500));
  }

  @Test
  void a_soak_with_hangs_crashes_and_recycling_answers_every_request_and_does_not_grow() throws Exception {
    Duration length = Durations.of(15, 60);
    Checks checks = new Checks("soak");
    try (ReliabilityServer server = ReliabilityServer.start("soak", tmp.resolve("out.log"), Map.of(), "chaos",
        "-w", "8", "--max-requests", "100", "--max-requests-jitter", "20", "--timeout", "2")) {
      Load warm = server.load(100, List.of(Target.get("root", 1, "/"), Target.get("bytes", 1, "/bytes?n=65536")));
      warm.runFor(Duration.ofSeconds(3));
      warm.settle(Duration.ofSeconds(10));
      int threadsBefore = server.probe.threads();
      long heapBefore = server.probe.heapAfterGcKb();
      long abandonedBefore = server.probe.stats().path("abandoned_threads").asLong();

      Load load = server.load(RATE, mix()).warmUp(Duration.ofSeconds(3));
      load.runFor(length);
      boolean settled = load.settle(Duration.ofSeconds(30));
      Tally total = load.total();
      checks.note(String.format("load: %.0f s at %.1f req/s requested, %.1f achieved; machine load average %s",
          (double) length.toSeconds(), RATE, load.achievedRate(length), loadAverage()));
      checks.note("per kind:\n" + load.report());

      long abandoned = server.probe.stats().path("abandoned_threads").asLong() - abandonedBefore;
      // retiring workers finish their last request after the load stops: give them a moment to go
      int threadsAfter = awaitThreadsAtMost(server, threadsBefore + (int) abandoned + THREAD_SLACK);
      long heapAfter = server.probe.heapAfterGcKb();
      var totals = server.probe.stats().path("totals");

      checks.check("every request answered", settled && total.open() == 0, "open " + total.open());
      checks.check("zero connection errors", total.failedCount() == 0, "errors " + total.byError());
      checks.check("rate at least 200 req/s", load.achievedRate(length) >= 200,
          String.format("%.1f req/s", load.achievedRate(length)));
      for (var e : load.tallies().entrySet()) {
        checks.check(e.getKey() + " answered as expected", e.getValue().unexpected() == 0 && e.getValue().sentCount() > 0,
            e.getValue().byStatus() + ", unexpected " + e.getValue().unexpected());
      }
      checks.check("live threads grow by no more than the abandoned ones", threadsAfter - threadsBefore <= abandoned + THREAD_SLACK,
          String.format("threads %d -> %d, abandoned %d (slack %d)", threadsBefore, threadsAfter, abandoned, THREAD_SLACK));
      checks.check("heap after GC stable", heapAfter <= heapBefore + HEAP_SLACK_KB,
          String.format("%d KiB -> %d KiB (allowed +%d KiB)", heapBefore, heapAfter, HEAP_SLACK_KB));
      checks.check("server alive", server.alive(), "recycled " + totals.path("recycled") + ", timed out "
          + totals.path("timed_out") + ", spawned " + totals.path("spawned"));
    }
    assertThat(checks.finish()).endsWith(" 0 failed");
  }

  private static int awaitThreadsAtMost(ReliabilityServer server, int limit) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int threads = server.probe.threads();
    while (threads > limit && System.nanoTime() < deadline) {
      Thread.sleep(200); // polling a process from outside: there is no event to wait on
      threads = server.probe.threads();
    }
    return threads;
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
