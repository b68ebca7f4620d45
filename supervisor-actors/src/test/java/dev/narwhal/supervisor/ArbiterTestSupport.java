package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.ServerHooks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the arbiter's tests share: an actor system per test class (hence one test instance per
 * class), pools started and awaited, and the applications they run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArbiterTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  /** Each test class its own actor system, shut down after its last test. */
  final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  void shutdown() {
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

  ActorRef<Arbiter.Command> startPool(int workers, WorkQueue queue, Application app) {
    return startPool(PoolSettings.of(workers, ApplicationSource.perWorker(() -> app)), queue);
  }

  ActorRef<Arbiter.Command> startPool(PoolSettings settings, WorkQueue queue) {
    int workers = settings.workers();
    ActorRef<Arbiter.Command> arbiter = kit.spawn(Arbiter.create(settings, queue, ServerHooks.NONE, reason -> { }));
    TestProbe<Arbiter.Readiness> ready = kit.createTestProbe();
    arbiter.tell(new Arbiter.AwaitReady(ready.getRef()));
    assertThat(ready.expectMessageClass(Arbiter.Ready.class, WAIT).workers()).isEqualTo(workers);
    return arbiter;
  }

  Stats stats(ActorRef<Arbiter.Command> arbiter) {
    TestProbe<Stats> probe = kit.createTestProbe();
    arbiter.tell(new Arbiter.GetStats(probe.getRef()));
    return probe.receiveMessage(WAIT);
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
  void awaitEveryWorkerIn(ActorRef<Arbiter.Command> arbiter, int phase, int workers) {
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
}
