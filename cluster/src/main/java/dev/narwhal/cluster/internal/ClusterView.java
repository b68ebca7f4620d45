package dev.narwhal.cluster.internal;

import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.cluster.ClusterAdmin.Snapshot;
import dev.narwhal.cluster.NodeReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The cluster as one node sees it: every member (address, status, roles, reachability) from Pekko
 * Cluster's membership, and every node's {@link NodeReport}, asked for in parallel. A node that
 * does not answer in time is listed in {@link Snapshot#unanswered()} instead of failing the view.
 */
public final class ClusterView {
  private ClusterView() {}

  /** The members and each node's report, asking each node for at most {@code timeout}. */
  public static CompletionStage<Snapshot> snapshot(ActorSystem<?> system, Duration timeout) {
    Cluster cluster = Cluster.get(system);
    ClusterEvent.CurrentClusterState state = cluster.state();
    String self = cluster.selfMember().address().toString();
    Set<Member> unreachable = state.getUnreachable();
    List<ClusterAdmin.Member> members = StreamSupport.stream(state.getMembers().spliterator(), false)
        .map(m -> new ClusterAdmin.Member(m.address().toString(), ClusterNode.idOf(m.uniqueAddress()), m.status().toString(),
            roles(m), !unreachable.contains(m)))
        .sorted(Comparator.comparing(ClusterAdmin.Member::address))
        .toList();
    Optional<String> leader = Optional.ofNullable(state.getLeader()).map(Object::toString);
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            replyTo -> Receptionist.find(ClusterNode.KEY, replyTo), timeout, system.scheduler())
        .thenCompose(listing -> reports(system, List.copyOf(listing.getServiceInstances(ClusterNode.KEY)), timeout))
        .thenApply(answers -> {
          List<NodeReport> nodes = answers.stream().filter(a -> a.report != null).map(a -> a.report)
              .sorted(Comparator.comparing(NodeReport::address)).toList();
          List<String> unanswered = answers.stream().filter(a -> a.report == null).map(a -> a.ref).sorted().toList();
          return new Snapshot(self, leader, members, nodes, unanswered);
        });
  }

  /** Roles as configured: Pekko adds a "dc-default" role of its own, left out here. */
  private static List<String> roles(Member member) {
    return member.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList();
  }

  private record Answer(String ref, NodeReport report) {}

  private static CompletionStage<List<Answer>> reports(ActorSystem<?> system, List<ActorRef<ClusterNode.Command>> nodes,
      Duration timeout) {
    List<CompletableFuture<Answer>> asks = new ArrayList<>();
    for (ActorRef<ClusterNode.Command> node : nodes) {
      asks.add(AskPattern.<ClusterNode.Command, NodeReport>ask(node, ClusterNode.GetReport::new, timeout,
              system.scheduler())
          .handle((report, error) -> new Answer(node.path().toString(), report))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(done -> asks.stream().map(CompletableFuture::join).toList());
  }
}
