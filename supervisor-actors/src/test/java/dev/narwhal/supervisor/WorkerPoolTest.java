package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.supervisor.WorkerPool.WorkerHandle;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static WorkerHandle handle(int index) {
    ActorRef<Worker.Command> ref = kit.<Worker.Command>createTestProbe().getRef();
    return new WorkerHandle(index, ref, new WorkerMeter(), false);
  }

  @Test
  void an_empty_pool_fills_slots_one_to_target() {
    assertThat(WorkerPool.empty().slotsToFill(3)).containsExactly(1, 2, 3);
  }

  @Test
  void a_replacement_takes_the_lowest_free_slot() {
    WorkerHandle second = handle(2);
    WorkerPool pool = WorkerPool.empty().with(handle(1)).with(second).with(handle(3)).without(second.ref());
    assertThat(pool.slotsToFill(3)).containsExactly(2);
  }

  @Test
  void a_full_pool_fills_nothing() {
    WorkerPool pool = WorkerPool.empty().with(handle(1)).with(handle(2));
    assertThat(pool.slotsToFill(2)).isEmpty();
    assertThat(pool.slotsToFill(1)).isEmpty();
  }

  @Test
  void the_pool_is_complete_only_when_every_worker_has_booted() {
    WorkerPool pool = WorkerPool.empty().with(handle(1)).with(handle(2));
    assertThat(pool.isComplete(2)).isFalse();
    pool = pool.markBooted(1);
    assertThat(pool.isComplete(2)).isFalse();
    pool = pool.markBooted(2);
    assertThat(pool.isComplete(2)).isTrue();
    assertThat(pool.bootedCount()).isEqualTo(2);
  }

  @Test
  void removing_an_unknown_worker_changes_nothing() {
    WorkerPool pool = WorkerPool.empty().with(handle(1));
    assertThat(pool.without(handle(9).ref())).isSameAs(pool);
  }
}
