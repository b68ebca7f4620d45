package dev.narwhal.cluster.internal;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.cluster.NodeReport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What {@link ClusterNode} asks of the server it runs in (implemented by {@link LocalNodeAgent} over the server's {@code ClusterHost}):
 * its report, and a rolling reload of its own workers.
 */
public interface NodeAgent {
  /** This node's report, without its address (the cluster node fills that in). */
  CompletionStage<NodeReport> report(String address);

  /**
   * Reloads this node's workers one at a time, as SIGHUP does; completes once every worker is in
   * the new phase, exceptionally when the reload was refused or rolled back.
   */
  CompletionStage<Void> reload();

  /** Units of worker capacity parked idle now, by pool (what overflow announces to the other nodes). */
  Map<String, Integer> idleCapacity();

  /**
   * Serves a request another node forwarded (it is never forwarded again), or refuses it unrun:
   * 503 when no worker is free now or when this node's timeout would not answer within
   * {@code wait} (how long the forwarding node waits), a 4xx when it is over this node's limits.
   */
  CompletionStage<Response> serveForwarded(Request request, Duration wait);
}
