package dev.narwhal.http.internal;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.Responses;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Job;
import dev.narwhal.config.NamedPool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API. The requests other cluster nodes forward to this one (cluster.overflow), served
 * by the same pools as those received here and counted and access-logged as they are, and the
 * idle capacity this node announces for them.
 */
public final class ForwardedRequests {
  private final PoolQueues pools;
  private final ServerConfig config;
  private final AccessLog accessLog;
  private final Traffic traffic;
  /** Each pool's own timeout: what a forward into it may take, and whether it can promise an answer. */
  private final Map<String, Duration> timeouts = new LinkedHashMap<>();

  ForwardedRequests(PoolQueues pools, ServerConfig config, AccessLog accessLog, Traffic traffic) {
    this.pools = pools;
    this.config = config;
    this.accessLog = accessLog;
    this.traffic = traffic;
    for (NamedPool pool : config.get(Settings.POOLS)) {
      timeouts.put(pool.name(), pool.applyTo(config).get(Settings.TIMEOUT));
    }
  }

  /** The timeout of the pool named {@code pool} (the top-level one for the default pool). */
  public Duration timeoutOf(String pool) {
    return timeouts.getOrDefault(pool, config.get(Settings.TIMEOUT));
  }

  /**
   * Serves a request another node forwarded: counted and access-logged like one received here,
   * never forwarded again. It runs only if it can start at once and its pool's timeout answers
   * within {@code wait}, how long the forwarding node waits (else 503, unrun: a request that ran
   * must not be lost to that wait), and only within this node's request limits.
   */
  public CompletionStage<Response> serve(Request request, Duration wait) {
    AccessLog.Arrival arrival = accessLog.arrival();
    long received = traffic.received();
    Job job = new Job(request);
    String pool = pools.poolFor(request);
    Optional<Response> refused = ForwardedLimits.refusal(request, config, timeoutOf(pool), wait);
    CompletionStage<Response> response;
    if (refused.isPresent()) {
      response = CompletableFuture.completedFuture(refused.get());
    } else if (pools.queue(pool).submitIfIdle(job)) {
      response = job.response().thenApply(r -> {
        traffic.ran(job);
        return r;
      });
    } else {
      response = CompletableFuture.completedFuture(Responses.unavailable());
    }
    return response.whenComplete((r, error) -> {
      if (r != null) {
        accessLog.record(arrival, request, r);
      }
      traffic.answered(request.method(), r == null ? 500 : r.statusCode(), received);
    });
  }

  /**
   * Units of capacity free for other nodes' requests now, by pool. None in a pool without a
   * timeout: it cannot promise an answer within the forwarding node's wait.
   */
  public Map<String, Integer> capacity() {
    Map<String, Integer> idle = new LinkedHashMap<>();
    pools.all().forEach((pool, queue) -> idle.put(pool, timeoutOf(pool).isZero() ? 0 : queue.idleCount()));
    return idle;
  }
}
