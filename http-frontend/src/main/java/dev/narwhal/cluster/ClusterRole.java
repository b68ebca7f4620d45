package dev.narwhal.cluster;

import com.typesafe.config.Config;
import dev.narwhal.ServerStartException;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How the cluster plugs into a server's start and stop, so the server's own code names no cluster
 * type and needs no Pekko Cluster on its class path: {@link #STANDALONE} when the cluster is off,
 * otherwise the role a {@link ClusterProvider} (the narwhal-cluster module) makes. Three moments:
 * a check before anything starts, the actor system's configuration, and joining once the server
 * serves; then leaving before a drain.
 */
public interface ClusterRole {
  /** The actor system's name: the same on every node, and part of every cluster address. */
  String SYSTEM_NAME = "narwhal";

  /** No cluster: the local provider, nothing to check or join. */
  ClusterRole STANDALONE = new ClusterRole() {
    @Override
    public Config actorSystemConfig(Config source) {
      return source;
    }

    @Override
    public ServerStartException systemFailed(RuntimeException e) {
      throw e; // not a bind: a bug or a bad pekko block, with its own stack trace
    }

    @Override
    public Optional<Node> join(ActorSystem<?> system, ClusterHost host, Supplier<CompletionStage<?>> stopAndDrain) {
      return Optional.empty();
    }
  };

  /**
   * The role for {@code config}: {@link #STANDALONE} unless cluster.enabled is on or cluster.bind
   * is given, else the one the {@link ClusterProvider} on the class path makes.
   *
   * @throws SettingsException naming the setting that asks for a cluster when no provider is on
   *     the class path (a server built without the narwhal-cluster module)
   */
  static ClusterRole forConfig(ServerConfig config) {
    boolean enabled = config.get(Settings.CLUSTER_ENABLED);
    if (!enabled && config.get(Settings.CLUSTER_BIND).isEmpty()) {
      return STANDALONE;
    }
    ClusterProvider provider = ServiceLoader.load(ClusterProvider.class, ClusterRole.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new SettingsException((enabled ? Settings.CLUSTER_ENABLED : Settings.CLUSTER_BIND).path()
            + ": the cluster needs the narwhal-cluster module (dev.narwhal:narwhal-cluster) on the class path"));
    return provider.role(config);
  }

  /** A config error (status 2) before any worker boots, such as the cluster's TLS files. */
  default void check() throws ServerStartException {}

  /** The actor system's configuration, given the merged one. */
  Config actorSystemConfig(Config source);

  /**
   * What a failure to create the actor system becomes: a cluster node binds its remoting port as
   * its system starts, so a taken port lands here and becomes a {@link ServerStartException}.
   */
  ServerStartException systemFailed(RuntimeException e);

  /**
   * Joins once the server serves, with {@code stopAndDrain} as what a node removed from the
   * cluster runs; empty when standalone.
   */
  Optional<Node> join(ActorSystem<?> system, ClusterHost host, Supplier<CompletionStage<?>> stopAndDrain);

  /** This server's part in a cluster, once joined. */
  interface Node {
    /** {@code pekko://narwhal@host:port}, the real port when cluster.bind asked for port 0. */
    String address();

    /** The id in X-Narwhal-Overflow of answers this node gives to forwarded requests. */
    String id();

    /**
     * Leaves before a stop that drains for up to {@code within}; completes once the cluster has
     * accepted the leave (bounded), the node serving meanwhile, so the cluster hands its part over
     * while it drains. A quick stop
     * ({@link Duration#ZERO}) does not wait.
     */
    CompletionStage<Void> leave(Duration within);

    /** For the admin API's cluster routes. */
    ClusterAdmin admin();
  }
}
