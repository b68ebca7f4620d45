package dev.narwhal.cluster.internal;

import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.cluster.ClusterHost;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.supervisor.Stats;
import java.util.Optional;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. A server's part in the cluster (cluster.enabled): its {@link ClusterNode}, the
 * proxy to the {@link ReloadCoordinator} singleton, the cluster view, leaving on stop, and its
 * graceful stop run inside Pekko's coordinated shutdown when the node is removed or downed.
 */
public final class ClusterMembership implements ClusterAdmin {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  /** How long a stopping node waits for the cluster to accept its leave before it drains anyway. */
  public static final Duration LEAVE_WAIT = Duration.ofSeconds(10);
  /** How long a node answers for the cluster view. */
  static final Duration VIEW_TIMEOUT = Duration.ofSeconds(3);
  /** The longest one node's own rolling reload may take. */
  static final Duration NODE_RELOAD_LIMIT = Duration.ofMinutes(10);
  /** A forwarded request's answer that never came: it may have run on the other node. */
  private static final Response LOST = Response.text(504,
      "Gateway Timeout: the cluster node serving this request did not answer\n");
  private static final ExecutorService RELOAD_WATCHERS = Executors.newVirtualThreadPerTaskExecutor();

  private final ActorSystem<?> system;
  private final ActorRef<ClusterNode.Command> node;
  private final ActorRef<ReloadCoordinator.Command> coordinator;
  private final String selfAddress;
  private final String selfId;

  private final OverflowPeers peers;

  private ClusterMembership(ActorSystem<?> system, ActorRef<ClusterNode.Command> node,
      ActorRef<ReloadCoordinator.Command> coordinator, OverflowPeers peers) {
    this.system = system;
    this.node = node;
    this.coordinator = coordinator;
    this.selfAddress = Cluster.get(system).selfMember().address().toString();
    this.selfId = ClusterNode.idOf(Cluster.get(system).selfMember().uniqueAddress());
    this.peers = peers;
  }

  /** Where the front end sends what its full backlog cannot take; empty when cluster.overflow is off. */
  public Optional<ClusterHost.Overflow> overflow() {
    return Optional.ofNullable(peers).map(p -> this::forward);
  }

  /**
   * Forwards {@code request} to the node with the most idle capacity in {@code pool}, if one has
   * any, once: the serving node may have run it, so a lost answer (the node died, or the wait ran
   * out) is a 504 and never a second try elsewhere. The wait is the pool's {@code timeout} and 5 s
   * (5 minutes without a timeout), and the serving node runs the request only when its own pool's
   * timeout answers within it, so a request that ran is not lost to the wait. A node the cluster
   * downs and removes meanwhile cannot answer any more, so the 504 comes then, not after the wait.
   */
  private Optional<CompletionStage<Response>> forward(Request request, String pool, Duration timeout) {
    if (Overflow.ForwardedRequest.size(request) > Overflow.MAX_MESSAGE) {
      return Optional.empty(); // Artery would drop the message: the request would never run, its answer never come
    }
    Duration forwardWait = forwardWait(timeout);
    return peers.pick(pool).map(peer -> peers.untilDowned(peer,
            AskPattern.<ClusterNode.Command, Overflow.ForwardedResponse>ask(peer.node(),
                replyTo -> new ClusterNode.Forward(Overflow.ForwardedRequest.of(request, selfId, forwardWait.toMillis()),
                    replyTo),
                forwardWait, system.scheduler()))
        .handle((answer, error) -> {
          if (answer != null) {
            return answer.toResponse();
          }
          String why = error instanceof OverflowPeers.NodeDowned downed ? ": " + downed.getMessage()
              : " within " + forwardWait.toMillis() + " ms (" + error + ")";
          log.warn("A request forwarded to {} got no answer{}; it may have run there, so it gets a 504",
              peer.address(), why);
          return LOST;
        }));
  }

  /** How long a forward into a pool with {@code timeout} waits for its answer. */
  static Duration forwardWait(Duration timeout) {
    return timeout.isZero() ? Duration.ofMinutes(5) : timeout.plus(Duration.ofSeconds(5));
  }

  /**
   * Joins (the seed nodes given in the config, else itself), registers this node and the
   * coordinator, and makes Pekko's coordinated shutdown wait for {@code stopAndDrain}: a node that
   * is removed or downed stops as SIGTERM stops it.
   */
  public static ClusterMembership start(ActorSystem<?> system, NodeAgent agent, ServerConfig config,
      Supplier<CompletionStage<?>> stopAndDrain) {
    OverflowPeers peers = config.get(Settings.CLUSTER_OVERFLOW) ? new OverflowPeers() : null;
    ActorRef<ClusterNode.Command> node = system.systemActorOf(ClusterNode.create(agent, peers), "narwhal-node",
        Props.empty());
    ActorRef<ReloadCoordinator.Command> coordinator = ClusterSingleton.get(system)
        .init(SingletonActor.of(ReloadCoordinator.create(), ReloadCoordinator.NAME));
    Cluster cluster = Cluster.get(system);
    if (config.get(Settings.CLUSTER_SEED_NODES).isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "narwhal-drain",
        () -> stopAndDrain.get().thenApply(done -> Done.getInstance()));
    ClusterMembership membership = new ClusterMembership(system, node, coordinator, peers);
    log.info("Cluster node {} (id {}, roles {}), joining {}", membership.selfAddress, membership.selfId,
        config.get(Settings.CLUSTER_ROLES),
        config.get(Settings.CLUSTER_SEED_NODES).isEmpty() ? "itself" : config.get(Settings.CLUSTER_SEED_NODES));
    return membership;
  }

  /** {@code pekko://narwhal@host:port}. */
  public String selfAddress() {
    return selfAddress;
  }

  /** The id clients see in {@code X-Narwhal-Overflow} when this node serves a forwarded request. */
  public String selfId() {
    return selfId;
  }

  /** Every member and every node's report. */
  @Override
  public CompletionStage<ClusterAdmin.Snapshot> snapshot() {
    return ClusterView.snapshot(system, VIEW_TIMEOUT);
  }

  /** Starts a cluster-wide rolling reload; completes when every node has been reloaded (or failed). */
  @Override
  public CompletionStage<ClusterAdmin.ReloadOutcome> reload(String id) {
    log.info("Cluster reload {}: asking the coordinator", id);
    return ClusterReloads.run(system, coordinator, id, NODE_RELOAD_LIMIT.multipliedBy(10)).whenComplete((done, e) -> {
      if (done != null) {
        log.info("Cluster reload {} done: reloaded {}, failed {}", id, done.reloaded(), done.failed());
      } else {
        log.error("Cluster reload {}: no outcome: {}", id, e.toString());
      }
    }).thenApply(done -> new ClusterAdmin.ReloadOutcome(done.reloadId(), done.reloaded(), done.failed()));
  }

  /**
   * Leaves the cluster and completes once the cluster has accepted it (this node is Exiting, at
   * most {@code wait}); the node keeps serving meanwhile. Completes at once when it is no longer a
   * member anyway.
   *
   * <p>Not once it is removed: the leader removes an exiting node only after that node's
   * coordinated shutdown has passed its cluster-exiting phase, which comes after the drain that
   * waits for this, so waiting for the removal always took the whole {@code wait}. From Exiting
   * on, the node is being handed over and the others stop counting on it, while it stays a member
   * whose answers to forwarded requests still arrive (a removed node's are dropped 5 s later).
   */
  public CompletionStage<Void> leave(Duration wait) {
    Cluster cluster = Cluster.get(system);
    MemberStatus status = cluster.selfMember().status();
    if (status == MemberStatus.down() || status == MemberStatus.removed() || cluster.isTerminated()) {
      return CompletableFuture.completedFuture(null);
    }
    log.info("Leaving the cluster before draining");
    if (wait.isZero()) { // a quick stop: Pekko's ask refuses a zero timeout, and nothing waits anyway
      cluster.manager().tell(Leave.create(cluster.selfMember().address()));
      return CompletableFuture.completedFuture(null);
    }
    CompletionStage<ClusterNode.Exit> accepted = AskPattern.ask(node, ClusterNode.AwaitExit::new, wait, system.scheduler());
    cluster.manager().tell(Leave.create(cluster.selfMember().address()));
    return accepted.handle((exit, timedOut) -> {
      if (exit == null) {
        log.warn("The cluster did not accept this node's leave within {} ms; draining anyway", wait.toMillis());
      }
      return null;
    });
  }

  /**
   * Runs {@code reload} (a local rolling reload, as SIGHUP) and completes once every worker is in
   * the new phase; exceptionally when it was refused or rolled back (the old phase kept serving).
   */
  public static CompletionStage<Void> reloadAndWait(Supplier<Stats> stats, Runnable reload) {
    return CompletableFuture.runAsync(() -> {
      int before = stats.get().phase();
      reload.run();
      Instant deadline = Instant.now().plus(NODE_RELOAD_LIMIT);
      while (Instant.now().isBefore(deadline)) {
        sleep(Duration.ofMillis(200));
        Stats now = stats.get();
        if (now.phase() <= before) {
          throw new IllegalStateException("rolled back: new workers failed to boot, phase " + before + " serves");
        }
        if (settled(now)) {
          return;
        }
      }
      throw new IllegalStateException("the reload did not finish within " + NODE_RELOAD_LIMIT.toMinutes() + " minutes");
    }, RELOAD_WATCHERS);
  }

  /** Every worker booted, in the current phase, and as many as the target. */
  static boolean settled(Stats stats) {
    return stats.workers().size() >= stats.targetWorkers()
        && stats.workers().stream().allMatch(w -> w.phase() == stats.phase()
            && w.state().serves());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
