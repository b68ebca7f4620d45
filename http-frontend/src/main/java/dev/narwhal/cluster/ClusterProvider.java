package dev.narwhal.cluster;

import dev.narwhal.config.ServerConfig;

/**
 * The cluster's plug-in point, found with {@link java.util.ServiceLoader} (the narwhal-cluster
 * module lists its implementation in {@code META-INF/services/dev.narwhal.cluster.ClusterProvider}).
 * Asked only when the config turns the cluster on (see {@link ClusterRole#forConfig}), so a server
 * without a cluster loads no cluster class at all.
 */
public interface ClusterProvider {
  /** This server's cluster role for {@code config}, which asks for a cluster. */
  ClusterRole role(ServerConfig config);
}
