package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.dist.reliability.Checks;
import dev.narwhal.dist.reliability.Durations;
import dev.narwhal.dist.reliability.Fuzz;
import dev.narwhal.dist.reliability.Load;
import dev.narwhal.dist.reliability.RawClients;
import dev.narwhal.dist.reliability.RawClients.Outcome;
import dev.narwhal.dist.reliability.Tally;
import dev.narwhal.dist.reliability.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5, bad input under load: while normal requests flow, the shared conformance corpus
 * (RFC-graded), oversized request lines, headers and bodies, and a seeded fuzz of malformed request
 * heads. The server must never crash, never answer 2xx to a malformed request, and keep answering
 * the normal traffic without an error. Runs the echo app, which the corpus needs.
 */
@Tag("reliability")
class ReliabilityBadInputIntegrationTest {
  static final double RATE = 50;
  static final long SEED = 20261125L;
  static final int FUZZ_PARALLEL = 16;
  static final Duration NO_ANSWER = Duration.ofSeconds(3);

  @TempDir
  Path tmp;

  @Test
  void malformed_and_oversized_requests_under_load_are_refused_and_the_server_keeps_serving() throws Exception {
    int fuzzCases = Durations.count(400, 3000);
    Checks checks = new Checks("bad-input");
    try (ReliabilityServer server = ReliabilityServer.start("bad-input", tmp.resolve("out.log"), Map.of(), "echo",
        "-w", "4")) {
      long pid = server.process.process.pid();
      Load load = server.load(RATE, List.of(Target.get("get", 70, "/ok?x=1"),
          Target.post("post", 30, "/ok", "hello".getBytes(StandardCharsets.US_ASCII))));
      load.warmUp(Duration.ofSeconds(2));
      long started = System.nanoTime();
      load.start();

      Map<String, Long> conformance = conformance(server.port(), checks);
      Map<String, Map<String, Long>> oversized = oversized(server.port());
      Map<String, Map<String, Long>> fuzz = fuzz(server.port(), fuzzCases);

      load.stop();
      Duration ran = Duration.ofNanos(System.nanoTime() - started);
      boolean settled = load.settle(Duration.ofSeconds(30));
      Tally total = load.total();
      var stats = server.probe.stats();
      checks.note(String.format("normal load: %.0f req/s for %d s (while the bad input ran); machine load average %s",
          RATE, ran.toSeconds(), ReliabilitySoakIntegrationTest.loadAverage()));
      checks.note("normal traffic:\n" + load.report());
      checks.note("oversized, by outcome: " + oversized);
      checks.note("fuzz (" + fuzzCases + " cases, seed " + SEED + "), by kind and outcome: " + fuzz);

      long oversized2xx = oversized.values().stream().mapToLong(m -> m.getOrDefault("2xx", 0L)).sum();
      long oversizedSilent = oversized.values().stream().mapToLong(m -> m.getOrDefault("no answer", 0L)).sum();
      long fuzz2xx = fuzz.values().stream().mapToLong(m -> m.getOrDefault("2xx", 0L)).sum();
      checks.check("conformance: no malformed request accepted", conformance.get("reject-failed") == 0,
          conformance.get("reject-failed") + " of " + conformance.get("reject") + " reject cases failed");
      checks.check("conformance: at least the suite's floor passes under load", conformance.get("passed") >= 115,
          conformance.get("passed") + " passed, " + conformance.get("failed") + " failed (floor 115, as ConformanceIntegrationTest)");
      checks.check("oversized requests refused, none 2xx", oversized2xx == 0 && oversizedSilent == 0, oversized.toString());
      checks.check("fuzzed heads: none answered 2xx", fuzz2xx == 0, fuzz2xx + " of " + fuzzCases);
      checks.check("normal traffic: every request answered 200", settled && total.answered(200) == total.sentCount()
          && total.failedCount() == 0, total.byStatus() + ", errors " + total.byError());
      checks.check("the server never crashed", server.alive() && stats.path("server").path("pid").asLong() == pid
          && stats.path("totals").path("crashed").asLong() == 0,
          "pid " + stats.path("server").path("pid") + " (started as " + pid + "), workers crashed "
              + stats.path("totals").path("crashed"));
      checks.check("still serving", server.process.get("/after").statusCode() == 200, "GET /after");
    }
    assertThat(checks.finish()).endsWith(" 0 failed");
  }

  /** Runs the corpus, RFC-graded; returns passed, failed, reject (cases) and reject-failed. */
  private Map<String, Long> conformance(int port, Checks checks) throws Exception {
    Path runner = NarwhalProcess.ROOT.resolve("../shared/conformance/run.py").normalize();
    String dir = System.getenv("NARWHAL_CONFORMANCE_DIR");
    if (dir != null && !dir.isBlank()) {
      runner = Path.of(dir, "run.py");
    }
    Path out = tmp.resolve("summary.json");
    Path log = tmp.resolve("cases.txt");
    Process p = new ProcessBuilder("python3", runner.toString(), "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--rfc", "--timeout", "5", "--json", "-")
        .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("conformance suite still running after 5 minutes");
    }
    JsonNode summary = new ObjectMapper().readTree(out.toFile());
    long reject = 0;
    long rejectFailed = 0;
    for (JsonNode c : summary.path("cases")) {
      if (c.path("verdict").asText().equals("reject")) {
        reject++;
        if (c.path("result").asText().equals("FAIL")) {
          rejectFailed++;
          checks.note("conformance FAIL " + c.path("id").asText() + ": " + c.path("reason").asText());
        }
      }
    }
    checks.note("conformance corpus (--rfc): " + summary.path("summary_line").asText());
    return Map.of("passed", summary.path("passed").asLong(), "failed", summary.path("failed").asLong(),
        "reject", reject, "reject-failed", rejectFailed);
  }

  /** Each oversized kind 10 times: a long target, a huge header, too many headers, a huge body. */
  private Map<String, Map<String, Long>> oversized(int port) throws IOException {
    String many = "X-Many: 1\r\n".repeat(150);
    Map<String, byte[]> kinds = Map.of(
        "target 10 KiB", ascii("GET /" + "a".repeat(10_240) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        "header value 64 KiB", ascii("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(65_536) + "\r\n\r\n"),
        "150 headers", ascii("GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n"),
        "declared body 200 MB", ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000000\r\n\r\nabc"));
    Map<String, Map<String, Long>> outcomes = new TreeMap<>();
    for (var kind : kinds.entrySet()) {
      for (int i = 0; i < 10; i++) {
        outcomes.computeIfAbsent(kind.getKey(), k -> new TreeMap<>())
            .merge(label(RawClients.exchange(port, kind.getValue(), NO_ANSWER)), 1L, Long::sum);
      }
    }
    return outcomes;
  }

  /** The seeded fuzz, {@link #FUZZ_PARALLEL} connections at a time. */
  private Map<String, Map<String, Long>> fuzz(int port, int cases) throws Exception {
    Fuzz fuzz = new Fuzz(SEED);
    Map<String, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(FUZZ_PARALLEL);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < cases; i++) {
        Fuzz.Case c = fuzz.next();
        slots.acquire();
        done.add(pool.submit(() -> {
          try {
            String outcome = label(RawClients.exchange(port, c.bytes(), NO_ANSWER));
            outcomes.computeIfAbsent(c.kind(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, k -> new LongAdder()).increment();
          } catch (IOException e) {
            outcomes.computeIfAbsent(c.kind(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent("connect failed", k -> new LongAdder()).increment();
          } finally {
            slots.release();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    Map<String, Map<String, Long>> out = new TreeMap<>();
    outcomes.forEach((kind, m) -> m.forEach((o, n) -> out.computeIfAbsent(kind, k -> new TreeMap<>()).put(o, n.sum())));
    return out;
  }

  private static String label(Outcome o) {
    if (o.timedOut()) {
      return "no answer";
    }
    if (o.closed()) {
      return "closed";
    }
    return o.is2xx() ? "2xx" : Integer.toString(o.status());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
