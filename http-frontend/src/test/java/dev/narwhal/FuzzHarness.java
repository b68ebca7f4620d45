package dev.narwhal;

import static org.awaitility.Awaitility.await;

import dev.narwhal.fuzz.Mutator;
import dev.narwhal.fuzz.ResponseStream;
import dev.narwhal.fuzz.StrictParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends one input per connection to a running server and judges what came back against the
 * invariants of issue 16, with {@link StrictParser} as the reference for what the bytes say.
 * Keeps the tallies the run prints: outcomes, violations by class, and the mutations behind them.
 */
final class FuzzHarness {
  /** What the application saw of one request. */
  record Seen(String method, byte[] body) {}

  /** A broken invariant: its class (invariant/reference verdict), and what showed it. */
  record Violation(String key, String detail) {}

  /** 501 (unknown method or transfer coding) and 505 (HTTP/2.0 and up) are RFC 9110's own answers. */
  private static final List<Integer> PROTOCOL_5XX = List.of(501, 505);

  final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  final Application app = Application.of(r -> {
    seen.add(new Seen(r.method(), r.body()));
    return Response.ok("fuzz");
  });

  final Map<String, Integer> outcomes = new TreeMap<>();
  final Map<String, Integer> violations = new TreeMap<>();
  /** Per violation class: how often each mutation class took part in an input that showed it. */
  final Map<String, Map<String, Integer>> mutationsBehind = new TreeMap<>();
  final Map<String, String> firstExample = new TreeMap<>();
  /** Requests the reference noted as lenient-but-unambiguous that the app received anyway. */
  final Map<String, Integer> lenientAccepted = new TreeMap<>();
  int inputs;
  /** Inputs the reference found clean whose requests the server refused (all or some): stricter is allowed. */
  int refusedValid;

  private final Duration deadline;
  private final Set<String> knownVerdicts;

  FuzzHarness(Duration deadline, Set<String> knownVerdicts) {
    this.deadline = deadline;
    this.knownVerdicts = knownVerdicts;
  }

  /** Whether {@code violationClass} (invariant/verdict) has a verdict listed as known. */
  boolean known(String violationClass) {
    return knownVerdicts.contains(violationClass.substring(violationClass.indexOf('/') + 1));
  }

  /** The violation classes not excused by a known verdict. */
  List<String> unknownViolations() {
    return violations.keySet().stream().filter(k -> !known(k)).toList();
  }

  /** Sends {@code input} on a connection of its own to {@code server} and records the verdict. */
  List<Violation> run(Server server, Mutator.Input input) throws IOException {
    inputs++;
    StrictParser.Verdict reference = StrictParser.parse(input.bytes());
    seen.clear();
    ResponseStream.Result result;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      long until = System.nanoTime() + deadline.toNanos();
      socket.setTcpNoDelay(true); // each write its own segment, so a split reaches the parser as one
      try {
        int from = 0;
        for (int to : input.splits()) {
          socket.getOutputStream().write(input.bytes(), from, to - from);
          socket.getOutputStream().flush();
          from = to;
        }
        socket.getOutputStream().write(input.bytes(), from, input.bytes().length - from);
        socket.getOutputStream().flush();
        // nothing more comes: the server must answer what it has or close, not wait for the rest
        socket.shutdownOutput();
      } catch (IOException refusedMidWrite) {
        // the server closed early (an oversized head, say); what it answered is still to be read
      }
      // the first answer is to a HEAD whenever the bytes start so, whatever the reference made of them
      boolean[] heads = new boolean[Math.max(1, reference.requests().size())];
      heads[0] = new String(input.bytes(), 0, Math.min(5, input.bytes().length), StandardCharsets.ISO_8859_1)
          .equals("HEAD ");
      for (int i = 0; i < reference.requests().size(); i++) {
        heads[i] |= reference.requests().get(i).method().equals("HEAD");
      }
      result = ResponseStream.read(socket, until, heads);
    }
    // an app invocation still running when the connection closed must be counted with this input
    if (server.traffic().inFlight() != 0) {
      await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
          .until(() -> server.traffic().inFlight() == 0);
    }
    List<Seen> received = new ArrayList<>(seen);
    List<Violation> found = judge(reference, result, received);
    String outcome = result.statuses() + " " + result.end().name().toLowerCase(java.util.Locale.ROOT);
    outcomes.merge(outcome, 1, Integer::sum);
    for (Violation v : found) {
      violations.merge(v.key(), 1, Integer::sum);
      Map<String, Integer> behind = mutationsBehind.computeIfAbsent(v.key(), k -> new TreeMap<>());
      for (String m : input.mutations().stream().distinct().toList()) {
        behind.merge(m, 1, Integer::sum);
      }
      firstExample.putIfAbsent(v.key(), "seed " + input.seedName() + ", mutations " + input.mutations()
          + ", " + v.detail() + ": " + Mutator.show(input.bytes()));
    }
    return found;
  }

  private List<Violation> judge(StrictParser.Verdict reference, ResponseStream.Result result, List<Seen> received) {
    List<Violation> found = new ArrayList<>();
    if (reference.clean() && received.size() < reference.requests().size()) {
      refusedValid++;
    }
    String verdict = reference.framingError() != null ? reference.framingError()
        : reference.incomplete() ? "incomplete" : "valid";
    String seenText = "answered " + result.statuses() + ", " + result.end().name().toLowerCase(java.util.Locale.ROOT)
        + ", app saw " + received.size() + " of " + reference.requests().size() + " valid";
    if (result.end() == ResponseStream.End.MALFORMED) {
      found.add(new Violation("malformed-response/" + verdict, seenText + ": " + result.problem()));
    }
    if (result.end() == ResponseStream.End.TIMED_OUT) {
      found.add(new Violation("no-close-within-deadline/" + verdict, seenText));
    }
    for (int status : result.statuses()) {
      if (status >= 500 && !PROTOCOL_5XX.contains(status)) {
        found.add(new Violation("5xx/" + verdict, seenText));
        break;
      }
    }
    // one answer per request the reference found, plus at most one for whatever followed them (a
    // rejection, or the answer to a request the reference refused, which reached-app reports)
    if (result.statuses().size() > reference.requests().size() + 1) {
      found.add(new Violation("more-answers-than-requests/" + verdict, seenText));
    }
    if (received.size() > reference.requests().size()) {
      found.add(new Violation("reached-app/" + verdict, seenText));
    }
    for (int i = 0; i < Math.min(received.size(), reference.requests().size()); i++) {
      StrictParser.Request expected = reference.requests().get(i);
      Seen got = received.get(i);
      if (!got.method().equals(expected.method()) || !Arrays.equals(got.body(), expected.body())) {
        found.add(new Violation("app-saw-other-framing/" + verdict, seenText + "; request " + i + " "
            + got.method() + " with " + got.body().length + " body bytes, reference " + expected.method()
            + " with " + expected.body().length));
      }
      for (String note : expected.notes()) {
        lenientAccepted.merge(note, 1, Integer::sum);
      }
    }
    return found;
  }

  /** The block the run prints: easy to paste into docs/reliability.md. */
  String summary(long seed, Duration took) {
    StringBuilder out = new StringBuilder();
    int total = violations.values().stream().mapToInt(Integer::intValue).sum();
    int unknown = violations.entrySet().stream().filter(e -> !known(e.getKey())).mapToInt(Map.Entry::getValue).sum();
    out.append("==== HTTP fuzz summary ====\n");
    out.append(String.format("seed %d, inputs %d, %.1f s; violations %d in %d classes, %d of them not known%n",
        seed, inputs, took.toMillis() / 1000.0, total, violations.size(), unknown));
    out.append(String.format("inputs the reference found valid whose requests the server refused: %d%n", refusedValid));
    out.append("outcomes (final statuses, how the connection ended):\n");
    outcomes.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.append(String.format("  %7d  %s%n", e.getValue(), e.getKey())));
    out.append("violations (invariant/reference verdict: count; mutation classes involved):\n");
    violations.forEach((key, count) -> out.append(String.format("  %7d  %s%s%n            %s; e.g. %s%n",
        count, key, known(key) ? " (known)" : " (NOT KNOWN)", mutationsBehind.get(key), firstExample.get(key))));
    out.append("lenient but unambiguous requests the app received (reference notes): ")
        .append(lenientAccepted).append('\n');
    out.append("==== end ====");
    return out.toString();
  }
}
