package dev.narwhal.cluster.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The cluster singleton that owns a cluster-wide rolling reload: it reloads the nodes one at a
 * time (each node reloads its own workers one at a time), so at every moment all nodes but one
 * run only workers of a settled phase, and the one reloading still serves at full capacity.
 *
 * <p>It keeps no durable state. If the node it runs on dies, Pekko starts it on the oldest
 * surviving node, and the requester ({@link ClusterReloads}) asks again with the same id; nodes
 * that already reloaded for that id answer at once ({@link ClusterNode}), so the sequence resumes
 * where it stopped.
 */
public final class ReloadCoordinator extends AbstractBehavior<ReloadCoordinator.Command> {
  /** The singleton's name. */
  public static final String NAME = "narwhal-reload-coordinator";
  /** The most one node's reload may take before the coordinator moves on (and reports it failed). */
  static final Duration NODE_RELOAD_LIMIT = Duration.ofMinutes(10);

  public sealed interface Command permits RollingReload, NodesListed, NodeDone {}

  /** Reload every node, one at a time; answered once all have been tried. */
  public record RollingReload(String reloadId, ActorRef<ClusterReloaded> replyTo)
      implements Command, CborSerializable {}

  /**
   * The outcome of a cluster reload.
   *
   * @param reloaded the nodes (cluster addresses) that reloaded, in order
   * @param failed the nodes that did not, each with why
   */
  public record ClusterReloaded(String reloadId, List<String> reloaded, List<String> failed)
      implements CborSerializable {
    public ClusterReloaded {
      reloaded = List.copyOf(reloaded);
      failed = List.copyOf(failed);
    }
  }

  /** The receptionist's list of nodes (local only). */
  private record NodesListed(String reloadId, List<ActorRef<ClusterNode.Command>> nodes) implements Command {}

  /** One node's reload ended (local only). */
  private record NodeDone(String reloadId, String address, String error) implements Command {}

  private String current;
  private final List<ActorRef<ClusterReloaded>> requesters = new ArrayList<>();
  private final Deque<ActorRef<ClusterNode.Command>> pending = new ArrayDeque<>();
  private final List<String> reloaded = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();

  public static Behavior<Command> create() {
    return Behaviors.setup(ReloadCoordinator::new);
  }

  private ReloadCoordinator(ActorContext<Command> ctx) {
    super(ctx);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Command.class, msg -> switch (msg) {
      case RollingReload r -> onRollingReload(r);
      case NodesListed l -> onNodesListed(l);
      case NodeDone d -> onNodeDone(d);
    }).build();
  }

  private Behavior<Command> onRollingReload(RollingReload reload) {
    if (current != null && !current.equals(reload.reloadId())) {
      reload.replyTo().tell(new ClusterReloaded(reload.reloadId(), List.of(),
          List.of("a cluster reload is already running: " + current)));
      return this;
    }
    requesters.add(reload.replyTo());
    if (current != null) {
      return this; // the same reload asked again (its requester's ask timed out): answer both
    }
    current = reload.reloadId();
    getContext().getLog().info("Cluster reload {}: listing the nodes", current);
    String id = current;
    getContext().ask(Receptionist.Listing.class, getContext().getSystem().receptionist(), Duration.ofSeconds(10),
        replyTo -> Receptionist.find(ClusterNode.KEY, replyTo),
        (listing, error) -> new NodesListed(id, listing == null ? List.of()
            : List.copyOf(listing.getServiceInstances(ClusterNode.KEY))));
    return this;
  }

  private Behavior<Command> onNodesListed(NodesListed listed) {
    if (!listed.reloadId().equals(current)) {
      return this;
    }
    // in address order, so a resumed reload visits the nodes in the same order
    listed.nodes().stream().sorted(Comparator.comparing(this::addressOf))
        .forEach(pending::add);
    getContext().getLog().info("Cluster reload {}: {} nodes, one at a time", current, pending.size());
    return next();
  }

  private Behavior<Command> next() {
    ActorRef<ClusterNode.Command> node = pending.poll();
    if (node == null) {
      return finish();
    }
    String id = current;
    String address = addressOf(node);
    getContext().ask(ClusterNode.NodeReloaded.class, node, NODE_RELOAD_LIMIT,
        replyTo -> new ClusterNode.ReloadNode(id, replyTo),
        (answer, error) -> answer != null
            ? new NodeDone(id, answer.address(), answer.error())
            : new NodeDone(id, address, "no answer: " + error.getMessage()));
    return this;
  }

  /** A node's cluster address; a ref on this node carries none of its own. */
  private String addressOf(ActorRef<?> ref) {
    return ref.path().address().hasLocalScope()
        ? Cluster.get(getContext().getSystem()).selfMember().address().toString()
        : ref.path().address().toString();
  }

  private Behavior<Command> onNodeDone(NodeDone done) {
    if (!done.reloadId().equals(current)) {
      return this;
    }
    if (done.error().isEmpty()) {
      reloaded.add(done.address());
    } else {
      failed.add(done.address() + ": " + done.error());
    }
    return next();
  }

  private Behavior<Command> finish() {
    getContext().getLog().info("Cluster reload {} complete: {} reloaded, {} failed {}", current, reloaded.size(),
        failed.size(), failed);
    ClusterReloaded outcome = new ClusterReloaded(current, reloaded, failed);
    requesters.forEach(r -> r.tell(outcome));
    requesters.clear();
    reloaded.clear();
    failed.clear();
    current = null;
    return this;
  }
}
