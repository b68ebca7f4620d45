package dev.narwhal.cluster.internal;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.cluster.ClusterHost;
import dev.narwhal.cluster.NodeReport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API. What the cluster asks of the server this node runs in, through the server's
 * {@link ClusterHost}: its report, its idle capacity and forwarded requests (overflow), and a
 * rolling reload of its workers. Created by {@link ClusterStartup} when the node joins.
 */
final class LocalNodeAgent implements NodeAgent {
  private final ClusterHost host;

  LocalNodeAgent(ClusterHost host) {
    this.host = host;
  }

  @Override
  public CompletionStage<NodeReport> report(String address) {
    return host.report(address);
  }

  @Override
  public Map<String, Integer> idleCapacity() {
    return host.overflowCapacity();
  }

  @Override
  public CompletionStage<Response> serveForwarded(Request request, Duration wait) {
    return host.serveForwarded(request, wait);
  }

  @Override
  public CompletionStage<Void> reload() {
    return ClusterMembership.reloadAndWait(host::stats, () -> {
      try {
        host.reload();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        // refused config or application: the reason travels back to the coordinator
        throw new IllegalStateException(e.getMessage());
      }
    });
  }
}
