package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.ServerHooks;
import dev.narwhal.WorkerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What must not take the pool down: workers stopped outside its plan, hooks that throw, slow boots. */
class ArbiterFaultsTest extends ArbiterTestSupport {
  @Test
  void a_worker_actor_stopped_outside_the_arbiters_plan_is_replaced() throws Exception {
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(2, queue, new Flaky());
    ActorRef<Worker.Command> first = Adapter.toTyped(Adapter.toClassic(kit.system())
        .actorSelection(arbiter.path().child("worker-1-1")).resolveOne(WAIT).toCompletableFuture()
        .get(10, TimeUnit.SECONDS));

    first.tell(Worker.Retire.INSTANCE);

    TestProbe<Object> probe = kit.createTestProbe();
    probe.expectTerminated(first, WAIT);
    probe.awaitAssert(WAIT, () -> {
      Stats stats = stats(arbiter);
      assertThat(stats.spawned()).as("one replacement").isEqualTo(3);
      assertThat(stats.workers()).extracting(Stats.WorkerStatus::index).containsExactly(1, 2);
      assertThat(stats.bootedWorkers()).isEqualTo(2);
      return null;
    });
    assertThat(stats(arbiter).crashed()).as("a stop is not a crash").isZero();
    for (int i = 0; i < 4; i++) {
      assertThat(call(queue, "/").statusCode()).isEqualTo(200);
    }
  }

  /**
   * Every hook throws, and counts its calls so the test knows it ran. Worker-side hooks throw an
   * Error: from a handler that would crash the worker, from a hook it must not.
   */
  static final class ThrowingHooks implements ServerHooks {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private RuntimeException fail(String hook) {
      calls.computeIfAbsent(hook, k -> new AtomicInteger()).incrementAndGet();
      return new IllegalStateException(hook + " hook failing, expected by the test");
    }

    private Error failHard(String hook) {
      return new AssertionError(fail(hook).getMessage());
    }

    @Override public void onStarting() { throw fail("onStarting"); }
    @Override public void whenReady() { throw fail("whenReady"); }
    @Override public void onReload() { throw fail("onReload"); }
    @Override public void beforeWorkerStart(WorkerInfo worker) { throw fail("beforeWorkerStart"); }
    @Override public void afterWorkerStart(WorkerInfo worker) { throw failHard("afterWorkerStart"); }
    @Override public void afterWorkerAppInit(WorkerInfo worker) { throw failHard("afterWorkerAppInit"); }
    @Override public void beforeRequest(WorkerInfo worker, Request request) { throw failHard("beforeRequest"); }
    @Override public void afterRequest(WorkerInfo worker, Request request, Response response) {
      throw failHard("afterRequest");
    }
    @Override public void workerInterrupted(WorkerInfo worker) { throw fail("workerInterrupted"); }
    @Override public void workerTimedOut(WorkerInfo worker, Request request, StackTraceElement[] stack) {
      throw fail("workerTimedOut");
    }
    @Override public void workerExited(WorkerInfo worker) { throw fail("workerExited"); }
    @Override public void workerCountChanged(int oldCount, int newCount) { throw fail("workerCountChanged"); }
    @Override public void onExit() { throw fail("onExit"); }
  }

  @Test
  void hooks_that_throw_are_logged_and_never_take_the_pool_down() throws Exception {
    ThrowingHooks hooks = new ThrowingHooks();
    Logger hooksLog = (Logger) LoggerFactory.getLogger("narwhal.hooks");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    hooksLog.addAppender(logged);
    hooksLog.setAdditive(false); // dozens of expected stack traces would bury the build output
    try {
      WorkQueue queue = new WorkQueue(10);
      PoolSettings settings = PoolSettings.of(2, ApplicationSource.perWorker(Flaky::new))
          .withRecycle(new RecyclePolicy(3, 0, RandomGenerator.getDefault()));
      ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(settings, queue, hooks, r -> { }));
      TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
      arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));
      assertThat(ready.expectMessageClass(Arbiter.Ready.class, WAIT).workers()).isEqualTo(2);

      for (int i = 0; i < 12; i++) {
        assertThat(call(queue, "/").statusCode()).isEqualTo(200);
      }
      TestProbe<Object> probe = kit.createTestProbe();
      probe.awaitAssert(WAIT, () -> {
        assertThat(stats(arbiter).recycled()).as("recycled at max-requests").isPositive();
        return null;
      });
      arbiter.tell(Arbiter.ScaleUp.INSTANCE);
      probe.awaitAssert(WAIT, () -> assertThat(stats(arbiter).bootedWorkers()).isEqualTo(3));
      arbiter.tell(Arbiter.ScaleDown.INSTANCE);
      probe.awaitAssert(WAIT, () -> assertThat(stats(arbiter).workers()).hasSize(2));
      arbiter.tell(new Arbiter.Reload(settings));
      awaitEveryWorkerIn(arbiter, 2, 2);
      assertThat(call(queue, "/").statusCode()).isEqualTo(200);

      assertThat(stats(arbiter).crashed()).isZero();
      assertThat(hooks.calls).containsKeys("beforeWorkerStart", "afterWorkerStart", "afterWorkerAppInit",
          "beforeRequest", "afterRequest", "workerExited", "workerCountChanged", "onReload");
      List<String> lines;
      synchronized (logged) { // appends hold the appender's lock
        lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      }
      assertThat(lines).contains("Hook beforeWorkerStart failed; continuing", "Hook beforeRequest failed; continuing",
          "Hook workerCountChanged failed; continuing", "Hook onReload failed; continuing");
    } finally {
      hooksLog.setAdditive(true);
      hooksLog.detachAppender(logged);
    }
  }

  static final Duration BOOT_TIMEOUT = Duration.ofMillis(200);

  /** One worker whose application's start always overruns {@link #BOOT_TIMEOUT}. */
  static PoolSettings neverBootsInTime(CountDownLatch release) {
    Application slow = new Application() {
      @Override
      public void onStart() throws InterruptedException {
        release.await(30, TimeUnit.SECONDS);
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("too late");
      }
    };
    return new PoolSettings(WorkerClass.SYNC, 1, 1, ApplicationSource.perWorker(() -> slow), RecyclePolicy.NEVER,
        Duration.ofSeconds(30), BOOT_TIMEOUT, PoolSettings.NO_EXTENSION);
  }

  @Test
  void workers_that_keep_overrunning_boot_timeout_stop_the_arbiter_with_a_reason() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      CompletableFuture<String> fatal = new CompletableFuture<>();
      ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(neverBootsInTime(release), new WorkQueue(1),
          ServerHooks.NONE, fatal::complete));
      TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
      arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));

      String reason = ready.expectMessageClass(Arbiter.BootFailure.class, Duration.ofSeconds(30)).reason();
      assertThat(reason).contains("failed to boot " + dev.narwhal.spi.DefaultSupervisionPolicy.MAX_BOOT_FAILURES + " times in a row")
          .contains("did not start within 200 ms (boot-timeout)");
      assertThat(fatal.get(1, TimeUnit.SECONDS)).isEqualTo(reason);
      ready.expectTerminated(arbiter, WAIT);
    } finally {
      release.countDown();
    }
  }

  @Test
  void boots_that_overrun_boot_timeout_are_retried_with_a_growing_backoff() {
    // 5 boots of 200 ms each, and between them the arbiter's backoff after 1, 2, 3 and 4 failures
    // in a row, min(5000, 100 << n) ms: a lower bound, which holds however slow the machine is
    long atLeastMs = dev.narwhal.spi.DefaultSupervisionPolicy.MAX_BOOT_FAILURES * BOOT_TIMEOUT.toMillis() + 200 + 400 + 800 + 1600;
    CountDownLatch release = new CountDownLatch(1);
    try {
      long start = System.nanoTime();
      ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(neverBootsInTime(release), new WorkQueue(1),
          ServerHooks.NONE, reason -> { }));
      TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
      arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));

      ready.expectMessageClass(Arbiter.BootFailure.class, Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(atLeastMs));
    } finally {
      release.countDown();
    }
  }
}
