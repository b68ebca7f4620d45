package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.dist.reliability.Checks;
import dev.narwhal.dist.reliability.Durations;
import dev.narwhal.dist.reliability.Load;
import dev.narwhal.dist.reliability.Tally;
import dev.narwhal.dist.reliability.Target;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3, graceful stop under load: SIGTERM while the load runs at full rate, with requests
 * that take up to half a second in flight. Every request sent before the signal gets a complete
 * 200 answer (the ones due in the last {@link #MARGIN} before it are counted with the later ones:
 * the client cannot tell whether they reached the server first). After it, a request may be
 * answered (200, or 503 on a kept-alive connection) or not taken at all: connection refused, or an
 * idle kept-alive connection closed by the stop before the request reached it (the client sees an
 * IOException without a byte of answer); an answer that is neither 200 nor 503, or a cut-off body,
 * fails. Exit status 0.
 */
@Tag("reliability")
class ReliabilityGracefulStopIntegrationTest {
  static final double RATE = 150;
  static final Duration MARGIN = Duration.ofMillis(100);

  @TempDir
  Path tmp;

  @Test
  void sigterm_at_full_load_answers_every_request_sent_before_it_and_exits_0() throws Exception {
    Duration before = Durations.of(8, 30);
    Checks checks = new Checks("graceful-stop");
    try (ReliabilityServer server = ReliabilityServer.start("graceful-stop", tmp.resolve("out.log"), Map.of(), "chaos",
        "-w", "16", "--graceful-timeout", "30")) {
      Load load = server.load(RATE, List.of(
          Target.get("root", 40, "/", 200, 503),
          Target.get("sleep", 40, "/sleep?ms=100", 200, 503),
          Target.get("slow", 10, "/sleep?ms=500", 200, 503),
          Target.get("bytes", 10, "/bytes?n=65536", 200, 503).withLength(65536)));
      load.warmUp(Duration.ofSeconds(3));
      load.start();
      Thread.sleep(before); // the load runs for this long before the signal: it is the scenario's clock
      load.splitAt(System.nanoTime() - MARGIN.toNanos());
      var inFlight = server.probe.stats().path("in_flight").asLong();
      server.process.signal("TERM");
      long signalled = System.nanoTime();
      // keep the load up while the server drains, until it has exited
      int exit = server.process.exitStatus(Duration.ofSeconds(60));
      Duration drain = Duration.ofNanos(System.nanoTime() - signalled);
      load.stop();
      boolean settled = load.settle(Duration.ofSeconds(30));

      Tally accepted = load.total();
      Tally after = load.laterTotal();
      long afterRefused = after.byError().getOrDefault(ConnectException.class.getSimpleName(), 0L);
      long afterOtherErrors = after.failedCount() - afterRefused;
      long acceptedNon200 = accepted.sentCount() - accepted.answered(200);
      long afterBad = after.byStatus().entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 503)
          .mapToLong(Map.Entry::getValue).sum();
      checks.note(String.format("load: %d s at %.1f req/s before SIGTERM; %d in flight at the signal; drained and exited in %d ms; machine load average %s",
          before.toSeconds(), RATE, inFlight, drain.toMillis(), ReliabilitySoakIntegrationTest.loadAverage()));
      checks.note("per kind (' = due in the last " + MARGIN.toMillis() + " ms before the signal or after it):\n" + load.report());

      checks.check("every request settled", settled && load.everything().open() == 0, "open " + load.everything().open());
      checks.check("every request sent before the signal got a complete 200", acceptedNon200 == 0 && accepted.unexpected() == 0,
          accepted.sentCount() + " sent: " + accepted.byStatus() + ", errors " + accepted.byError());
      checks.check("after the signal: answered 200/503 or not taken, never a wrong or cut-off answer",
          afterBad == 0 && after.unexpected() == 0, after.sentCount() + " sent: " + after.byStatus() + ", refused "
              + afterRefused + ", connection closed before an answer " + afterOtherErrors + " " + after.byError());
      checks.check("exit status 0", exit == 0, "exit " + exit);
    }
    assertThat(checks.finish()).endsWith(" 0 failed");
  }
}
