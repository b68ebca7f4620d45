package dev.narwhal.dist.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: requests go out at a fixed rate whatever the server does (a slow server gets
 * more requests in flight, not fewer requests), drawn from a weighted mix with a fixed seed, each
 * accounted for in its target's {@link Tally}. One driver thread keeps the schedule; the client
 * runs on virtual threads.
 */
public final class Load implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final List<Target> mix;
  private final int totalWeight;
  private final double rate;
  private final Map<String, Tally> tallies = new LinkedHashMap<>();
  private final Map<String, Tally> later = new LinkedHashMap<>();
  private final Map<String, Tally> warm = new LinkedHashMap<>();
  private volatile long judgedFromNanos = Long.MIN_VALUE;
  private volatile long splitNanos = Long.MAX_VALUE;
  /** Requests slower than a second, by the second of the run they were due in: where stalls were. */
  private final Map<Long, LongAdder> slowBySecond = new ConcurrentSkipListMap<>();
  private volatile long startNanos;
  /** The first failures, with when they were due: "which request, how long before the split". */
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client;
  private final Random random = new Random(42);
  private volatile boolean running;
  private Thread driver;

  /**
   * @param port the server's port on 127.0.0.1
   * @param rate requests per second
   */
  public Load(int port, double rate, List<Target> mix) {
    this.base = "http://127.0.0.1:" + port;
    this.mix = List.copyOf(mix);
    this.totalWeight = mix.stream().mapToInt(Target::weight).sum();
    this.rate = rate;
    mix.forEach(t -> {
      tallies.put(t.name(), new Tally());
      later.put(t.name(), new Tally());
      warm.put(t.name(), new Tally());
    });
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts sending; returns at once. */
  public Load start() {
    running = true;
    driver = Thread.ofPlatform().name("load-driver").daemon().start(this::drive);
    return this;
  }

  /** Stops sending new requests (the ones in flight carry on). */
  public void stop() throws InterruptedException {
    running = false;
    if (driver != null) {
      driver.join();
    }
  }

  /** Sends for {@code duration}, then stops. */
  public void runFor(Duration duration) throws InterruptedException {
    start();
    Thread.sleep(duration); // the load's own clock: it is the thing being timed, not a wait for a condition
    stop();
  }

  /**
   * Sends the mix at the rate for {@code duration} and waits for the answers, counting them apart
   * (reported, never judged): a fresh client opens its connections and warms up its code, and on a
   * busy machine its first seconds are slow whatever the server does.
   */
  public Load warmUp(Duration duration) throws InterruptedException {
    judgedFromNanos = Long.MAX_VALUE;
    runFor(duration);
    settle(Duration.ofSeconds(30));
    judgedFromNanos = System.nanoTime();
    return this;
  }

  /** Waits until every request sent is answered or failed, up to {@code atMost}; true if so. */
  public boolean settle(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (everything().open() + warmUpTotal().open() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000);
    }
    return everything().open() + warmUpTotal().open() == 0;
  }

  /**
   * From {@code nanos} on (a {@link System#nanoTime()} value), requests due are counted apart, in
   * {@link #later()}: a graceful stop judges requests sent before the signal and after it differently.
   */
  public void splitAt(long nanos) {
    splitNanos = nanos;
  }

  /** Per target: the requests due before the split (all of them when there is none). */
  public Map<String, Tally> tallies() {
    return tallies;
  }

  /** Per target: the requests due after the split. */
  public Map<String, Tally> later() {
    return later;
  }

  /** All targets together, before the split. */
  public Tally total() {
    return sum(tallies);
  }

  /** All targets together, after the split. */
  public Tally laterTotal() {
    return sum(later);
  }

  /** Every request judged, before and after the split (not the warm-up). */
  public Tally everything() {
    Tally all = total();
    all.addAll(laterTotal());
    return all;
  }

  /** The warm-up's requests. */
  public Tally warmUpTotal() {
    return sum(warm);
  }

  private static Tally sum(Map<String, Tally> tallies) {
    Tally all = new Tally();
    tallies.values().forEach(all::addAll);
    return all;
  }

  /** The rate actually achieved over the time requests were sent. */
  public double achievedRate(Duration sending) {
    return everything().sentCount() / (sending.toNanos() / 1e9);
  }

  private void drive() {
    long period = (long) (1e9 / rate);
    long next = System.nanoTime();
    startNanos = next;
    while (running) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      send(pick(), next);
      next += period;
    }
  }

  private Target pick() {
    int r = random.nextInt(totalWeight);
    for (Target t : mix) {
      r -= t.weight();
      if (r < 0) {
        return t;
      }
    }
    throw new AssertionError();
  }

  private Tally tallyFor(Target target, long dueNanos) {
    return (dueNanos < judgedFromNanos ? warm : dueNanos < splitNanos ? tallies : later).get(target.name());
  }

  /** Sends one request that was due at {@code dueNanos}; also usable for a single probe. */
  public void send(Target target, long dueNanos) {
    Tally sentIn = tallyFor(target, dueNanos);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target.path())).timeout(REQUEST_TIMEOUT);
    request = target.method().equals("GET") ? request.GET()
        : request.method(target.method(), HttpRequest.BodyPublishers.ofByteArray(target.body()));
    sentIn.sent();
    client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
      // the split is set when the signal goes, after the requests due just before it were sent:
      // judge each request by when it was due against the split as it stands now
      Tally tally = tallyFor(target, dueNanos);
      if (tally != sentIn) {
        tally.sent();
        sentIn.unsent();
      }
      long micros = (System.nanoTime() - dueNanos) / 1000;
      if (micros > 1_000_000 && dueNanos >= judgedFromNanos) {
        slowBySecond.computeIfAbsent((dueNanos - startNanos) / 1_000_000_000L, k -> new LongAdder())
            .increment();
      }
      if (error != null) {
        tally.failed(error);
        if (failures.size() < 20) {
          failures.add(String.format("%s due %+.0f ms from the %s: %s", target.name(),
              (dueNanos - (splitNanos == Long.MAX_VALUE ? startNanos : splitNanos)) / 1e6,
              splitNanos == Long.MAX_VALUE ? "start" : "split", error.getCause() == null ? error : error.getCause()));
        }
      } else {
        boolean complete = target.expectedLength() < 0 || response.body().length == target.expectedLength()
            || response.statusCode() != 200;
        tally.answered(response.statusCode(), complete && target.expected().contains(response.statusCode()), micros);
      }
    });
  }

  /** A one-line summary per target and the total. */
  public String report() {
    StringBuilder out = new StringBuilder();
    if (warmUpTotal().sentCount() > 0) {
      out.append(String.format("  %-10s %s%n", "(warm-up)", warmUpTotal()));
    }
    tallies.forEach((name, t) -> out.append(String.format("  %-10s %s%n", name, t)));
    if (splitNanos != Long.MAX_VALUE) {
      later.forEach((name, t) -> out.append(String.format("  %-10s %s%n", name + "'", t)));
    }
    out.append(String.format("  %-10s %s%n", "total", everything()));
    if (!failures.isEmpty()) {
      out.append("  first failures:\n");
      failures.forEach(f -> out.append("    ").append(f).append('\n'));
    }
    if (!slowBySecond.isEmpty()) {
      Map<Long, Long> slow = new TreeMap<>();
      slowBySecond.forEach((k, v) -> slow.put(k, v.sum()));
      out.append("  requests over 1 s, by second of the run they were due in: ").append(slow).append('\n');
    }
    return out.toString();
  }

  @Override
  public void close() {
    running = false;
    client.close();
    executor.shutdownNow();
  }
}
