package dev.narwhal.cluster.internal;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.http.internal.ArbiterStats;
import dev.narwhal.cluster.internal.ClusterRole.ServerView;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.cluster.NodeAgent;
import dev.narwhal.supervisor.cluster.NodeReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * INTERNAL API. What the cluster asks of the server this node runs in: its report, its idle
 * capacity and forwarded requests (overflow), and a rolling reload of its workers. Created by
 * {@link ClusterStartup} when the node joins.
 */
final class LocalNodeAgent implements NodeAgent {
  private final ActorSystem<Arbiter.Command> system;
  private final ServerView server;

  LocalNodeAgent(ActorSystem<Arbiter.Command> system, ServerView server) {
    this.system = system;
    this.server = server;
  }

  @Override
  public CompletionStage<NodeReport> report(String address) {
    return server.controls().state().thenApply(state -> {
      Traffic traffic = server.controls().traffic();
      Map<String, Long> responses = new LinkedHashMap<>();
      for (int c = 2; c <= 5; c++) {
        responses.put(c + "xx", traffic.responses(c));
      }
      String admin = server.adminAddress().get().map(a -> a.getHostString() + ":" + a.getPort()).orElse("");
      return new NodeReport(address, server.controls().version(), ProcessHandle.current().pid(),
          server.controls().startedAt(), state.condition().label(),
          server.addresses().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList(), admin,
          state.stats(), traffic.requests(), responses, traffic.inFlight(), traffic.overflowed());
    });
  }

  @Override
  public int idleCapacity() {
    return server.frontend().overflowCapacity();
  }

  @Override
  public CompletionStage<Response> serveForwarded(Request request, Duration wait) {
    return server.frontend().serveForwarded(request, wait);
  }

  @Override
  public CompletionStage<Void> reload() {
    return ClusterMembership.reloadAndWait(() -> ArbiterStats.get(system), () -> {
      try {
        server.controls().reload();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        // refused config or application: the reason travels back to the coordinator
        throw new IllegalStateException(e.getMessage());
      }
    });
  }
}
