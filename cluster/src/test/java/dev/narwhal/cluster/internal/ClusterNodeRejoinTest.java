package dev.narwhal.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.WorkerInfo;
import dev.narwhal.testing.Ports;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node downed before it ever announced its capacity, then started again at the same address:
 * {@link ClusterNode} tells {@link OverflowPeers} when the new incarnation joins, so the overflow
 * picks it at once instead of ignoring it until the removed node's tombstone expires.
 */
class ClusterNodeRejoinTest {
  static final Duration LIMIT = Duration.ofSeconds(30);
  final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stopAll() {
    systems.forEach(ActorSystem::terminate);
    systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
  }

  @Test
  void a_node_downed_before_it_announced_itself_is_picked_as_soon_as_it_rejoins_at_its_address() throws IOException {
    OverflowPeers peers = new OverflowPeers();
    ActorSystem<Void> first = start(0);
    first.systemActorOf(ClusterNode.create(new ClusterNodesTest.FakeAgent(), peers), "narwhal-node", Props.empty());
    Address seed = Cluster.get(first).selfMember().address();
    Cluster.get(first).manager().tell(Join.create(seed));

    // a member that never announces: no ClusterNode on it
    ActorSystem<Void> silent = start(Ports.outsideEphemeralRange());
    Address address = Cluster.get(silent).selfMember().address();
    Cluster.get(silent).manager().tell(Join.create(seed));
    await().atMost(LIMIT).until(() -> statusOf(first, address) == MemberStatus.up());

    Cluster.get(first).manager().tell(new Down(address));
    await().atMost(LIMIT).until(() -> statusOf(first, address) == null);
    silent.terminate();
    silent.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();

    // a new incarnation at the same host and port, with overflow on: it announces its idle capacity
    ActorSystem<Void> again = start(address.getPort().get());
    again.systemActorOf(ClusterNode.create(new ClusterNodesTest.FakeAgent(), new OverflowPeers()), "narwhal-node",
        Props.empty());
    Cluster.get(again).manager().tell(Join.create(seed));

    // well within the tombstone's minute: the join, not the tombstone's expiry, lets it in
    await().atMost(LIMIT).until(() -> peers.pick(WorkerInfo.DEFAULT_POOL)
        .filter(peer -> peer.address().equals(address.toString())).isPresent());
    assertThat(OverflowPeers.TOMBSTONE_KEPT).isGreaterThan(LIMIT);
  }

  ActorSystem<Void> start(int port) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), PekkoClusterConfig.SYSTEM_NAME,
        ClusterNodesTest.config(port));
    systems.add(system);
    return system;
  }

  /** The member at {@code address} as {@code node} sees it; null once removed. */
  static MemberStatus statusOf(ActorSystem<Void> node, Address address) {
    return StreamSupport.stream(Cluster.get(node).state().getMembers().spliterator(), false)
        .filter(m -> m.address().equals(address)).map(Member::status).findFirst().orElse(null);
  }
}
