package dev.narwhal;

import dev.narwhal.admin.internal.AdminControls;
import dev.narwhal.http.internal.Metrics;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.http.internal.ArbiterStats;
import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.http.internal.ServerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The admin API's and the cluster node's view of a {@link Server}: created by {@link ServerBoot},
 * so the routes never reach into actors themselves.
 */
final class ServerControls implements AdminControls {
  private final Server server;
  private final ServerBoot.Parts parts;

  ServerControls(Server server) {
    this.server = server;
    this.parts = server.parts;
  }

  @Override
  public CompletionStage<ServerState> state() {
    // stopping is read when the arbiter has answered: a stop may have come while it was answering
    return ArbiterStats.ask(parts.system()).thenApply(stats -> ServerState.of(stats, parts.drain().stopping()));
  }

  @Override
  public boolean stopping() {
    return parts.drain().stopping();
  }

  @Override
  public Instant startedAt() {
    return parts.startedAt();
  }

  @Override
  public String version() {
    return Server.VERSION;
  }

  @Override
  public int maxStuckThreads() {
    return server.maxStuckThreads();
  }

  @Override
  public Traffic traffic() {
    return parts.traffic();
  }

  @Override
  public Optional<Metrics> metrics() {
    return parts.kamon().metrics();
  }

  @Override
  public Duration gracefulTimeout() {
    return server.gracefulTimeout();
  }

  @Override
  public void stop(boolean quick) {
    server.stop(quick ? Duration.ZERO : server.gracefulTimeout());
  }

  @Override
  public void scale(int delta) {
    for (int i = 0; i < Math.abs(delta); i++) {
      if (delta > 0) {
        server.scaleUp();
      } else {
        server.scaleDown();
      }
    }
  }

  @Override
  public List<String> pools() {
    return server.pools();
  }

  @Override
  public void scale(String pool, int delta) {
    for (int i = 0; i < Math.abs(delta); i++) {
      if (delta > 0) {
        server.scaleUp(pool);
      } else {
        server.scaleDown(pool);
      }
    }
  }

  @Override
  public void reload() throws Exception {
    server.reload();
  }

  @Override
  public void reopenLogs() {
    server.reopenLogs();
  }

  @Override
  public Optional<ClusterAdmin> cluster() {
    return server.cluster.map(ClusterRole.Node::admin);
  }
}
