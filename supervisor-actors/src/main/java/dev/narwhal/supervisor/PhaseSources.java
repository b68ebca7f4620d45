package dev.narwhal.supervisor;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Each phase's application source, kept until no worker of the phase is left and the phase cannot
 * become current again: a preloaded instance of a replaced phase is stopped then, not at exit.
 * Mutable; owned by the arbiter alone.
 */
final class PhaseSources {
  private final Map<Integer, ApplicationSource> byPhase = new HashMap<>();

  void add(int phase, ApplicationSource source) {
    byPhase.put(phase, source);
  }

  /** Retires (and forgets) the source of every phase {@code needed} rejects. */
  void retireUnless(IntPredicate needed) {
    Iterator<Map.Entry<Integer, ApplicationSource>> all = byPhase.entrySet().iterator();
    while (all.hasNext()) {
      Map.Entry<Integer, ApplicationSource> source = all.next();
      if (!needed.test(source.getKey())) {
        all.remove();
        source.getValue().retire();
      }
    }
  }
}
