package dev.narwhal.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.WorkerInfo;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The forwards waiting on a node, and what its removal from the cluster does to them. */
class OverflowPeersTest {
  static final String B = "pekko://narwhal@127.0.0.1:25521";
  static final String C = "pekko://narwhal@127.0.0.1:25522";

  static final ActorTestKit KIT = ActorTestKit.create();

  final OverflowPeers peers = new OverflowPeers();

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  static OverflowPeers.Peer peer(String address) {
    return new OverflowPeers.Peer(address, null);
  }

  static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get();
      throw new AssertionError("completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void a_forward_to_a_node_downed_and_removed_fails_at_once_naming_the_node() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<String> forwarded = peers.untilDowned(peer(B), answer);

    peers.removed(B, true);

    assertThat(forwarded).isCompletedExceptionally();
    assertThat(failureOf(forwarded)).isInstanceOf(OverflowPeers.NodeDowned.class).hasMessageContaining(B);
    answer.complete("late"); // cannot arrive from a quarantined node; if it did, the client already has its 504
    assertThat(failureOf(forwarded)).isInstanceOf(OverflowPeers.NodeDowned.class);
  }

  @Test
  void a_forward_registered_just_after_its_node_was_downed_and_removed_fails_at_once_too() {
    peers.removed(B, true); // the peer was picked in the instant before

    CompletableFuture<String> forwarded = peers.untilDowned(peer(B), new CompletableFuture<>());

    assertThat(forwarded).isCompletedExceptionally();
    assertThat(failureOf(forwarded)).isInstanceOf(OverflowPeers.NodeDowned.class).hasMessageContaining(B);
    assertThat(peers.waitingOn(B)).isZero();
  }

  @Test
  void a_node_that_rejoins_from_a_downed_address_is_waited_for_again() {
    peers.announced(B, KIT.<ClusterNode.Command>createTestProbe().ref(), Map.of(WorkerInfo.DEFAULT_POOL, 1));
    peers.removed(B, true);
    // a new incarnation at the same host and port: its node actor is another
    peers.announced(B, KIT.<ClusterNode.Command>createTestProbe().ref(), Map.of(WorkerInfo.DEFAULT_POOL, 1));

    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<String> forwarded = peers.untilDowned(peer(B), answer);

    assertThat(forwarded).isNotDone();
    answer.complete("served");
    assertThat(forwarded).isCompletedWithValue("served");
  }

  @Test
  void an_announcement_the_downed_node_sent_before_its_removal_does_not_bring_it_back() {
    ActorRef<ClusterNode.Command> downedNode = KIT.<ClusterNode.Command>createTestProbe().ref();
    peers.announced(B, downedNode, Map.of(WorkerInfo.DEFAULT_POOL, 2));
    peers.retain(Set.of()); // the receptionist may list it no more before the removal
    peers.removed(B, true);

    peers.announced(B, downedNode, Map.of(WorkerInfo.DEFAULT_POOL, 2)); // handled just after the removal

    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).isEmpty();
    CompletableFuture<String> forwarded = peers.untilDowned(new OverflowPeers.Peer(B, downedNode), new CompletableFuture<>());
    assertThat(forwarded).isCompletedExceptionally();
  }

  @Test
  void the_first_announcement_of_a_node_downed_before_it_ever_announced_does_not_bring_it_back() {
    peers.removed(B, true); // no actor of its own known: nothing to tell a late message from a new node

    peers.announced(B, KIT.<ClusterNode.Command>createTestProbe().ref(), Map.of(WorkerInfo.DEFAULT_POOL, 2));

    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).isEmpty();
  }

  @Test
  void a_new_incarnation_at_the_address_of_a_node_removed_before_it_announced_counts_once_it_joins() {
    peers.removed(B, true);
    peers.joined(B); // the cluster let a new node join at that address: the old one is gone

    peers.announced(B, KIT.<ClusterNode.Command>createTestProbe().ref(), Map.of(WorkerInfo.DEFAULT_POOL, 2));

    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).map(OverflowPeers.Peer::address).contains(B);
    assertThat(peers.untilDowned(peer(B), new CompletableFuture<>())).isNotDone();
  }

  @Test
  void an_announcement_a_node_that_left_gracefully_sent_before_its_removal_does_not_bring_it_back() {
    ActorRef<ClusterNode.Command> leftNode = KIT.<ClusterNode.Command>createTestProbe().ref();
    peers.announced(B, leftNode, Map.of(WorkerInfo.DEFAULT_POOL, 2));
    peers.removed(B, false);

    peers.announced(B, leftNode, Map.of(WorkerInfo.DEFAULT_POOL, 2)); // it announces until its system stops

    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).isEmpty();
    // a forward to it that was already under way still waits for its answer
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<String> forwarded = peers.untilDowned(new OverflowPeers.Peer(B, leftNode), answer);
    assertThat(forwarded).isNotDone();
    answer.complete("drained");
    assertThat(forwarded).isCompletedWithValue("drained");
  }

  @Test
  void a_node_that_left_gracefully_still_owes_its_answers_and_they_are_waited_for() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<String> forwarded = peers.untilDowned(peer(B), answer);

    peers.removed(B, false); // it drained before its removal; an answer sent just before may land after

    assertThat(forwarded).isNotDone();
    answer.complete("drained");
    assertThat(forwarded).isCompletedWithValue("drained");
  }

  @Test
  void forwards_to_other_nodes_are_untouched_by_a_node_s_removal() {
    CompletableFuture<String> toC = peers.untilDowned(peer(C), new CompletableFuture<>());

    peers.removed(B, true);

    assertThat(toC).isNotDone();
  }

  @Test
  void an_answer_or_a_failure_of_the_ask_passes_through_and_the_forward_is_no_longer_held() {
    CompletableFuture<String> answered = new CompletableFuture<>();
    CompletableFuture<String> timedOut = new CompletableFuture<>();
    CompletableFuture<String> first = peers.untilDowned(peer(B), answered);
    CompletableFuture<String> second = peers.untilDowned(peer(B), timedOut);

    answered.complete("ok");
    timedOut.completeExceptionally(new TimeoutException("ask timed out"));

    assertThat(first).isCompletedWithValue("ok");
    assertThat(failureOf(second)).isInstanceOf(TimeoutException.class);
    assertThat(peers.waitingOn(B)).as("forwards held for B once both are done").isZero();
  }

  @Test
  void a_removed_node_is_picked_no_more_though_its_last_announcement_is_fresh() {
    peers.announced(B, null, Map.of(WorkerInfo.DEFAULT_POOL, 3));
    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).map(OverflowPeers.Peer::address).contains(B);

    peers.removed(B, false);

    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).isEmpty();
  }

  @Test
  void a_request_for_a_named_pool_goes_to_the_node_whose_pool_of_that_name_is_idle() {
    peers.announced(B, null, Map.of(WorkerInfo.DEFAULT_POOL, 4, "reports", 0));
    peers.announced(C, null, Map.of(WorkerInfo.DEFAULT_POOL, 0, "reports", 1));

    assertThat(peers.pick("reports")).map(OverflowPeers.Peer::address).contains(C);
    assertThat(peers.pick("reports")).isEmpty(); // C's one unit is spent, and B's reports are busy
    assertThat(peers.pick(WorkerInfo.DEFAULT_POOL)).map(OverflowPeers.Peer::address).contains(B);
    assertThat(peers.pick("exports")).isEmpty(); // a pool no node announced
  }
}
