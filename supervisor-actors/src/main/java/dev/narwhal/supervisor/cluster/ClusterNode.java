package dev.narwhal.supervisor.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * One per node: the node as the rest of the cluster sees it. Registered with the receptionist
 * under {@link #KEY}, it answers reports for the cluster-wide view and runs this node's part of a
 * cluster-wide rolling reload for the {@link ReloadCoordinator}.
 *
 * <p>A reload is idempotent per id: the coordinator may be restarted on another node part-way and
 * ask again, and a node that has already reloaded for that id answers at once instead of
 * reloading twice.
 */
public final class ClusterNode extends AbstractBehavior<ClusterNode.Command> {
  /** How every node's ClusterNode is found. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "narwhal-node");
  /** How many finished reload ids a node remembers. */
  private static final int REMEMBERED = 32;

  public sealed interface Command permits GetReport, ReloadNode, ReloadFinished {}

  /** Asks for this node's {@link NodeReport}. */
  public record GetReport(ActorRef<NodeReport> replyTo) implements Command, CborSerializable {}

  /** Reload this node's workers for cluster reload {@code reloadId}; answered when done. */
  public record ReloadNode(String reloadId, ActorRef<NodeReloaded> replyTo) implements Command, CborSerializable {}

  /**
   * A node's answer to {@link ReloadNode}.
   *
   * @param error empty when every worker is in the new phase; otherwise why the reload failed
   */
  public record NodeReloaded(String address, String reloadId, String error) implements CborSerializable {
    public boolean ok() {
      return error.isEmpty();
    }
  }

  /** This node's own reload ended (local only). */
  private record ReloadFinished(String reloadId, String error) implements Command {}

  private final NodeAgent agent;
  private final String address;
  private final SequencedSet<String> finished = new LinkedHashSet<>();
  private final Map<String, String> outcomes = new LinkedHashMap<>();
  private String running;
  private final List<ActorRef<NodeReloaded>> waiting = new ArrayList<>();

  public static Behavior<Command> create(NodeAgent agent) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      return new ClusterNode(ctx, agent);
    });
  }

  private ClusterNode(ActorContext<Command> ctx, NodeAgent agent) {
    super(ctx);
    this.agent = agent;
    this.address = Cluster.get(ctx.getSystem()).selfMember().address().toString();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Command.class, msg -> switch (msg) {
      case GetReport g -> onGetReport(g);
      case ReloadNode r -> onReloadNode(r);
      case ReloadFinished f -> onReloadFinished(f);
    }).build();
  }

  private Behavior<Command> onGetReport(GetReport get) {
    // answered from the agent's thread: ActorRef.tell is safe from anywhere, and no state changes
    agent.report(address).whenComplete((report, error) -> {
      if (report != null) {
        get.replyTo().tell(report);
      }
    });
    return this;
  }

  private Behavior<Command> onReloadNode(ReloadNode reload) {
    if (finished.contains(reload.reloadId())) {
      reload.replyTo().tell(new NodeReloaded(address, reload.reloadId(), outcomes.get(reload.reloadId())));
      return this;
    }
    if (running != null && !running.equals(reload.reloadId())) {
      reload.replyTo().tell(new NodeReloaded(address, reload.reloadId(), "busy with cluster reload " + running));
      return this;
    }
    waiting.add(reload.replyTo());
    if (reload.reloadId().equals(running)) {
      return this; // asked again by a restarted coordinator: answer both when done
    }
    getContext().getLog().info("Cluster reload {}: reloading this node's workers", reload.reloadId());
    running = reload.reloadId();
    getContext().pipeToSelf(agent.reload(), (done, error) -> new ReloadFinished(reload.reloadId(),
        error == null ? "" : String.valueOf(error.getCause() != null ? error.getCause().getMessage() : error.getMessage())));
    return this;
  }

  private Behavior<Command> onReloadFinished(ReloadFinished done) {
    getContext().getLog().info("Cluster reload {}: this node {}", done.reloadId(),
        done.error().isEmpty() ? "has reloaded" : "failed to reload: " + done.error());
    finished.add(done.reloadId());
    outcomes.put(done.reloadId(), done.error());
    if (finished.size() > REMEMBERED) {
      outcomes.remove(finished.removeFirst());
    }
    waiting.forEach(w -> w.tell(new NodeReloaded(address, done.reloadId(), done.error())));
    waiting.clear();
    running = null;
    return this;
  }
}
