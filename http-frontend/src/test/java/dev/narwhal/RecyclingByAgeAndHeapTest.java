package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Recycling by age (max-worker-lifetime) and by heap pressure, on a real server. */
class RecyclingByAgeAndHeapTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Grows its own per-worker state by {@code kib} KiB on every request, and never lets go of it. */
  static final class LeakingApp implements Application {
    private final List<byte[]> kept = new ArrayList<>();
    private final int kib;

    LeakingApp(int kib) {
      this.kib = kib;
    }

    @Override
    public Response handle(Request request) {
      kept.add(new byte[kib * 1024]);
      return Response.ok("kept " + kept.size());
    }
  }

  @Test
  void workers_past_their_lifetime_are_recycled_under_steady_load_without_a_failed_request() throws Exception {
    try (LogCapture log = new LogCapture("dev.narwhal.supervisor.Arbiter", ch.qos.logback.classic.Level.INFO);
        TestServer t = TestServer.start(() -> Application.of(r -> Response.ok("ok")), c -> c.withWorkers(3)
            .with(Settings.MAX_WORKER_LIFETIME, Duration.ofSeconds(2))
            .with(Settings.MAX_WORKER_LIFETIME_JITTER, Duration.ofSeconds(1)))) {
      List<Integer> statuses = underLoad(t, 4, () -> t.server.stats().restarts().get(RestartReason.LIFETIME) >= 6);

      assertThat(statuses).isNotEmpty().containsOnly(200);
      Stats stats = t.server.stats();
      assertThat(stats.crashed()).isZero();
      assertThat(stats.recycled()).isGreaterThanOrEqualTo(6);
      assertThat(log.text()).contains("reached max-worker-lifetime");
      // every worker is younger than the longest drawn lifetime plus a check and a boot
      await().atMost(WAIT).untilAsserted(() -> assertThat(t.server.stats().workers()).hasSize(3)
          .allSatisfy(w -> assertThat(w.startedAt()).isAfter(Instant.now().minusSeconds(8))));
    }
  }

  @Test
  void sustained_heap_pressure_recycles_the_oldest_worker_one_at_a_time_and_logs_what_it_reclaimed()
      throws Exception {
    try (LogCapture log = new LogCapture("dev.narwhal.supervisor.Arbiter", ch.qos.logback.classic.Level.INFO);
        TestServer t = TestServer.start(() -> new LeakingApp(1), c -> c.withWorkers(3)
            .with(Settings.HEAP_RECYCLE_THRESHOLD, 0.5).with(Settings.HEAP_RECYCLE_COLLECTIONS, 2))) {
      t.get("/");
      Stats.WorkerStatus oldest = t.server.stats().workers().stream()
          .min(java.util.Comparator.comparing(Stats.WorkerStatus::startedAt)).orElseThrow();

      // synthetic readings stand in for the GC (the seam HeapWatch feeds): two collections above 50 %
      reading(t, 600);
      reading(t, 700);

      await().atMost(WAIT).until(() -> t.server.stats().restarts().get(RestartReason.HEAP) == 1);
      await().atMost(WAIT).untilAsserted(() -> assertThat(t.server.stats().workers()).hasSize(3)
          .noneSatisfy(w -> assertThat(w.startedAt()).isEqualTo(oldest.startedAt())));
      assertThat(log.text()).contains("Worker " + oldest.index() + " old generation at 70% of the heap after 2 "
          + "collections in a row");

      reading(t, 650); // settling: the recycled worker's state is still being collected
      reading(t, 300);
      await().atMost(WAIT).until(() -> log.text().contains("Heap recycling of worker " + oldest.index()
          + " reclaimed"));
      assertThat(t.server.stats().restarts().get(RestartReason.HEAP)).isEqualTo(1);
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void with_preload_app_heap_pressure_only_warns() throws Exception {
    try (LogCapture log = new LogCapture("dev.narwhal.supervisor.Arbiter", ch.qos.logback.classic.Level.INFO);
        TestServer t = TestServer.start(() -> new LeakingApp(1), c -> c.withWorkers(2)
            .with(Settings.PRELOAD_APP, true)
            .with(Settings.HEAP_RECYCLE_THRESHOLD, 0.5).with(Settings.HEAP_RECYCLE_COLLECTIONS, 1))) {
      reading(t, 900);

      await().atMost(WAIT).until(() -> log.text().contains("not recycling workers: with preload-app"));
      assertThat(t.server.stats().restarts().get(RestartReason.HEAP)).isZero();
      assertThat(t.server.stats().spawned()).isEqualTo(2);
    }
  }

  @Test
  void a_leaking_app_is_recycled_from_real_gc_readings() throws Exception {
    long max = Runtime.getRuntime().maxMemory();
    System.gc();
    long baseline = oldGenUsed();
    // the workers leak 96 MiB between them, 48 MiB over the threshold
    double threshold = Math.min(0.95, (double) (baseline + (48L << 20)) / max);
    try (TestServer t = TestServer.start(() -> new LeakingApp(512), c -> c.withWorkers(2)
        .with(Settings.HEAP_RECYCLE_THRESHOLD, threshold).with(Settings.HEAP_RECYCLE_COLLECTIONS, 1))) {
      for (int i = 0; i < 192; i++) {
        assertThat(t.get("/").statusCode()).isEqualTo(200);
      }

      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
        System.gc(); // a full collection: one real reading of the old generation
        return t.server.stats().restarts().get(RestartReason.HEAP) >= 1;
      });
    }
  }

  private static void reading(TestServer t, long usedOfThousand) {
    t.server.parts.system().tell(new Arbiter.HeapObserved(usedOfThousand, 1000));
  }

  private static long oldGenUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      String name = pool.getName().toLowerCase();
      if (pool.getType() == MemoryType.HEAP && (name.contains("old") || name.contains("tenured"))) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }

  /** GETs from {@code concurrency} clients until {@code done}; the statuses of every request sent. */
  static List<Integer> underLoad(TestServer t, int concurrency, java.util.concurrent.Callable<Boolean> done)
      throws Exception {
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        running.add(clients.submit(() -> {
          while (!stop.get()) {
            statuses.add(t.get("/").statusCode());
          }
          return null;
        }));
      }
      await().atMost(WAIT).until(done);
      stop.set(true);
      for (Future<?> f : running) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      clients.shutdownNow();
    }
    return List.copyOf(statuses);
  }
}
