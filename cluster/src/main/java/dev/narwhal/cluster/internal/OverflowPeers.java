package dev.narwhal.cluster.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The other nodes' idle capacity by pool as last announced ({@link ClusterNode.Load}, a few times a
 * second), read by the front end on the request path without asking any actor. Picking a peer for
 * a pool spends one unit of its announced capacity in that pool, so a burst is spread over the idle
 * nodes instead of all landing on the first, and a request routed to a named pool goes to a node
 * whose own pool of that name has a free worker (every node has the same routes).
 *
 * <p>It also holds the forwards waiting for an answer, by the node serving them, so that a node the
 * cluster has downed and removed (it crashed, or was cut off and lost the split-brain decision)
 * answers them at once with a failure instead of leaving each client to wait out the whole
 * forward wait (the timeout plus 5 s) for an answer that cannot come: Pekko quarantines a downed
 * node, so nothing it sends is delivered any more. A node that left gracefully is not such a
 * case: it drains before its removal, and an answer sent just before it may land just after.
 *
 * <p>A removed node's address is remembered for a while (a tombstone, {@link #TOMBSTONE_KEPT}), so
 * that an announcement it sent just before its removal, handled just after it, does not bring it
 * back, and, when it was downed, so that a forward registered in the instant after the removal
 * (picked just before it) fails at once as well, instead of waiting out its ask timeout. A new
 * incarnation at the same address (a restarted node: its actor is another, and it joins the
 * cluster anew) ends the tombstone.
 */
public final class OverflowPeers {
  /** An announcement older than this is not trusted. */
  static final Duration FRESH = Duration.ofSeconds(2);
  /**
   * How long a removed node's tombstone is kept: far longer than the instant it guards, and short
   * enough that the addresses of nodes that never come back (ephemeral pod addresses) do not pile up.
   */
  static final Duration TOMBSTONE_KEPT = Duration.ofMinutes(1);

  /** A peer to forward to. */
  public record Peer(String address, ActorRef<ClusterNode.Command> node) {}

  private record Load(ActorRef<ClusterNode.Command> node, Map<String, Integer> idle, long seenNanos) {
    int idleIn(String pool) {
      return idle.getOrDefault(pool, 0);
    }

    Load spend(String pool) {
      Map<String, Integer> left = new HashMap<>(idle);
      left.put(pool, idleIn(pool) - 1);
      return new Load(node, left, seenNanos);
    }
  }

  /** A forward's answer that will not come: the serving node was downed and removed. */
  public static final class NodeDowned extends RuntimeException {
    NodeDowned(String address) {
      super(address + " was downed and removed from the cluster", null, false, false);
    }
  }

  private final Map<String, Load> loads = new ConcurrentHashMap<>();
  private final Map<String, Set<CompletableFuture<?>>> awaiting = new ConcurrentHashMap<>();
  private final Map<String, Tombstone> removed = new ConcurrentHashMap<>();
  /** Each member's node actor as last announced, kept until its removal (retain() may drop its load first). */
  private final Map<String, ActorRef<ClusterNode.Command>> nodes = new ConcurrentHashMap<>();

  /**
   * A removed node: its node actor if it had announced itself, when, and whether it was downed
   * (only then do forwards to it fail). A gracefully removed node gets one too: it announces itself
   * until its system stops, and a late announcement must not bring it back either.
   */
  private record Tombstone(ActorRef<ClusterNode.Command> node, long atNanos, boolean downed) {
    boolean expired(long now) {
      return now - atNanos > TOMBSTONE_KEPT.toNanos();
    }
  }

  void announced(String address, ActorRef<ClusterNode.Command> node, Map<String, Integer> idle) {
    long now = System.nanoTime();
    Tombstone tombstone = removed.get(address);
    if (tombstone != null && !tombstone.expired(now) && !newIncarnation(node, tombstone)) {
      return; // sent by the removed incarnation before its removal, handled after it
    }
    if (tombstone != null) {
      removed.remove(address, tombstone); // a new incarnation at that address, or an old tombstone
    }
    if (node != null) {
      nodes.put(address, node);
    }
    loads.put(address, new Load(node, idle, now));
  }

  /**
   * Whether {@code node} is not the removed one. Without the removed node's actor (it was removed
   * before it ever announced itself) nothing tells them apart: only {@link #joined} ends such a
   * tombstone early.
   */
  private static boolean newIncarnation(ActorRef<ClusterNode.Command> node, Tombstone tombstone) {
    return node != null && tombstone.node() != null && !node.equals(tombstone.node());
  }

  /**
   * A member joined or came up at {@code address}. After a removal at that address this can only
   * be a new incarnation (the cluster removes the old one before it lets the new one join), so its
   * announcements count again even when the removed node's actor was never known.
   */
  void joined(String address) {
    removed.remove(address);
  }

  /** Forgets the nodes not in {@code addresses} (they left the cluster). */
  void retain(Set<String> addresses) {
    loads.keySet().retainAll(addresses);
  }

  /** The peer with the most idle capacity in {@code pool}, if any has some; spends one unit of it. */
  public Optional<Peer> pick(String pool) {
    long now = System.nanoTime();
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Map.Entry<String, Load>> best = loads.entrySet().stream()
          .filter(e -> e.getValue().idleIn(pool) > 0 && now - e.getValue().seenNanos() < FRESH.toNanos())
          .max(Comparator.comparingInt(e -> e.getValue().idleIn(pool)));
      if (best.isEmpty()) {
        return Optional.empty();
      }
      Load load = best.get().getValue();
      if (loads.replace(best.get().getKey(), load, load.spend(pool))) {
        return Optional.of(new Peer(best.get().getKey(), load.node()));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code answer}, or a {@link NodeDowned} failure as soon as {@code peer} is downed and removed,
   * whichever comes first.
   */
  public <T> CompletableFuture<T> untilDowned(Peer peer, CompletionStage<T> answer) {
    CompletableFuture<T> result = new CompletableFuture<>();
    // compute and computeIfPresent are atomic against removed()'s remove of the same address
    awaiting.compute(peer.address(), (address, waiting) -> {
      Set<CompletableFuture<?>> set = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
      set.add(result);
      return set;
    });
    result.whenComplete((r, error) -> awaiting.computeIfPresent(peer.address(), (address, waiting) -> {
      waiting.remove(result);
      return waiting.isEmpty() ? null : waiting; // no empty set left behind per departed node
    }));
    // after registering: either removed() finds this forward in its sweep, or the tombstone is here
    Tombstone tombstone = removed.get(peer.address());
    if (tombstone != null && tombstone.downed() && !tombstone.expired(System.nanoTime())) {
      result.completeExceptionally(new NodeDowned(peer.address()));
    }
    answer.whenComplete((r, error) -> {
      if (error == null) {
        result.complete(r);
      } else {
        result.completeExceptionally(error);
      }
    });
    return result;
  }

  /**
   * The node at {@code address} was removed from the cluster: it is picked no more, and when it
   * was {@code downed} first, the forwards it still owes an answer fail now; after a graceful exit
   * they keep waiting for it.
   */
  void removed(String address, boolean downed) {
    loads.remove(address); // its last announcement would stay fresh for a while
    long now = System.nanoTime();
    removed.values().removeIf(t -> t.expired(now));
    // before the sweep, so no forward falls between the two
    removed.put(address, new Tombstone(nodes.remove(address), now, downed));
    Set<CompletableFuture<?>> waiting = awaiting.remove(address);
    if (downed && waiting != null) {
      waiting.forEach(f -> f.completeExceptionally(new NodeDowned(address)));
    }
  }

  /** How many forwards wait on the node at {@code address}: none once each is answered or failed. */
  int waitingOn(String address) {
    Set<CompletableFuture<?>> waiting = awaiting.get(address);
    return waiting == null ? 0 : waiting.size();
  }
}
