package dev.narwhal.http.internal;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.Responses;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Job;
import java.time.Duration;
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

  ForwardedRequests(PoolQueues pools, ServerConfig config, AccessLog accessLog, Traffic traffic) {
    this.pools = pools;
    this.config = config;
    this.accessLog = accessLog;
    this.traffic = traffic;
  }

  /**
   * Serves a request another node forwarded: counted and access-logged like one received here,
   * never forwarded again. It runs only if it can start at once and this node's timeout answers
   * within {@code wait}, how long the forwarding node waits (else 503, unrun: a request that ran
   * must not be lost to that wait), and only within this node's request limits.
   */
  public CompletionStage<Response> serve(Request request, Duration wait) {
    AccessLog.Arrival arrival = accessLog.arrival();
    long received = traffic.received();
    Job job = new Job(request);
    Optional<Response> refused = ForwardedLimits.refusal(request, config, wait);
    CompletionStage<Response> response;
    if (refused.isPresent()) {
      response = CompletableFuture.completedFuture(refused.get());
    } else if (pools.queue(pools.poolFor(request)).submitIfIdle(job)) {
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
   * Units of capacity free for other nodes' requests now (the default pool's: a forwarded request
   * routed to a named pool may still find it busy, and is then answered 503). None without a
   * timeout: such a node cannot promise an answer within the forwarding node's wait.
   */
  public int capacity() {
    return config.get(Settings.TIMEOUT).isZero() ? 0 : pools.defaultQueue().idleCount();
  }
}
