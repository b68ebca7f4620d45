package dev.narwhal.supervisor.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.narwhal.config.BindAddress;
import java.util.List;
import java.util.Map;

/**
 * The Pekko settings that turn an actor system into a cluster node, from Narwhal's cluster
 * settings. Layered over the server's merged configuration only when the cluster is enabled, so a
 * server without it keeps the local provider and opens no remoting port. Everything else about
 * the cluster (Split Brain Resolver, serialization, failure detection) is in narwhal-pekko.conf.
 */
public final class PekkoClusterConfig {
  /** The actor system's name: the same on every node, part of every cluster address. */
  public static final String SYSTEM_NAME = "narwhal";
  /** The remoting address when the cluster is enabled without cluster.bind. */
  public static final BindAddress DEFAULT_BIND = new BindAddress("127.0.0.1", 25520);

  private PekkoClusterConfig() {}

  /**
   * @param bind this node's remoting address (port 0: a free one, for tests)
   * @param seeds the seed nodes' remoting addresses; empty: the node joins itself after start
   * @param roles the node's roles
   */
  public static Config overlay(BindAddress bind, List<BindAddress> seeds, List<String> roles) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", bind.host(),
        "pekko.remote.artery.canonical.port", bind.port(),
        "pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds.stream().map(PekkoClusterConfig::address).toList()),
        "pekko.cluster.roles", ConfigValueFactory.fromIterable(roles)), "narwhal.cluster settings");
  }

  /** A node's cluster address, {@code pekko://narwhal@HOST:PORT}. */
  public static String address(BindAddress node) {
    String host = node.host().contains(":") ? "[" + node.host() + "]" : node.host();
    return "pekko://" + SYSTEM_NAME + "@" + host + ":" + node.port();
  }
}
