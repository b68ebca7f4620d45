// bench/OverloadBench.java: the load generator of bench/overload, run as a single-file source
// program (java bench/OverloadBench.java MODE URL ...). JDK 21+, no dependencies.
//
// Two modes:
//   closed URL CLIENTS SECONDS   CLIENTS loops of sequential GETs: with as many clients as the
//                                server has workers, its capacity (req/s) and its unloaded latency.
//   open URL RATE SECONDS        an open loop: a GET is sent every 1/RATE s whatever the server
//                                answers, each on its own virtual thread, so the offered load is
//                                RATE however slow the answers are or how fast the 503s come back.
//
// Why not wrk: wrk is a closed loop (a connection sends its next request when the previous one is
// answered), so the offered load follows the server: it cannot offer 4 x capacity, and a server
// that sheds makes it send faster. wrk2 (constant rate) is not packaged. Latency here is measured
// from the time a request was due to be sent, not from when it was sent, so a generator that falls
// behind does not hide the wait (coordinated omission); "late_ms" says how far behind it fell.
//
// Prints one "key=value" line per figure: sent, ok, shed (503), errors, goodput (2xx per second of
// the first send to the last answer), p50_ms, p99_ms, max_ms (of 2xx only), late_ms (the most the sender fell behind).

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

public class OverloadBench {
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  final ConcurrentLinkedQueue<Long> okNanos = new ConcurrentLinkedQueue<>();
  final LongAdder sent = new LongAdder();
  final LongAdder shed = new LongAdder();
  final LongAdder errors = new LongAdder();

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    URI uri = URI.create(args[1]);
    double amount = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    OverloadBench bench = new OverloadBench();
    long start = System.nanoTime();
    long late = mode.equals("open") ? bench.open(uri, amount, seconds) : bench.closed(uri, (int) amount, seconds);
    bench.report(System.nanoTime() - start, seconds, late);
  }

  /** Sends at a fixed rate for the duration, then waits for every answer; returns the most it fell behind. */
  long open(URI uri, double rate, int seconds) throws InterruptedException {
    long interval = (long) (1e9 / rate);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long maxLate = 0;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long due = start; due < end; due += interval) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else {
          maxLate = Math.max(maxLate, -wait);
        }
        long dueAt = due;
        threads.execute(() -> send(uri, dueAt));
      }
    } // waits for every request to be answered (or to time out)
    return maxLate;
  }

  /** CLIENTS sequential loops for the duration. */
  long closed(URI uri, int clients, int seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < clients; i++) {
        threads.execute(() -> {
          while (System.nanoTime() < end) {
            send(uri, System.nanoTime());
          }
        });
      }
    }
    return 0;
  }

  void send(URI uri, long dueNanos) {
    sent.increment();
    try {
      HttpResponse<Void> response = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        okNanos.add(System.nanoTime() - dueNanos);
      } else if (response.statusCode() == 503) {
        shed.increment();
      } else {
        errors.increment();
      }
    } catch (Exception e) {
      errors.increment();
    }
  }

  void report(long elapsedNanos, int seconds, long lateNanos) {
    List<Long> ok = new ArrayList<>(okNanos);
    Collections.sort(ok);
    System.out.println("sent=" + sent.sum());
    System.out.println("ok=" + ok.size());
    System.out.println("shed=" + shed.sum());
    System.out.println("errors=" + errors.sum());
    // per second from the first send to the last answer: a backlog still draining after the
    // sending phase stretches the time its answers took
    System.out.printf("goodput=%.1f%n", ok.size() / (elapsedNanos / 1e9));
    System.out.printf("p50_ms=%.3f%n", pct(ok, 50));
    System.out.printf("p99_ms=%.3f%n", pct(ok, 99));
    System.out.printf("max_ms=%.3f%n", ok.isEmpty() ? 0.0 : ok.get(ok.size() - 1) / 1e6);
    System.out.printf("late_ms=%.3f%n", lateNanos / 1e6);
    System.out.printf("elapsed_s=%.1f%n", elapsedNanos / 1e9);
  }

  static double pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }
}
