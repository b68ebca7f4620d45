package dev.narwhal.supervisor.internal;

import dev.narwhal.Response;

/**
 * INTERNAL API. Left for {@code supervisor.cluster.ClusterNode} only, which a concurrent change moves
 * into the cluster module: it then imports {@link dev.narwhal.Responses} and this class goes.
 */
public final class Responses {
  private Responses() {}

  public static Response internalError() {
    return dev.narwhal.Responses.internalError();
  }
}
