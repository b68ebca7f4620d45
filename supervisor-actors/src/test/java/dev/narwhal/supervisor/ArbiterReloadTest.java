package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.ServerHooks;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/** Rolling reloads: rolled back, refused, and the replaced shared instance's stop. */
class ArbiterReloadTest extends ArbiterTestSupport {
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
}
