package dev.narwhal.http.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.http.internal.ServerState;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkQueue;
import dev.narwhal.supervisor.WorkerState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.prometheus.PrometheusReporter;
import kamon.tag.TagSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;

/**
 * INTERNAL API. Narwhal's Kamon metrics, and the only class that calls Kamon.
 *
 * <p>Created through {@link dev.narwhal.server.internal.KamonLease} when {@code metrics} is on,
 * closed when the server has stopped.
 * Per-request instruments (the request counter, the two histograms, the in-flight gauge) are
 * recorded by {@link Traffic} on the request path: Kamon's instruments are lock-free (adders and
 * atomic histograms), and the tagged counters are looked up once and cached, so recording costs a
 * few atomic operations. Pool gauges and restart counters are not touched per request: a sampler
 * thread polls the server's {@link ServerState} once per tick.
 *
 * <p>Hazard: Kamon is a JVM-wide singleton. Servers in one JVM share it (reference counted: the
 * first one starts it with its configuration, the last one stops it) and so share these
 * instruments; metrics of concurrent servers in one JVM are therefore merged. Instruments die with
 * the Kamon that created them, which is why they are created per server, after the start.
 */
public final class Metrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  private static final Object KAMON_LOCK = new Object();
  private static int kamonUsers;

  /** Methods get their own tag value; any other becomes OTHER, so clients cannot inflate cardinality. */
  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "OTHER");

  private final kamon.metric.Metric.Counter requests;
  private final ConcurrentHashMap<Integer, Counter> requestCounters = new ConcurrentHashMap<>();
  private final Histogram duration;
  private final Histogram queued;
  private final Counter overflowed;
  private final Gauge inFlight;
  private final Gauge backlog;
  private final Gauge utilization;
  private final Gauge stuckThreads;
  private final Gauge concurrencyLimit;
  private final TotalCounter shedByLimit;
  private final TotalCounter shedByBacklog;
  /** One gauge per {@link WorkerState}, every one reported even at 0. */
  private final Map<WorkerState, Gauge> workers = new EnumMap<>(WorkerState.class);
  private final Map<RestartReason, TotalCounter> restarts = new EnumMap<>(RestartReason.class);
  private final ScheduledExecutorService sampler;
  /** Each pool's own series (tag {@code pool}), made as pools first appear; only the sampler thread touches it. */
  private final PoolMetrics pools = new PoolMetrics();
  private boolean closed;

  private Metrics(Duration tick, Supplier<ServerState> state) {
    requests = Kamon.counter("narwhal.requests", "Requests answered, by method and status");
    duration = Kamon.histogram("narwhal.request.duration",
        "Time from receiving a request to its response being ready", MeasurementUnit.time().nanoseconds())
        .withoutTags();
    queued = Kamon.histogram("narwhal.request.queue",
        "Time a request waited for a free worker", MeasurementUnit.time().nanoseconds()).withoutTags();
    overflowed = Kamon.counter("narwhal.overflow",
        "Requests forwarded to another cluster node because this node's backlog was full").withoutTags();
    inFlight = Kamon.gauge("narwhal.requests.in-flight", "Requests received and not yet answered").withoutTags();
    backlog = Kamon.gauge("narwhal.backlog", "Requests waiting for a free worker").withoutTags();
    utilization = Kamon.gauge("narwhal.worker.utilization",
        "Busy workers divided by the target number of workers (0 to 1)").withoutTags();
    stuckThreads = Kamon.gauge("narwhal.stuck-threads",
        "Threads of timed-out requests that ignored their interrupt and are still running").withoutTags();
    concurrencyLimit = Kamon.gauge("narwhal.concurrency-limit",
        "Requests admitted at once (running + waiting) under concurrency-limit; 0 when off").withoutTags();
    kamon.metric.Metric.Counter shed = Kamon.counter("narwhal.requests.shed",
        "Requests refused at once with 503, by reason: concurrency_limit or backlog_full");
    shedByLimit = new TotalCounter(shed.withTag("reason", WorkQueue.Verdict.CONCURRENCY_LIMIT.label()));
    shedByBacklog = new TotalCounter(shed.withTag("reason", WorkQueue.Verdict.BACKLOG_FULL.label()));
    for (WorkerState worker : WorkerState.values()) {
      workers.put(worker, Kamon.gauge("narwhal.workers", "Workers by state").withTag("state", worker.label()));
    }
    for (RestartReason reason : RestartReason.values()) {
      restarts.put(reason, new TotalCounter(Kamon.counter("narwhal.worker.restarts",
          "Workers stopped or replaced, by reason").withTag("reason", reason.label())));
    }
    // the usual pair, so the series exists from the first scrape
    counter(0, 200);
    sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "narwhal-metrics");
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleWithFixedDelay(() -> sample(state), 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Creates the instruments and starts sampling {@code state} (the server's state, a fresh pool snapshot in it) every {@code tick}. Kamon must have
   * been acquired ({@link #acquireKamon}); {@link #close} releases it.
   */
  public static Metrics create(Duration tick, Supplier<ServerState> state) {
    return new Metrics(tick, state);
  }

  /**
   * Starts Kamon, unless another server in this JVM already has, with {@code source}: Narwhal's
   * merged configuration, whose {@code kamon} block holds Narwhal's defaults and the user's
   * overrides. Separate from {@link #create} so the server can do it while its workers boot:
   * Kamon's first start in a JVM loads a few thousand classes.
   */
  public static void acquireKamon(Config source, Duration tick) {
    synchronized (KAMON_LOCK) {
      if (kamonUsers++ == 0) {
        Config config = ConfigFactory.parseMap(Map.of("kamon.metric.tick-interval", tick.toMillis() + " ms"),
            "metrics-tick-interval").withFallback(source);
        Kamon.initWithoutAttaching(config);
      }
    }
  }

  /** Undoes one {@link #acquireKamon}; the last user stops Kamon (its reporters and samplers). */
  public static void releaseKamon() {
    synchronized (KAMON_LOCK) {
      if (--kamonUsers == 0) {
        try {
          Await.result(Kamon.stop(), scala.concurrent.duration.Duration.create(10, TimeUnit.SECONDS));
        } catch (Exception e) {
          log.warn("Kamon did not stop cleanly: {}", e.toString());
        }
      }
    }
  }

  /** A request arrived. */
  void received() {
    inFlight.increment();
  }

  /** A request was answered {@code status} after {@code nanos}. */
  void answered(String method, int status, long nanos) {
    inFlight.decrement();
    counter(methodIndex(method), status).increment();
    duration.record(nanos);
  }

  /** A request went to another node (cluster.overflow). */
  void overflowed() {
    overflowed.increment();
  }

  /** A worker of {@code pool} ran a request that waited {@code nanos} for it. */
  void ranInPool(String pool, long nanos) {
    pools.ran(pool, nanos);
  }

  /** A request waited {@code nanos} for a worker. */
  void queued(long nanos) {
    queued.record(nanos);
  }

  private Counter counter(int method, int status) {
    return requestCounters.computeIfAbsent(method * 1000 + status, key -> requests.withTags(
        TagSet.of("method", METHODS.get(method)).withTag("status", Integer.toString(status))));
  }

  private static int methodIndex(String method) {
    int i = METHODS.indexOf(method.toUpperCase(Locale.ROOT));
    return i < 0 ? METHODS.size() - 1 : i;
  }

  /** Pool gauges and restart counts from a fresh snapshot; runs on the sampler thread only. */
  private void sample(Supplier<ServerState> state) {
    ServerState now;
    try {
      now = state.get();
    } catch (RuntimeException stopping) {
      return; // the arbiter is gone or busy: keep the last values
    }
    Stats s = now.stats();
    pools.sample(s);
    backlog.update(s.backlog());
    for (WorkerState worker : WorkerState.values()) {
      workers.get(worker).update(s.workersIn(worker));
    }
    utilization.update(now.utilization());
    stuckThreads.update(s.abandonedThreads());
    WorkQueue.Admission admission = s.admission();
    concurrencyLimit.update(admission.limit());
    shedByLimit.advanceTo(admission.shedByLimit());
    shedByBacklog.advanceTo(admission.shedByBacklog());
    restarts.forEach((reason, counter) -> counter.advanceTo(s.restarts().getOrDefault(reason, 0L)));
  }

  /** The Prometheus text of the latest tick (empty before the first one). */
  public String scrape() {
    return PrometheusReporter.latestScrapeData().getOrElse(() -> "");
  }

  /** Stops sampling and releases Kamon; idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    sampler.shutdownNow();
    releaseKamon();
  }
}
