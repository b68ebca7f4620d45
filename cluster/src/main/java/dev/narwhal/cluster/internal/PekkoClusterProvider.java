package dev.narwhal.cluster.internal;

import dev.narwhal.cluster.ClusterProvider;
import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.config.ServerConfig;

/**
 * INTERNAL API. The cluster module's entry point, listed in
 * {@code META-INF/services/dev.narwhal.cluster.ClusterProvider}: the server finds it only when its
 * config asks for a cluster, so no Pekko Cluster class loads otherwise.
 */
public final class PekkoClusterProvider implements ClusterProvider {
  @Override
  public ClusterRole role(ServerConfig config) {
    return new ClusterStartup(config);
  }
}
