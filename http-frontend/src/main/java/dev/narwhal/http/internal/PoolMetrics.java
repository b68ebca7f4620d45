package dev.narwhal.http.internal;

import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkerState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;

/**
 * INTERNAL API. Every pool's figures as series tagged {@code pool} ({@code narwhal.pool.workers}
 * by state, {@code narwhal.pool.backlog}, {@code narwhal.pool.busy}, {@code narwhal.pool.served},
 * {@code narwhal.pool.restarts} by reason), the default pool's included. The untagged series
 * ({@code narwhal.workers}, {@code narwhal.backlog}...) stay the default pool's, as before pools
 * existed. Sampled by {@link Metrics}' sampler thread only, except {@link #ran}: each request run,
 * counted ({@code narwhal.pool.requests}) and its wait for a worker measured
 * ({@code narwhal.pool.request.queue}) by pool, on the request path.
 */
final class PoolMetrics {
  /** Per pool, made once: the request path only looks them up. */
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Histogram> queued = new ConcurrentHashMap<>();
  private final Map<String, Gauge> gauges = new HashMap<>();
  private final Map<String, TotalCounter> restarts = new HashMap<>();

  void ran(String pool, long waitedNanos) {
    requests.computeIfAbsent(pool, p -> Kamon.counter("narwhal.pool.requests", "Requests each pool's workers ran")
        .withTag("pool", p)).increment();
    queued.computeIfAbsent(pool, p -> Kamon.histogram("narwhal.pool.request.queue",
        "Time a request waited for a free worker of its pool", MeasurementUnit.time().nanoseconds())
        .withTag("pool", p)).record(waitedNanos);
  }

  void sample(Stats stats) {
    stats.byPool().forEach((pool, s) -> {
      for (WorkerState state : WorkerState.values()) {
        gauge("narwhal.pool.workers", "Each pool's workers by state", pool, "state", state.label())
            .update(s.workersIn(state));
      }
      gauge("narwhal.pool.backlog", "Requests waiting for a free worker of the pool", pool, null, null)
          .update(s.backlog());
      gauge("narwhal.pool.busy", "Requests the pool's workers are running", pool, null, null).update(s.busy());
      gauge("narwhal.pool.target-workers", "How many workers the pool keeps", pool, null, null)
          .update(s.targetWorkers());
      for (RestartReason reason : RestartReason.values()) {
        restarts.computeIfAbsent(pool + "|" + reason.label(), k -> new TotalCounter(Kamon.counter(
                "narwhal.pool.restarts", "Each pool's workers stopped or replaced, by reason")
            .withTags(TagSet.of("pool", pool).withTag("reason", reason.label()))))
            .advanceTo(s.restarts().getOrDefault(reason, 0L));
      }
    });
  }

  private Gauge gauge(String name, String description, String pool, String tag, String value) {
    return gauges.computeIfAbsent(name + "|" + pool + "|" + value, k -> {
      TagSet tags = tag == null ? TagSet.of("pool", pool) : TagSet.of("pool", pool).withTag(tag, value);
      return Kamon.gauge(name, description).withTags(tags);
    });
  }
}
