package dev.narwhal.cluster.internal;

import com.typesafe.config.Config;
import dev.narwhal.ServerStartException;
import dev.narwhal.admin.internal.AdminControls;
import dev.narwhal.http.internal.HttpFrontend;
import dev.narwhal.supervisor.Arbiter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * INTERNAL API. How the cluster plugs into a server's start and stop, so the server's own code
 * names no cluster type: {@link #STANDALONE} when the cluster is off, {@code ClusterStartup} when
 * it is on. Three moments: a check before anything starts, the actor system's configuration, and
 * joining once the server serves.
 */
public interface ClusterRole {
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
    public Optional<Node> join(ActorSystem<Arbiter.Command> system, ServerView server,
        Supplier<CompletionStage<?>> stopAndDrain) {
      return Optional.empty();
    }
  };

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
   * Joins, with {@code stopAndDrain} as what a node removed from the cluster runs; empty when
   * standalone.
   */
  Optional<Node> join(ActorSystem<Arbiter.Command> system, ServerView server,
      Supplier<CompletionStage<?>> stopAndDrain);

  /** What a cluster node reads from, and asks of, the server it runs in. */
  record ServerView(AdminControls controls, HttpFrontend frontend, List<InetSocketAddress> addresses,
      Supplier<Optional<InetSocketAddress>> adminAddress) {}

  /** This server's part in a cluster, once joined. */
  interface Node {
    /** {@code pekko://narwhal@host:port}, the real port when cluster.bind asked for port 0. */
    String address();

    /** The id in X-Narwhal-Overflow of answers this node gives to forwarded requests. */
    String id();

    /**
     * Leaves before a stop that drains for up to {@code within}; completes once removed (bounded),
     * the node serving meanwhile so no node sends it work while it drains. A quick stop
     * ({@link Duration#ZERO}) does not wait.
     */
    CompletionStage<Void> leave(Duration within);

    /** For the admin API's cluster routes. */
    ClusterMembership membership();
  }
}
