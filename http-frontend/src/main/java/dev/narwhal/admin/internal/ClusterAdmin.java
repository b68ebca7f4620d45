package dev.narwhal.admin.internal;

import dev.narwhal.supervisor.cluster.ClusterView;
import dev.narwhal.supervisor.cluster.ReloadCoordinator.ClusterReloaded;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API. What the admin API's cluster routes ask of a cluster node ({@code /stats?scope=cluster},
 * {@code /control/reload?scope=cluster}), implemented by the cluster's membership: the admin API
 * names no cluster class, so the cluster plugs in from above it.
 */
public interface ClusterAdmin {
  /** Every member and every node's report. */
  CompletionStage<ClusterView.Snapshot> snapshot();

  /** Starts a cluster-wide rolling reload; completes when every node has been reloaded (or failed). */
  CompletionStage<ClusterReloaded> reload(String id);
}
