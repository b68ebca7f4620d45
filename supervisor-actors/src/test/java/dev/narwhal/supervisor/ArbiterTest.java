package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.ServerHooks;
import dev.narwhal.spi.SupervisionPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/** The pool: booting, serving, replacing crashed workers, and the graceful stop. */
class ArbiterTest extends ArbiterTestSupport {
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
    StuckPool pool = stuckPool();

    TestProbe<Arbiter.Drained> drained = kit.createTestProbe();
    pool.arbiter().tell(new Arbiter.GracefulStop(Duration.ofMillis(200), new CompletableFuture<>(), drained.getRef()));

    assertThat(drained.receiveMessage(WAIT).cutShort()).isEqualTo(2);
    pool.expectBothAnswered503();
  }

  /** One worker stuck in a request that never returns by itself, a second request waiting behind it. */
  private record StuckPool(ActorRef<Arbiter.Command> arbiter, Job running, Job waiting, CountDownLatch release) {
    void expectBothAnswered503() throws Exception {
      assertThat(running.response().toCompletableFuture().get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      assertThat(waiting.response().toCompletableFuture().get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      release.countDown();
    }
  }

  private StuckPool stuckPool() {
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
    return new StuckPool(arbiter, running, waiting, never);
  }

  @Test
  void a_quick_stop_during_a_graceful_one_cuts_short_once_however_often_it_is_asked() throws Exception {
    StuckPool pool = stuckPool();
    ActorRef<Arbiter.Command> arbiter = pool.arbiter();
    await().atMost(WAIT).until(() -> stats(arbiter).workers().stream().anyMatch(w -> w.inFlight() > 0));

    TestProbe<Arbiter.Drained> drained = kit.createTestProbe();
    TestProbe<Arbiter.Drained> again = kit.createTestProbe();
    arbiter.tell(new Arbiter.GracefulStop(Duration.ofSeconds(30), new CompletableFuture<>(), drained.getRef()));
    arbiter.tell(new Arbiter.GracefulStop(Duration.ZERO, new CompletableFuture<>(), again.getRef()));
    arbiter.tell(new Arbiter.GracefulStop(Duration.ZERO, new CompletableFuture<>(), again.getRef()));

    assertThat(drained.receiveMessage(WAIT).cutShort()).isEqualTo(2);
    pool.expectBothAnswered503();
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
}
