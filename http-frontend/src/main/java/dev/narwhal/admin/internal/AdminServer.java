package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.concat;

import dev.narwhal.config.BindAddress;
import dev.narwhal.http.internal.ConnectionDrain;
import dev.narwhal.http.internal.GuardedBind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. The admin API on its own bind ({@code admin-bind}), separate from the application's
 * sockets: health, stats, metrics, thread dumps, control and the dashboard, one route class per
 * resource. Created by {@link dev.narwhal.server.internal.AdminEndpoint} once the application is
 * bound; it stays up while the server drains (so readiness can say 503 and /stats can show the
 * drain) and closes with the actor system.
 */
public final class AdminServer {
  private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "narwhal-admin-control");
    t.setDaemon(true);
    return t;
  });
  /** How often a thread dump may be taken, or the cluster asked for its view, server-wide. */
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private final Route route;
  private volatile ServerBinding binding;
  private final ConnectionDrain.Registry connections = new ConnectionDrain.Registry();

  /**
   * @param server what the routes read and act on
   * @param token the bearer token control requests need, and reads too with {@code readAuth}
   * @param readAuth whether reads other than health need the token ({@code admin-read-auth})
   * @param allowedHosts Host names answered besides localhost and IP literals: admin-allowed-hosts
   *     and the bind's own host name
   */
  public AdminServer(AdminControls server, String token, boolean readAuth, List<String> allowedHosts) {
    AdminAccess access = new AdminAccess(token, readAuth, allowedHosts, new RefusalLog());
    // built once: hostAllowed's supplier runs per request, and the limits must be shared by all
    Route guarded = concat(
        new DashboardRoutes(access).route(),
        new StatsRoutes(server, access, new SharedResult<>(ONE_SECOND)).route(),
        new MetricsRoutes(server.metrics(), access).route(),
        new ThreadRoutes(access, new RateGate("a thread dump", ONE_SECOND)).route(),
        new ControlRoutes(server, access, control).route());
    // health stays outside the Host check: probes and load balancers send whatever name they were given
    this.route = concat(new HealthRoutes(server).route(), access.hostAllowed(() -> guarded));
  }

  /** Binds the admin API; completes with the bound address (the real port when given port 0). */
  public CompletionStage<InetSocketAddress> bind(ActorSystem<?> system, BindAddress at) {
    return GuardedBind.plain(system, at.host(), at.port(), ConnectionDrain.around(route.flow(system), connections))
        .thenApply(b -> {
          binding = b;
          return b.localAddress();
        });
  }

  /**
   * Closes the admin connections, letting a response in flight (the reply to {@code stop}) reach
   * its client first: terminating the actor system alone would drop those bytes. Idle kept-alive
   * connections (a load balancer's health checks) get an orderly close, not a reset.
   */
  public CompletionStage<Void> terminate(Duration deadline) {
    ServerBinding b = binding;
    if (b == null) {
      return CompletableFuture.completedFuture(null);
    }
    return connections.close(List.of(b), deadline);
  }

  /** Ends the control thread once the server has stopped. */
  public void close() {
    control.shutdownNow();
  }
}
