package dev.narwhal.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.narwhal.http.internal.RecentTraffic;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.http.internal.ServerState;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkQueue;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkerState;
import java.time.Instant;

/**
 * INTERNAL API. The {@code /stats} document. Its required part (server, target_workers, backlog,
 * totals, workers with their current requests) is a stable schema that scripts and
 * {@code narwhal ctl} read; the rest (in_flight, utilization, restarts, recent_restarts, traffic)
 * is what the dashboard draws. The top-level pool figures (target_workers, backlog, workers,
 * restarts) are the default pool's; {@code pools} has every pool's, the default's included.
 */
public final class StatsJson {
  /** The summaries the dashboard shows, in seconds. */
  private static final int LAST_MINUTE = 60;
  private static final int LAST_10S = 10;

  private StatsJson() {}

  /**
   * @param seconds how many seconds of per-second traffic to include (0: none)
   */
  public static ObjectNode render(ServerState state, AdminControls server, int seconds) {
    Stats stats = state.stats();
    ObjectNode root = Json.object();
    ObjectNode s = root.putObject("server");
    s.put("name", "narwhal");
    s.put("version", server.version());
    s.put("pid", ProcessHandle.current().pid());
    s.put("started_at", server.startedAt().toString());
    s.put("phase", stats.phase());
    s.put("state", state.condition().label());
    // alive now (a thread that finally returns stops counting); /health/live fails above the max
    s.put("stuck_threads", stats.abandonedThreads());
    s.put("max_stuck_threads", server.maxStuckThreads());
    root.put("target_workers", stats.targetWorkers());
    root.put("backlog", stats.backlog());
    putAdmission(root.putObject("admission"), stats.admission());

    Traffic traffic = server.traffic();
    ObjectNode totals = root.putObject("totals");
    totals.put("requests", traffic.requests());
    ObjectNode responses = totals.putObject("responses");
    for (int c = 2; c <= 5; c++) {
      responses.put(c + "xx", traffic.responses(c));
    }
    putPoolTotals(totals, stats);

    ArrayNode workers = root.putArray("workers");
    long now = System.currentTimeMillis();
    for (Stats.WorkerStatus w : stats.workers()) {
      ObjectNode worker = workers.addObject();
      worker.put("index", w.index());
      worker.put("phase", w.phase());
      worker.put("state", w.state().label());
      worker.put("served", w.served());
      worker.put("in_flight", w.inFlight());
      worker.put("started_at", w.startedAt().toString());
      worker.put("up_ms", Math.max(0, now - w.startedAt().toEpochMilli()));
      ArrayNode current = worker.putArray("current");
      for (Stats.CurrentRequest r : w.current()) {
        current.addObject().put("method", r.method()).put("path", r.path()).put("age_ms", r.ageMs());
      }
    }

    root.put("in_flight", traffic.inFlight());
    root.put("body_bytes_buffered", traffic.bodyBytesBuffered());
    root.put("abandoned_requests", traffic.abandonedRequests());
    root.put("utilization", round(state.utilization()));
    root.put("abandoned_threads", stats.abandonedThreads());
    ObjectNode restarts = root.putObject("restarts");
    for (RestartReason reason : RestartReason.values()) {
      restarts.put(reason.label(), stats.restarts().getOrDefault(reason, 0L));
    }
    ArrayNode recent = root.putArray("recent_restarts");
    for (int i = stats.recentRestarts().size() - 1; i >= 0; i--) { // newest first
      Stats.Restart r = stats.recentRestarts().get(i);
      recent.addObject().put("at", r.at().toString()).put("index", r.index()).put("phase", r.phase())
          .put("reason", r.reason().label());
    }
    root.set("pools", pools(stats));
    root.set("traffic", traffic(traffic.recent(), seconds));
    return root;
  }

  /** The concurrency limit (0 when off), what is in flight under it, and the requests shed, by reason. */
  static void putAdmission(ObjectNode admission, WorkQueue.Admission a) {
    admission.put("concurrency_limit", a.mode());
    admission.put("limit", a.limit());
    admission.put("in_flight", a.inFlight());
    admission.putObject("shed").put(WorkQueue.Verdict.CONCURRENCY_LIMIT.label(), a.shedByLimit())
        .put(WorkQueue.Verdict.BACKLOG_FULL.label(), a.shedByBacklog());
  }

  /** Every pool by name: its size, how busy it is, what waits for it, and its lifetime counters. */
  private static ObjectNode pools(Stats stats) {
    ObjectNode pools = Json.object();
    stats.byPool().forEach((name, p) -> {
      ObjectNode pool = pools.putObject(name);
      pool.put("phase", p.phase());
      pool.put("target_workers", p.targetWorkers());
      pool.put("workers", p.workers().size());
      pool.put("booted", p.bootedWorkers());
      pool.put("busy", p.busy());
      pool.put("waiting", p.backlog());
      pool.put("served", p.served());
      pool.put("abandoned_threads", p.abandonedThreads());
      putAdmission(pool.putObject("admission"), p.admission());
      putPoolTotals(pool.putObject("totals"), p);
    });
    return pools;
  }

  /** The pool's lifetime counters, the same fields in a node's and in the cluster's stats. */
  static void putPoolTotals(ObjectNode totals, Stats stats) {
    totals.put("spawned", stats.spawned());
    totals.put("recycled", stats.recycled());
    totals.put("timed_out", stats.timedOut());
    totals.put("crashed", stats.crashed());
    totals.put("reloads", stats.reloads());
  }

  private static ObjectNode traffic(RecentTraffic recent, int seconds) {
    ObjectNode t = Json.object();
    t.set("last_10s", summary(recent.summary(LAST_10S)));
    t.set("last_minute", summary(recent.summary(LAST_MINUTE)));
    if (seconds > 0) {
      RecentTraffic.Window w = recent.window(seconds);
      t.put("bucket_seconds", 1);
      t.put("end", Instant.ofEpochSecond(w.endSecond()).toString());
      ArrayNode requests = t.putArray("requests");
      ArrayNode errors = t.putArray("errors");
      ArrayNode p50 = t.putArray("p50_ms");
      ArrayNode p95 = t.putArray("p95_ms");
      ArrayNode p99 = t.putArray("p99_ms");
      for (int i = 0; i < w.counts().length; i++) {
        requests.add(w.counts()[i]);
        errors.add(w.errors()[i]);
        addMs(p50, w.p50Ms()[i]);
        addMs(p95, w.p95Ms()[i]);
        addMs(p99, w.p99Ms()[i]);
      }
    }
    return t;
  }

  private static ObjectNode summary(RecentTraffic.Summary s) {
    ObjectNode o = Json.object();
    o.put("seconds", s.seconds());
    o.put("requests", s.requests());
    o.put("errors", s.errors());
    o.put("rate", round(s.rate()));
    putMs(o, "p50_ms", s.p50Ms());
    putMs(o, "p95_ms", s.p95Ms());
    putMs(o, "p99_ms", s.p99Ms());
    return o;
  }

  private static void addMs(ArrayNode array, double ms) {
    if (Double.isNaN(ms)) {
      array.addNull();
    } else {
      array.add(round(ms));
    }
  }

  private static void putMs(ObjectNode o, String field, double ms) {
    if (Double.isNaN(ms)) {
      o.putNull(field);
    } else {
      o.put(field, round(ms));
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
