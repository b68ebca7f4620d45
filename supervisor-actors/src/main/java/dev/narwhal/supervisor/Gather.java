package dev.narwhal.supervisor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Asks every pool the same question and hands the answers, by pool, to {@code done} once all have
 * answered (or timed out: that pool is then missing from the map). One short-lived actor per
 * question, so the {@link Guardian} keeps no bookkeeping of questions in flight.
 */
final class Gather {
  /** One pool's answer; null when it did not answer in time. */
  record Got(String pool, Object answer) {}

  private Gather() {}

  /**
   * @param pools the pools to ask, in the order the answers are handed over
   * @param type the answer's type
   * @param question the question to a pool, given its name and where to answer
   */
  static <T> Behavior<Got> create(Map<String, ActorRef<Arbiter.Command>> pools, Class<T> type,
      BiFunction<String, ActorRef<T>, Arbiter.Command> question, Duration timeout, Consumer<Map<String, T>> done) {
    return Behaviors.setup(ctx -> {
      pools.forEach((name, pool) -> ctx.ask(type, pool, timeout, replyTo -> question.apply(name, replyTo),
          (answer, error) -> new Got(name, answer)));
      Map<String, T> answers = new LinkedHashMap<>();
      int[] left = {pools.size()};
      return Behaviors.receiveMessage(got -> {
        if (got.answer() != null) {
          answers.put(got.pool(), type.cast(got.answer()));
        }
        if (--left[0] > 0) {
          return Behaviors.same();
        }
        Map<String, T> ordered = new LinkedHashMap<>();
        pools.keySet().stream().filter(answers::containsKey).forEach(p -> ordered.put(p, answers.get(p)));
        done.accept(ordered);
        return Behaviors.stopped();
      });
    });
  }
}
