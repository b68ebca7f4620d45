package dev.narwhal;

import dev.narwhal.cluster.ClusterHost;
import dev.narwhal.cluster.NodeReport;
import dev.narwhal.http.internal.ArbiterStats;
import dev.narwhal.http.internal.HttpFrontend;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.Stats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A server as its cluster node sees it: created by {@link ServerBoot} when the node joins, so the
 * cluster module reaches the front end and the pool through {@link ClusterHost} only.
 */
final class ServerClusterHost implements ClusterHost {
  private final ActorSystem<Arbiter.Command> system;
  private final ServerControls controls;
  private final HttpFrontend frontend;
  private final List<InetSocketAddress> addresses;
  private final Supplier<Optional<InetSocketAddress>> adminAddress;

  ServerClusterHost(ActorSystem<Arbiter.Command> system, ServerControls controls, HttpFrontend frontend,
      List<InetSocketAddress> addresses, Supplier<Optional<InetSocketAddress>> adminAddress) {
    this.system = system;
    this.controls = controls;
    this.frontend = frontend;
    this.addresses = addresses;
    this.adminAddress = adminAddress;
  }

  @Override
  public CompletionStage<NodeReport> report(String address) {
    return controls.state().thenApply(state -> {
      Traffic traffic = controls.traffic();
      Map<String, Long> responses = new LinkedHashMap<>();
      for (int c = 2; c <= 5; c++) {
        responses.put(c + "xx", traffic.responses(c));
      }
      String admin = adminAddress.get().map(a -> a.getHostString() + ":" + a.getPort()).orElse("");
      return new NodeReport(address, controls.version(), ProcessHandle.current().pid(), controls.startedAt(),
          state.condition().label(), addresses.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList(),
          admin, state.stats(), traffic.requests(), responses, traffic.inFlight(), traffic.overflowed());
    });
  }

  @Override
  public Stats stats() {
    return ArbiterStats.get(system);
  }

  @Override
  public void reload() throws Exception {
    controls.reload();
  }

  @Override
  public Map<String, Integer> overflowCapacity() {
    return frontend.forwardedRequests().capacity();
  }

  @Override
  public CompletionStage<Response> serveForwarded(Request request, Duration wait) {
    return frontend.forwardedRequests().serve(request, wait);
  }

  @Override
  public void overflowTo(Overflow overflow) {
    frontend.overflowTo(overflow);
  }
}
