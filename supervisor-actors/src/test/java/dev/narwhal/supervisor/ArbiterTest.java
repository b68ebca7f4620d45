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
import dev.narwhal.spi.SupervisionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ArbiterTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Duration WAIT = Duration.ofSeconds(10);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** Answers 200, throws on /fail, and raises an Error (a corrupt worker) on /crash. */
  static final class Flaky implements Application {
    @Override
    public Response handle(Request request) throws Exception {
      return switch (request.path()) {
        case "/fail" -> throw new IllegalStateException("expected by the test");
        case "/crash" -> throw new AssertionError("expected by the test");
        default -> Response.ok("ok");
      };
    }
  }

  static Response call(WorkQueue queue, String path) throws Exception {
    Job job = new Job(Request.builder("GET", path).build());
    assertThat(queue.submit(job)).isTrue();
    return job.response().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static ActorRef<Arbiter.Command> startPool(int workers, WorkQueue queue, Application app) {
    return startPool(PoolSettings.of(workers, ApplicationSource.perWorker(() -> app)), queue);
  }

  static ActorRef<Arbiter.Command> startPool(PoolSettings settings, WorkQueue queue) {
    int workers = settings.workers();
    ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(settings, queue, ServerHooks.NONE, reason -> { }));
    TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
    arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));
    assertThat(ready.expectMessageClass(Arbiter.Ready.class, WAIT).workers()).isEqualTo(workers);
    return arbiter;
  }

  static Stats stats(ActorRef<Arbiter.Command> arbiter) {
    TestProbe<Stats> probe = kit.createTestProbe();
    arbiter.tell(new Arbiter.GetStats(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  @Test
  void boots_the_configured_number_of_workers() {
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(3, queue, new Flaky());
    Stats stats = stats(arbiter);
    assertThat(stats.workers()).extracting(Stats.WorkerStatus::index).containsExactly(1, 2, 3);
    assertThat(stats.bootedWorkers()).isEqualTo(3);
    // a worker reports itself booted, then its thread parks its slot in the queue: the two race
    await().atMost(WAIT).untilAsserted(() -> assertThat(queue.idleCount()).isEqualTo(3));
  }

  @Test
  void an_exception_answers_500_and_the_same_worker_serves_the_next_request() throws Exception {
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(1, queue, new Flaky());

    assertThat(call(queue, "/fail").statusCode()).isEqualTo(500);
    assertThat(call(queue, "/").statusCode()).isEqualTo(200);
    assertThat(stats(arbiter).spawned()).isEqualTo(1);
  }

  @Test
  void a_crashed_worker_is_replaced_and_the_pool_is_full_again() throws Exception {
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(2, queue, new Flaky());

    assertThat(call(queue, "/crash").statusCode()).isEqualTo(500);

    TestProbe<Stats> probe = kit.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      Stats stats = stats(arbiter);
      assertThat(stats.crashed()).isEqualTo(1);
      assertThat(stats.spawned()).isEqualTo(3);
      assertThat(stats.bootedWorkers()).isEqualTo(2);
      return null;
    });
    assertThat(call(queue, "/").statusCode()).isEqualTo(200);
  }

  @Test
  void each_worker_runs_one_request_at_a_time() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Application blocking = request -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      release.await(10, TimeUnit.SECONDS);
      running.decrementAndGet();
      return Response.ok("done");
    };
    WorkQueue queue = new WorkQueue(10);
    startPool(2, queue, blocking);

    CompletableFuture<?>[] calls = new CompletableFuture<?>[5];
    for (int i = 0; i < calls.length; i++) {
      Job job = new Job(Request.builder("GET", "/").build());
      queue.submit(job);
      calls[i] = job.response().toCompletableFuture();
    }
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertThat(running.get()).isEqualTo(2);
      assertThat(queue.waitingCount()).isEqualTo(3);
      return null;
    });
    release.countDown();
    CompletableFuture.allOf(calls).get(10, TimeUnit.SECONDS);
    assertThat(maxRunning.get()).isEqualTo(2);
  }

  @Test
  void a_graceful_stop_serves_waiting_requests_before_workers_retire() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application blocking = request -> {
      release.await(10, TimeUnit.SECONDS);
      return Response.ok("done");
    };
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(1, queue, blocking);
    Job running = new Job(Request.builder("GET", "/1").build());
    Job waiting = new Job(Request.builder("GET", "/2").build());
    queue.submit(running);
    queue.submit(waiting);

    CompletableFuture<Void> frontendClosed = new CompletableFuture<>();
    TestProbe<Arbiter.Drained> drained = kit.createTestProbe();
    arbiter.tell(new Arbiter.GracefulStop(Duration.ofSeconds(10), frontendClosed, drained.getRef()));
    release.countDown();
    assertThat(running.response().toCompletableFuture().get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(waiting.response().toCompletableFuture().get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    frontendClosed.complete(null);

    assertThat(drained.receiveMessage(WAIT).cutShort()).isZero();
  }

  @Test
  void at_the_graceful_deadline_unfinished_requests_get_503() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Application stuck = request -> {
      never.await(30, TimeUnit.SECONDS);
      return Response.ok("too late");
    };
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(1, queue, stuck);
    Job running = new Job(Request.builder("GET", "/1").build());
    Job waiting = new Job(Request.builder("GET", "/2").build());
    queue.submit(running);
    queue.submit(waiting);

    TestProbe<Arbiter.Drained> drained = kit.createTestProbe();
    arbiter.tell(new Arbiter.GracefulStop(Duration.ofMillis(200), new CompletableFuture<>(), drained.getRef()));

    assertThat(drained.receiveMessage(WAIT).cutShort()).isEqualTo(2);
    assertThat(running.response().toCompletableFuture().get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    assertThat(waiting.response().toCompletableFuture().get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    never.countDown();
  }

  @Test
  void a_serving_pool_whose_policy_stops_the_server_waits_for_the_graceful_stop_instead_of_stopping()
      throws Exception {
    SupervisionPolicy stopOnCrash = new SupervisionPolicy() {
      @Override
      public Decision decide(Failure failure) {
        return failure instanceof HandlerFailed f && f.cause() instanceof AssertionError
            ? SupervisionPolicy.stopServer(4, "corrupt worker")
            : SupervisionPolicy.DEFAULT.decide(failure);
      }
    };
    PoolSettings plain = PoolSettings.of(2, ApplicationSource.perWorker(Flaky::new));
    PoolSettings settings = new PoolSettings(plain.workerClass(), plain.capacity(), plain.workers(), plain.app(),
        plain.recycle(), plain.timeout(), plain.bootTimeout(), plain.extension(), stopOnCrash, HeapPressure.Limits.OFF);
    WorkQueue queue = new WorkQueue(10);
    CompletableFuture<String> fatal = new CompletableFuture<>();
    ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(settings, queue, ServerHooks.NONE, fatal::complete));
    TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
    arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));
    ready.expectMessageClass(Arbiter.Ready.class, WAIT);

    assertThat(call(queue, "/crash").statusCode()).isEqualTo(500);
    assertThat(fatal.get(10, TimeUnit.SECONDS)).isEqualTo("corrupt worker");

    // still there: the other worker serves until the server's graceful stop drains the pool
    assertThat(call(queue, "/").statusCode()).isEqualTo(200);
    TestProbe<Arbiter.Drained> drained = kit.createTestProbe();
    arbiter.tell(new Arbiter.GracefulStop(WAIT, CompletableFuture.completedFuture(null), drained.getRef()));
    assertThat(drained.expectMessageClass(Arbiter.Drained.class, WAIT).cutShort()).isZero();
    assertThat(stats(arbiter).workers()).isEmpty();
  }

  @Test
  void workers_that_keep_failing_to_boot_stop_the_arbiter_with_a_reason() {
    Application broken = failingToStart("database unreachable");
    CompletableFuture<String> fatal = new CompletableFuture<>();
    ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(PoolSettings.of(1, ApplicationSource.perWorker(() -> broken)),
        new WorkQueue(1), ServerHooks.NONE, fatal::complete));
    TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
    arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));

    Arbiter.Readiness readiness = ready.receiveMessage(Duration.ofSeconds(30));
    assertThat(readiness).isInstanceOf(Arbiter.BootFailure.class);
    assertThat(((Arbiter.BootFailure) readiness).reason()).contains("database unreachable");
    assertThat(fatal).isCompleted();
    ready.expectTerminated(arbiter, WAIT);
  }

  /** Answers 200 with {@code body}. */
  static Application answering(String body) {
    return request -> Response.ok(body);
  }

  /** An application whose onStart always throws {@code why}. */
  static Application failingToStart(String why) {
    return new Application() {
      @Override
      public void onStart() {
        throw new IllegalStateException(why);
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("never served");
      }
    };
  }

  /** Every worker is booted and of the arbiter's current phase, which is {@code phase}. */
  static void awaitEveryWorkerIn(ActorRef<Arbiter.Command> arbiter, int phase, int workers) {
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      Stats stats = stats(arbiter);
      assertThat(stats.phase()).isEqualTo(phase);
      assertThat(stats.workers()).hasSize(workers).allSatisfy(w -> {
        assertThat(w.phase()).isEqualTo(phase);
        assertThat(w.state()).isIn(WorkerState.IDLE, WorkerState.BUSY);
      });
      return null;
    });
  }

  @Test
  void an_aborted_reload_rolls_back_its_booted_workers_and_the_next_reload_takes_a_fresh_phase() throws Exception {
    WorkQueue queue = new WorkQueue(10);
    ActorRef<Arbiter.Command> arbiter = startPool(3, queue, answering("old"));
    AtomicInteger started = new AtomicInteger();
    AtomicInteger stopped = new AtomicInteger();
    ApplicationSource secondBootFails = ApplicationSource.perWorker(() -> new Application() {
      @Override
      public void onStart() {
        if (started.incrementAndGet() == 2) {
          throw new IllegalStateException("bad deploy");
        }
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("bad deploy");
      }

      @Override
      public void onStop() {
        stopped.incrementAndGet();
      }
    });

    arbiter.tell(new Arbiter.Reload(PoolSettings.of(3, secondBootFails)));
    kit.createTestProbe().awaitAssert(WAIT, () -> assertThat(started.get()).isEqualTo(2));
    awaitEveryWorkerIn(arbiter, 1, 3);
    kit.createTestProbe().awaitAssert(WAIT, () -> assertThat(stopped.get())
        .as("the phase 2 worker that had booted is stopped").isEqualTo(1));
    assertThat(started.get()).as("nothing more of the aborted deploy was started").isEqualTo(2);
    for (int i = 0; i < 6; i++) {
      assertThat(call(queue, "/").bodyAsString()).isEqualTo("old");
    }

    arbiter.tell(new Arbiter.Reload(PoolSettings.of(3, ApplicationSource.perWorker(() -> answering("new")))));
    awaitEveryWorkerIn(arbiter, 3, 3);
    for (int i = 0; i < 6; i++) {
      assertThat(call(queue, "/").bodyAsString()).isEqualTo("new");
    }
    assertThat(stats(arbiter).reloads()).isEqualTo(2);
  }

  @Test
  void a_reload_that_adds_workers_whose_app_cannot_boot_keeps_the_old_pool_and_its_size() throws Exception {
    WorkQueue queue = new WorkQueue(10);
    AtomicInteger fatal = new AtomicInteger();
    ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(PoolSettings.of(2,
        ApplicationSource.perWorker(() -> answering("old"))), queue, ServerHooks.NONE, reason -> fatal.incrementAndGet()));
    TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
    arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));
    ready.expectMessageClass(Arbiter.Ready.class, WAIT);
    ApplicationSource neverBoots = ApplicationSource.perWorker(() -> failingToStart("bad deploy"));

    // eight added slots, each failing: were they counted as boot failures, the fifth would stop the server
    arbiter.tell(new Arbiter.Reload(PoolSettings.of(10, neverBoots)));

    awaitEveryWorkerIn(arbiter, 1, 2);
    assertThat(stats(arbiter).targetWorkers()).isEqualTo(2);
    assertThat(fatal.get()).isZero();
    for (int i = 0; i < 4; i++) {
      assertThat(call(queue, "/").bodyAsString()).isEqualTo("old");
    }
  }

  @Test
  void a_reload_stops_the_replaced_shared_instance_once_its_last_worker_has_finished() throws Exception {
    WorkQueue queue = new WorkQueue(10);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger oldStops = new AtomicInteger();
    AtomicInteger newStops = new AtomicInteger();
    Application old = request -> {
      if (request.path().equals("/hold")) {
        release.await(20, TimeUnit.SECONDS);
      }
      return Response.ok("old");
    };
    ActorRef<Arbiter.Command> arbiter = startPool(PoolSettings.of(2, ApplicationSource.shared(old,
        oldStops::incrementAndGet)), queue);
    Job held = new Job(Request.builder("GET", "/hold").build());
    assertThat(queue.submit(held)).isTrue();
    kit.createTestProbe().awaitAssert(WAIT, () -> assertThat(stats(arbiter).workers())
        .anySatisfy(w -> assertThat(w.inFlight()).isEqualTo(1)));

    arbiter.tell(new Arbiter.Reload(PoolSettings.of(2, ApplicationSource.shared(answering("new"),
        newStops::incrementAndGet))));
    kit.createTestProbe().awaitAssert(WAIT, () -> assertThat(stats(arbiter).workers())
        .filteredOn(w -> w.phase() == 2 && w.state() != WorkerState.BOOTING).hasSize(2));
    assertThat(call(queue, "/").bodyAsString()).isEqualTo("new");
    assertThat(oldStops.get()).as("a retiring phase 1 worker still runs a request on it").isZero();

    release.countDown();
    assertThat(held.response().toCompletableFuture().get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo("old");
    kit.createTestProbe().awaitAssert(WAIT, () -> assertThat(oldStops.get()).isEqualTo(1));
    awaitEveryWorkerIn(arbiter, 2, 2);
    assertThat(newStops.get()).isZero();
    assertThat(oldStops.get()).as("once").isEqualTo(1);
  }

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
