package dev.narwhal.supervisor;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The thin adapter between the JVM's garbage collectors and {@link HeapPressure}: after every
 * collection it reads the old generation's occupancy from the collection's own "after" figures and
 * hands it on as an {@link Arbiter.HeapObserved}. GC-agnostic: the old generation is whatever heap
 * pool is named old or tenured (G1, Parallel, Serial, generational ZGC); a collector without one
 * (Shenandoah, single-generation ZGC) is read as the whole heap. A reading follows every
 * collection, young ones included, so an old generation full of garbage not yet collected (G1
 * between its concurrent cycles) reads high for a while: that is why {@link HeapPressure} wants
 * several readings in a row. {@link #close} stops listening.
 */
public final class HeapWatch implements AutoCloseable {
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener;

  private HeapWatch(Consumer<Arbiter.HeapObserved> readings) {
    Set<String> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    Set<String> old = heap.stream().filter(HeapWatch::isOld).collect(Collectors.toSet());
    // the "after" figures cover every pool, metaspace and code cache included: count heap pools only
    Set<String> counted = old.isEmpty() ? heap : old;
    long heapMax = Runtime.getRuntime().maxMemory();
    this.listener = (Notification n, Object handback) -> {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        return;
      }
      Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
          .getGcInfo().getMemoryUsageAfterGc();
      long used = 0;
      long max = 0;
      for (Map.Entry<String, MemoryUsage> pool : after.entrySet()) {
        if (counted.contains(pool.getKey())) {
          used += pool.getValue().getUsed();
          max += Math.max(0, pool.getValue().getMax());
        }
      }
      // an old pool's own max may be undefined (-1) or the whole heap's; the heap's max bounds it
      readings.accept(new Arbiter.HeapObserved(used, max <= 0 || max > heapMax ? heapMax : max));
    };
  }

  static boolean isOld(String poolName) {
    String name = poolName.toLowerCase(Locale.ROOT);
    return name.contains("old") || name.contains("tenured");
  }

  /** Starts listening to every collector; each reading goes to {@code readings} (on a JMX thread). */
  public static HeapWatch start(Consumer<Arbiter.HeapObserved> readings) {
    HeapWatch watch = new HeapWatch(readings);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(watch.listener, null, null);
        watch.emitters.add(emitter);
      }
    }
    return watch;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException alreadyGone) {
        // nothing to remove
      }
    }
    emitters.clear();
  }
}
