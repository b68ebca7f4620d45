package dev.narwhal.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.supervisor.Arbiter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** A stop always ends, even when the actor system under it never finishes terminating. */
class DrainTest {

  @Test
  void an_actor_system_that_never_terminates_still_ends_the_stop_with_status_1_and_releases_once()
      throws Exception {
    CountDownLatch unstick = new CountDownLatch(1);
    // a child whose PostStop blocks keeps its parent, and so the whole system, from terminating
    Behavior<Object> stubborn = Behaviors.receive(Object.class)
        .onSignal(PostStop.class, stop -> {
          unstick.await(60, TimeUnit.SECONDS);
          return Behaviors.same();
        })
        .build();
    ActorSystem<Arbiter.Command> system = ActorSystem.create(Behaviors.setup(ctx -> {
      ctx.spawn(stubborn, "stubborn");
      return Behaviors.<Arbiter.Command>empty();
    }), "drain-test");
    try {
      Drain drain = new Drain(system, Duration.ofSeconds(1));
      AtomicInteger releases = new AtomicInteger();
      drain.onTerminated(releases::incrementAndGet, () -> 0);

      drain.terminate();

      assertThat(drain.exitStatus().toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(system.getWhenTerminated().toCompletableFuture().isDone()).as("system terminated").isFalse();
      unstick.countDown();
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(releases).as("releases, after the system finally went too").hasValue(1);
    } finally {
      unstick.countDown();
    }
  }

  @Test
  void an_actor_system_that_terminates_reports_the_servers_own_status() throws Exception {
    ActorSystem<Arbiter.Command> system = ActorSystem.create(Behaviors.<Arbiter.Command>empty(), "drain-test");
    Drain drain = new Drain(system, Duration.ofSeconds(1));
    AtomicInteger releases = new AtomicInteger();
    drain.onTerminated(releases::incrementAndGet, () -> 3);

    drain.terminate();

    assertThat(drain.exitStatus().toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(releases).hasValue(1);
  }
}
