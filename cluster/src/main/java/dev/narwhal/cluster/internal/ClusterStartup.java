package dev.narwhal.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.ServerStartException;
import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.cluster.ClusterHost;
import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * INTERNAL API. The cluster's part of a server's start (cluster.enabled, or a cluster.bind given):
 * its transport checked first, the cluster provider in the actor system's configuration, and
 * joining once the server serves. Made by {@link PekkoClusterProvider}, which the server's start
 * finds through {@code ClusterRole.forConfig} when its config asks for a cluster.
 */
public final class ClusterStartup implements ClusterRole {
  private final ServerConfig config;
  private final BindAddress bind;

  ClusterStartup(ServerConfig config) {
    this.config = config;
    this.bind = config.get(Settings.CLUSTER_BIND).orElse(PekkoClusterConfig.DEFAULT_BIND);
  }

  /** The cluster's TLS files, or plain TCP on a reachable address: a config error (status 2). */
  @Override
  public void check() throws ServerStartException {
    try {
      PekkoClusterConfig.transport(config, bind);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  /**
   * The cluster provider, remoting address, seeds and roles over the merged configuration. A
   * node's graceful stop runs inside Pekko's coordinated shutdown when the node leaves or is
   * downed, so that phase may take as long as the graceful timeout.
   */
  @Override
  public Config actorSystemConfig(Config source) {
    Duration drain = config.gracefulTimeout().plus(Duration.ofSeconds(15));
    return PekkoClusterConfig.overlay(bind, config.get(Settings.CLUSTER_SEED_NODES), config.get(Settings.CLUSTER_ROLES))
        .withFallback(PekkoClusterConfig.transport(config, bind))
        .withFallback(ConfigFactory.parseMap(Map.of(
            "pekko.coordinated-shutdown.phases.before-service-unbind.timeout", drain.toMillis() + "ms")))
        .withFallback(source);
  }

  @Override
  public ServerStartException systemFailed(RuntimeException e) {
    return new ServerStartException("Cannot start the cluster node at " + bind + " (cluster.bind): "
        + rootMessage(e) + "; give another --cluster-bind", 1);
  }

  @Override
  public Optional<Node> join(ActorSystem<?> system, ClusterHost host, Supplier<CompletionStage<?>> stopAndDrain) {
    ClusterMembership membership = ClusterMembership.start(system, new LocalNodeAgent(host), config, stopAndDrain);
    membership.overflow().ifPresent(host::overflowTo);
    return Optional.of(new Node() {
      @Override
      public String address() {
        return membership.selfAddress();
      }

      @Override
      public String id() {
        return membership.selfId();
      }

      @Override
      public CompletionStage<Void> leave(Duration within) {
        return membership.leave(within.isZero() ? Duration.ZERO : ClusterMembership.LEAVE_WAIT);
      }

      @Override
      public ClusterAdmin admin() {
        return membership;
      }
    });
  }

  /** The innermost cause's message: a taken port arrives wrapped by Pekko and the JDK. */
  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
