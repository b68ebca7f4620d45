package dev.narwhal.cluster.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The other nodes' idle capacity as last announced ({@link ClusterNode.Load}, a few times a second),
 * read by the front end on the request path without asking any actor. Picking a peer spends one
 * unit of its announced capacity, so a burst is spread over the idle nodes instead of all landing
 * on the first.
 */
public final class OverflowPeers {
  /** An announcement older than this is not trusted. */
  static final Duration FRESH = Duration.ofSeconds(2);

  /** A peer to forward to. */
  public record Peer(String address, ActorRef<ClusterNode.Command> node) {}

  private record Load(ActorRef<ClusterNode.Command> node, int idle, long seenNanos) {}

  private final Map<String, Load> loads = new ConcurrentHashMap<>();

  void announced(String address, ActorRef<ClusterNode.Command> node, int idle) {
    loads.put(address, new Load(node, idle, System.nanoTime()));
  }

  /** Forgets the nodes not in {@code addresses} (they left the cluster). */
  void retain(Set<String> addresses) {
    loads.keySet().retainAll(addresses);
  }

  /** The peer with the most idle capacity, if any has some; spends one unit of it. */
  public Optional<Peer> pick() {
    long now = System.nanoTime();
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Map.Entry<String, Load>> best = loads.entrySet().stream()
          .filter(e -> e.getValue().idle() > 0 && now - e.getValue().seenNanos() < FRESH.toNanos())
          .max(Comparator.comparingInt(e -> e.getValue().idle()));
      if (best.isEmpty()) {
        return Optional.empty();
      }
      Load load = best.get().getValue();
      Load spent = new Load(load.node(), load.idle() - 1, load.seenNanos());
      if (loads.replace(best.get().getKey(), load, spent)) {
        return Optional.of(new Peer(best.get().getKey(), load.node()));
      }
    }
    return Optional.empty();
  }
}
