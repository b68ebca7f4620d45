package dev.narwhal.cluster.internal;

import dev.narwhal.Response;
import dev.narwhal.WorkerInfo;
import dev.narwhal.Responses;
import dev.narwhal.cluster.NodeReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per node: the node as the rest of the cluster sees it. Registered with the receptionist
 * under {@link #KEY}, it answers reports for the cluster-wide view and runs this node's part of a
 * cluster-wide rolling reload for the {@link ReloadCoordinator}. With overflow on, it announces
 * this node's idle capacity and serves what the others forward; it tells a stopping server when
 * the cluster has accepted its leave ({@link AwaitExit}).
 *
 * <p>A reload is idempotent per id: the coordinator may be restarted on another node part-way and
 * ask again, and a node that has already reloaded for that id answers at once instead of
 * reloading twice.
 */
public final class ClusterNode extends AbstractBehavior<ClusterNode.Command> {
  /** How every node's ClusterNode is found. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "narwhal-node");
  /** How often a node announces its idle capacity while overflow is on. */
  static final Duration ANNOUNCE_EVERY = Duration.ofMillis(250);
  /** The answer when the serving node failed to answer at all: a silent one would leave the other waiting. */
  private static final Response FAILED = Responses.internalError();
  /** The answer when the response was too large to cross back: it ran, but cannot be delivered. */
  private static final Response TOO_LARGE = Response.text(502,
      "Bad Gateway: the response was too large to pass between cluster nodes\n");
  /** For the worker's thread, where getContext() (and its log) may not be used. */
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  /** How many finished reload ids a node remembers. */
  private static final int REMEMBERED = 32;

  public sealed interface Command permits GetReport, ReloadNode, ReloadFinished, Forward, Load, Tick, NodesChanged,
      MembershipChanged, AwaitExit {}

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

  /** Serve a request another node's full backlog could not take (cluster.overflow). */
  public record Forward(Overflow.ForwardedRequest request, ActorRef<Overflow.ForwardedResponse> replyTo)
      implements Command, CborSerializable {}

  /**
   * A node's idle capacity by pool, announced to the others a few times a second while overflow is
   * on. {@code idle} is the default pool's alone, as nodes without {@code pools} read it; a Load
   * from such a node has no {@code pools} (null), and its {@code idle} is then its default pool's.
   */
  public record Load(String address, int idle, ActorRef<Command> node, Map<String, Integer> pools)
      implements Command, CborSerializable {
    /** Idle capacity by pool, whichever kind of node announced it. */
    Map<String, Integer> idleByPool() {
      return pools == null ? Map.of(WorkerInfo.DEFAULT_POOL, idle) : pools;
    }
  }

  /** Time to announce this node's load (local only). */
  private enum Tick implements Command { INSTANCE }

  /** The nodes registered now (local only). */
  private record NodesChanged(Receptionist.Listing listing) implements Command {}

  /**
   * A member joined, left, became unreachable or reachable again (local only): logged; a removal
   * settles the forwards that node owes, this node's own exit answers {@link AwaitExit}.
   */
  private record MembershipChanged(ClusterEvent.ClusterDomainEvent event) implements Command {}

  /**
   * Answer {@link Exit} once the cluster has accepted this node's leave: it is Exiting (or already
   * downed or removed). Local only: the stopping server drains from then on.
   */
  public record AwaitExit(ActorRef<Exit> replyTo) implements Command {}

  /** The answer to {@link AwaitExit}. */
  public record Exit(String status) {}

  /** This node's own reload ended (local only). */
  private record ReloadFinished(String reloadId, String error) implements Command {}

  private final NodeAgent agent;
  private final String address;
  private final String id;
  private final UniqueAddress selfUnique;
  /** This node's status as its own member events last told it (Up until told otherwise). */
  private MemberStatus selfStatus;
  private final SequencedSet<String> finished = new LinkedHashSet<>();
  private final Map<String, String> outcomes = new LinkedHashMap<>();
  private String running;
  private final List<ActorRef<NodeReloaded>> waiting = new ArrayList<>();
  private final List<ActorRef<Exit>> exitWaiters = new ArrayList<>();
  private final OverflowPeers peers;
  private List<ActorRef<Command>> others = List.of();

  /** A node without overflow: reports and reloads. */
  public static Behavior<Command> create(NodeAgent agent) {
    return create(agent, null);
  }

  /**
   * @param peers where the other nodes' announced capacity goes, for the front end to pick from;
   *     null when cluster.overflow is off (then nothing is announced either)
   */
  public static Behavior<Command> create(NodeAgent agent, OverflowPeers peers) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, MembershipChanged::new),
          ClusterEvent.ReachabilityEvent.class));
      if (peers == null) {
        return new ClusterNode(ctx, agent, null);
      }
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY,
          ctx.messageAdapter(Receptionist.Listing.class, NodesChanged::new)));
      return Behaviors.withTimers(timers -> {
        timers.startTimerWithFixedDelay(Tick.INSTANCE, ANNOUNCE_EVERY);
        return new ClusterNode(ctx, agent, peers);
      });
    });
  }

  private ClusterNode(ActorContext<Command> ctx, NodeAgent agent, OverflowPeers peers) {
    super(ctx);
    this.agent = agent;
    this.peers = peers;
    this.address = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.selfUnique = Cluster.get(ctx.getSystem()).selfMember().uniqueAddress();
    this.selfStatus = Cluster.get(ctx.getSystem()).selfMember().status();
    this.id = idOf(selfUnique);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Command.class, msg -> switch (msg) {
      case GetReport g -> onGetReport(g);
      case ReloadNode r -> onReloadNode(r);
      case ReloadFinished f -> onReloadFinished(f);
      case Forward f -> onForward(f);
      case Load l -> onLoad(l);
      case Tick t -> onTick();
      case NodesChanged c -> onNodesChanged(c);
      case MembershipChanged m -> onMembershipChanged(m);
      case AwaitExit a -> onAwaitExit(a);
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

  /** Serves the request on this node's workers; the reply goes straight from the worker's thread. */
  private Behavior<Command> onForward(Forward forward) {
    Duration wait = Duration.ofMillis(forward.request().waitMillis());
    agent.serveForwarded(forward.request().toRequest(), wait).whenComplete((response, error) -> {
      // always an answer: a silent one would leave the forwarding node waiting out its whole wait
      Overflow.ForwardedResponse answer = Overflow.ForwardedResponse.of(
          response != null ? response : FAILED, id);
      if (answer.size() > Overflow.MAX_MESSAGE) {
        LOG.warn("A forwarded request's response of {} bytes is too large to send back to the "
            + "forwarding node (at most {}); it gets a 502", answer.size(), Overflow.MAX_MESSAGE);
        answer = Overflow.ForwardedResponse.of(TOO_LARGE, id);
      }
      forward.replyTo().tell(answer);
    });
    return this;
  }

  /**
   * This node's id as clients may see it ({@link Overflow#SERVED_BY_HEADER}): stable for one run of
   * the node, and telling nothing of its address; the cluster view lists it next to the address.
   */
  public static String idOf(UniqueAddress node) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(
          (node.address() + "#" + node.longUid()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Behavior<Command> onLoad(Load load) {
    if (peers != null) {
      peers.announced(load.address(), load.node(), load.idleByPool());
    }
    return this;
  }

  private Behavior<Command> onTick() {
    // a node on its way out takes no new work: the others' receptionists list it until it is
    // removed, and forwards into its drain would only be refused with 503
    Map<String, Integer> idle = selfStatus == MemberStatus.up() || selfStatus == MemberStatus.weaklyUp()
        ? agent.idleCapacity() : Map.of();
    Load load = new Load(address, idle.getOrDefault(WorkerInfo.DEFAULT_POOL, 0), getContext().getSelf(), idle);
    others.forEach(node -> node.tell(load));
    return this;
  }

  private Behavior<Command> onNodesChanged(NodesChanged changed) {
    others = changed.listing().getServiceInstances(KEY).stream()
        .filter(ref -> !ref.equals(getContext().getSelf())).toList();
    peers.retain(others.stream().map(ref -> ref.path().address().toString())
        .collect(Collectors.toSet()));
    return this;
  }

  /** One loud, greppable line per membership change: the operator's record of the cluster. */
  private Behavior<Command> onMembershipChanged(MembershipChanged changed) {
    String line = switch (changed.event()) {
      case ClusterEvent.UnreachableMember u -> "Cluster member " + u.member().address() + " is UNREACHABLE";
      case ClusterEvent.ReachableMember r -> "Cluster member " + r.member().address() + " is reachable again";
      case ClusterEvent.MemberRemoved r -> "Cluster member " + r.member().address() + " removed (was "
          + r.previousStatus() + ")";
      case ClusterEvent.MemberEvent e -> "Cluster member " + e.member().address() + " is " + e.member().status();
      default -> null;
    };
    if (line != null) {
      getContext().getLog().info(line);
    }
    if (peers != null && changed.event() instanceof ClusterEvent.MemberRemoved r) {
      peers.removed(r.member().address().toString(), r.previousStatus() == MemberStatus.down());
    }
    if (peers != null && (changed.event() instanceof ClusterEvent.MemberJoined
        || changed.event() instanceof ClusterEvent.MemberWeaklyUp || changed.event() instanceof ClusterEvent.MemberUp)) {
      peers.joined(((ClusterEvent.MemberEvent) changed.event()).member().address().toString());
    }
    // the event's own status: Cluster.selfMember() is updated by a subscriber of its own and may
    // not show this change yet (nor, when a waiter comes later, have shown it already)
    if (changed.event() instanceof ClusterEvent.MemberEvent e && e.member().uniqueAddress().equals(selfUnique)) {
      selfStatus = e.member().status();
      answerExitWaiters(selfStatus);
    }
    return this;
  }

  private Behavior<Command> onAwaitExit(AwaitExit await) {
    exitWaiters.add(await.replyTo());
    // the leave may have been accepted before this was asked: seen in an event, or by the cluster
    answerExitWaiters(selfStatus);
    answerExitWaiters(Cluster.get(getContext().getSystem()).selfMember().status());
    return this;
  }

  private void answerExitWaiters(MemberStatus status) {
    if (!exitWaiters.isEmpty() && (status == MemberStatus.exiting() || status == MemberStatus.down()
        || status == MemberStatus.removed())) {
      exitWaiters.forEach(w -> w.tell(new Exit(status.toString())));
      exitWaiters.clear();
    }
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
