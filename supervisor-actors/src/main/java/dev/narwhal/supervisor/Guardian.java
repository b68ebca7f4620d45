package dev.narwhal.supervisor;

import dev.narwhal.config.PoolRoutes;
import dev.narwhal.ServerHooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor system's guardian: one {@link Arbiter} child per worker pool (the default pool and
 * each of {@code narwhal.pools}), each with its own settings, counters, rollout and
 * {@link WorkQueue}. It speaks the arbiter's protocol for the server as a whole, so callers need not
 * know pools exist: scaling and a plain {@link Arbiter.Reload} concern the default pool; stats,
 * readiness and a graceful stop gather every pool's answer; a broadcast and heap readings reach
 * every pool. {@link ToPool} sends any command to one named pool; {@link ReloadPools} reloads them
 * all. When any pool's arbiter stops (its workers cannot boot: it has called {@code onFatal}
 * first), the guardian stops, and with it the actor system. A pool that is already serving when
 * its policy stops the server does not stop: {@code onFatal}'s owner stops the server gracefully.
 */
public final class Guardian {
  /** The guardian's own commands, besides the arbiter's it takes for the whole server. */
  public sealed interface Command extends Arbiter.Command permits ToPool, ReloadPools {}

  /** Hand {@code command} to the pool named {@code pool}; unknown pools are logged and ignored. */
  public record ToPool(String pool, Arbiter.Command command) implements Command {}

  /**
   * Reload every pool named here with its new settings (a rolling reload each). Pools not named
   * keep theirs; names that are no pool's are logged and ignored (adding a pool needs a restart).
   */
  public record ReloadPools(Map<String, PoolSettings> settings) implements Command {
    public ReloadPools {
      settings = Map.copyOf(settings);
    }
  }

  /**
   * One pool to supervise.
   *
   * @param name its name ({@code default} for the default pool)
   * @param settings its workers, application, recycling and timeouts
   * @param queue the dispatch queue the front end routes its requests to
   * @param gracefulTimeout its own graceful-timeout, or null to take the stop's
   */
  public record Pool(String name, PoolSettings settings, WorkQueue queue, Duration gracefulTimeout) {}

  /** The default pool's name. */
  public static final String DEFAULT = PoolRoutes.DEFAULT;

  private static final Duration STATS_WAIT = Duration.ofSeconds(4);
  /** Readiness waits for boots, whose own limits (boot-timeout, the policy) decide how long. */
  private static final Duration READY_WAIT = Duration.ofDays(1);
  /** A pool's drain beyond its deadline: it answers at the deadline, so this only guards a lost reply. */
  private static final Duration DRAIN_MARGIN = Duration.ofMinutes(1);

  private final ActorContext<Arbiter.Command> ctx;
  private final Map<String, ActorRef<Arbiter.Command>> pools = new LinkedHashMap<>();
  private final Map<String, Duration> grace = new LinkedHashMap<>();
  /**
   * Who asked for readiness. A pool that cannot boot answers its own gatherer and stops; the
   * guardian then stops at once, and its gatherers with it, maybe before they hear that answer: so
   * the guardian answers these itself when a pool stops.
   */
  private final List<ActorRef<Arbiter.Readiness>> readyWaiters = new ArrayList<>();
  /** Why the server must stop, as the pool's arbiter told {@code onFatal} before it stopped. */
  private final AtomicReference<String> fatal = new AtomicReference<>();

  private Guardian(ActorContext<Arbiter.Command> ctx) {
    this.ctx = ctx;
  }

  /**
   * @param pools the default pool first, then the named ones
   * @param hooks the user's server hooks
   * @param onFatal called with the reason and the exit status if the server must stop; once the
   *     pools serve, the caller must then stop the server gracefully ({@link Arbiter.GracefulStop})
   */
  public static Behavior<Arbiter.Command> create(List<Pool> pools, ServerHooks hooks, ObjIntConsumer<String> onFatal) {
    if (pools.isEmpty() || !pools.get(0).name().equals(DEFAULT)) {
      throw new IllegalArgumentException("the default pool comes first");
    }
    return Behaviors.setup(ctx -> {
      Guardian guardian = new Guardian(ctx);
      for (Pool pool : pools) {
        // a named pool's reason says which pool: the same application may boot in one and not another
        String prefix = pool.name().equals(DEFAULT) ? "" : "pool " + pool.name() + ": ";
        ObjIntConsumer<String> recorded = (reason, status) -> {
          guardian.fatal.compareAndSet(null, prefix + reason);
          onFatal.accept(prefix + reason, status);
        };
        ActorRef<Arbiter.Command> arbiter = ctx.spawn(Arbiter.create(
            pool.name().equals(DEFAULT) ? null : pool.name(), pool.settings(), pool.queue(), hooks, recorded),
            "pool-" + pool.name());
        ctx.watch(arbiter);
        guardian.pools.put(pool.name(), arbiter);
        if (pool.gracefulTimeout() != null) {
          guardian.grace.put(pool.name(), pool.gracefulTimeout());
        }
      }
      return guardian.supervising();
    });
  }

  private Behavior<Arbiter.Command> supervising() {
    return Behaviors.receive(Arbiter.Command.class)
        .onMessage(Arbiter.Command.class, this::onCommand)
        .onSignal(Terminated.class, this::onPoolStopped)
        .build();
  }

  private Behavior<Arbiter.Command> onCommand(Arbiter.Command msg) {
    switch (msg) {
      case Arbiter.GetStats g -> gather(Stats.class, (name, replyTo) -> new Arbiter.GetStats(replyTo), STATS_WAIT,
          byPool -> {
            Stats main = byPool.get(DEFAULT);
            if (main != null) { // else the default pool is gone: the asker times out, as with no arbiter
              g.replyTo().tell(main.withPools(byPool));
            }
          });
      case Arbiter.AwaitReady a -> {
        readyWaiters.add(a.replyTo()); // answered twice at worst: an asker takes the first answer
        gather(Arbiter.Readiness.class, (name, replyTo) -> new Arbiter.AwaitReady(replyTo), READY_WAIT,
            byPool -> a.replyTo().tell(readiness(byPool)));
      }
      case Arbiter.GracefulStop stop -> gracefulStop(stop);
      case Arbiter.Broadcast b -> pools.values().forEach(p -> p.tell(b));
      case Arbiter.HeapObserved h -> pools.values().forEach(p -> p.tell(h));
      case ToPool to -> forward(to.pool(), to.command());
      case ReloadPools r -> r.settings().forEach((name, settings) -> forward(name, new Arbiter.Reload(settings)));
      // ScaleUp, ScaleDown and Reload: the default pool's, as before pools existed (and SIGTTIN/SIGTTOU)
      default -> pools.get(DEFAULT).tell(msg);
    }
    return Behaviors.same();
  }

  private void forward(String pool, Arbiter.Command command) {
    ActorRef<Arbiter.Command> to = pools.get(pool);
    if (to == null) {
      ctx.getLog().warn("No pool named '{}' (pools: {}); {} ignored", pool, pools.keySet(), command);
    } else {
      to.tell(command);
    }
  }

  /** Every pool drains, each by its own deadline (never later than the stop's); one reply once all have. */
  private void gracefulStop(Arbiter.GracefulStop stop) {
    Duration longest = stop.within();
    Map<String, Duration> within = new LinkedHashMap<>();
    for (String name : pools.keySet()) {
      Duration own = grace.get(name);
      within.put(name, own != null && own.compareTo(stop.within()) < 0 ? own : stop.within());
    }
    gather(Arbiter.Drained.class,
        (name, replyTo) -> new Arbiter.GracefulStop(within.get(name), stop.frontendClosed(), replyTo),
        longest.plus(DRAIN_MARGIN),
        byPool -> stop.replyTo().tell(new Arbiter.Drained(byPool.values().stream()
            .mapToInt(Arbiter.Drained::cutShort).sum())));
  }

  private <T> void gather(Class<T> type, BiFunction<String, ActorRef<T>, Arbiter.Command> question,
      Duration timeout, Consumer<Map<String, T>> done) {
    ctx.spawnAnonymous(Gather.create(pools, type, question, timeout, done));
  }

  private static Arbiter.Readiness readiness(Map<String, Arbiter.Readiness> byPool) {
    int workers = 0;
    for (Map.Entry<String, Arbiter.Readiness> e : byPool.entrySet()) {
      switch (e.getValue()) {
        case Arbiter.BootFailure f -> {
          return e.getKey().equals(DEFAULT) ? f : new Arbiter.BootFailure("pool " + e.getKey() + ": " + f.reason());
        }
        case Arbiter.Ready r -> workers += r.workers();
      }
    }
    return new Arbiter.Ready(workers);
  }

  /** A pool's arbiter stops only when the server must (it told {@code onFatal}): so does the guardian. */
  private Behavior<Arbiter.Command> onPoolStopped(Terminated terminated) {
    Set<String> names = pools.keySet();
    ctx.getLog().debug("A pool's arbiter stopped ({}); stopping every pool of {}", terminated.getRef(), names);
    String reason = fatal.get() == null ? "a pool's arbiter stopped" : fatal.get();
    readyWaiters.forEach(w -> w.tell(new Arbiter.BootFailure(reason)));
    readyWaiters.clear();
    return Behaviors.stopped();
  }
}
