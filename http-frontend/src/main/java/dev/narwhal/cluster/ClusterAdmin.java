package dev.narwhal.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the admin API's cluster routes ask of a cluster node ({@code /stats?scope=cluster},
 * {@code /control/reload?scope=cluster}): the admin API renders these plain records and names no
 * cluster class, so the cluster plugs in from the module above it.
 */
public interface ClusterAdmin {
  /** Every member and every node's report. */
  CompletionStage<Snapshot> snapshot();

  /** Starts a cluster-wide rolling reload; completes when every node has been reloaded (or failed). */
  CompletionStage<ReloadOutcome> reload(String id);

  /**
   * A cluster member.
   *
   * @param id the id its responses to forwarded requests carry
   * @param status Pekko's member status: {@code Joining}, {@code Up}, {@code Leaving}, {@code Exiting},
   *     {@code Down}, {@code Removed}...
   */
  record Member(String address, String id, String status, List<String> roles, boolean reachable) {}

  /**
   * The cluster as one node sees it; members and nodes in address order.
   *
   * @param unanswered the nodes that did not report in time
   */
  record Snapshot(String self, Optional<String> leader, List<Member> members, List<NodeReport> nodes,
      List<String> unanswered) {}

  /**
   * The outcome of a cluster reload.
   *
   * @param reloaded the nodes (cluster addresses) that reloaded, in order
   * @param failed the nodes that did not, each with why
   */
  record ReloadOutcome(String reloadId, List<String> reloaded, List<String> failed) {}
}
