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
    return new WorkerHandle(index, ref, new WorkerMeter(), 1, false, WorkerPool.Role.ACTIVE);
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
    WorkerHandle first = handle(1);
    WorkerHandle second = handle(2);
    WorkerPool pool = WorkerPool.empty().with(first).with(second);
    assertThat(pool.isComplete(2)).isFalse();
    pool = pool.markBooted(first.ref());
    assertThat(pool.isComplete(2)).isFalse();
    pool = pool.markBooted(second.ref());
    assertThat(pool.isComplete(2)).isTrue();
    assertThat(pool.bootedCount()).isEqualTo(2);
  }

  @Test
  void removing_an_unknown_worker_changes_nothing() {
    WorkerPool pool = WorkerPool.empty().with(handle(1));
    assertThat(pool.without(handle(9).ref())).isSameAs(pool);
  }

  static WorkerHandle handle(int index, int phase, boolean booted) {
    ActorRef<Worker.Command> ref = kit.<Worker.Command>createTestProbe().getRef();
    return new WorkerHandle(index, ref, new WorkerMeter(), phase, booted, WorkerPool.Role.ACTIVE);
  }

  @Test
  void a_worker_being_replaced_does_not_count_so_its_successor_takes_its_slot() {
    WorkerHandle old = handle(1, 1, true);
    WorkerPool pool = WorkerPool.empty().with(old).with(handle(2, 1, true)).withRole(old.ref(), WorkerPool.Role.REPLACING);
    assertThat(pool.activeCount()).isEqualTo(1);
    assertThat(pool.slotsToFill(2)).containsExactly(1);
  }

  @Test
  void a_reload_replaces_the_lowest_old_phase_worker_and_one_at_a_time() {
    WorkerHandle one = handle(1, 1, true);
    WorkerHandle two = handle(2, 1, true);
    WorkerPool pool = WorkerPool.empty().with(one).with(two);
    assertThat(pool.nextStale(2)).contains(one);

    WorkerPool replacing = pool.withRole(one.ref(), WorkerPool.Role.REPLACING).with(handle(1, 2, false));
    assertThat(replacing.nextStale(2)).as("wait for the first successor").isEmpty();

    WorkerPool afterFirst = replacing.withRole(one.ref(), WorkerPool.Role.RETIRING);
    assertThat(afterFirst.nextStale(2)).contains(two);
    assertThat(afterFirst.nextStale(1)).isEmpty();
  }

  @Test
  void a_booting_old_phase_worker_is_not_replaced_until_it_has_booted() {
    WorkerPool pool = WorkerPool.empty().with(handle(1, 1, false));
    assertThat(pool.nextStale(2)).isEmpty();
    assertThat(pool.hasStale(2)).isTrue();
  }

  @Test
  void after_an_aborted_reload_the_workers_of_the_newer_phase_are_rolled_back_one_at_a_time() {
    WorkerHandle aborted = handle(1, 2, true);
    WorkerHandle alsoAborted = handle(3, 2, true);
    WorkerPool pool = WorkerPool.empty().with(aborted).with(handle(2, 1, true)).with(alsoAborted);
    assertThat(pool.hasStale(1)).isTrue();
    assertThat(pool.countInPhase(2)).isEqualTo(2);
    assertThat(pool.nextStale(1)).contains(aborted);

    WorkerHandle successor = handle(1, 1, false);
    WorkerPool replacing = pool.withRole(aborted.ref(), WorkerPool.Role.REPLACING).with(successor);
    assertThat(replacing.nextStale(1)).as("wait for the first successor").isEmpty();

    WorkerPool afterFirst = replacing.markBooted(successor.ref()).withRole(aborted.ref(), WorkerPool.Role.RETIRING);
    assertThat(afterFirst.nextStale(1)).contains(alsoAborted);
    assertThat(afterFirst.countInPhase(2)).isEqualTo(1);

    WorkerPool rolledBack = afterFirst.withRole(alsoAborted.ref(), WorkerPool.Role.RETIRING).with(handle(3, 1, true));
    assertThat(rolledBack.hasStale(1)).isFalse();
    assertThat(rolledBack.nextStale(1)).isEmpty();
  }

  @Test
  void scale_down_picks_the_oldest_counting_worker() {
    WorkerHandle oldest = handle(2, 1, true);
    WorkerHandle younger = handle(1, 1, true);
    WorkerPool pool = WorkerPool.empty().with(oldest).with(younger);
    assertThat(pool.oldestActive()).contains(oldest);
    assertThat(pool.withRole(oldest.ref(), WorkerPool.Role.RETIRING).oldestActive()).contains(younger);
  }

  @Test
  void the_surplus_over_a_target_is_the_given_phase_first_booting_then_highest_slot_then_the_oldest() {
    WorkerHandle old1 = handle(1, 1, true);
    WorkerHandle old2 = handle(2, 1, true);
    WorkerHandle added3 = handle(3, 2, true);
    WorkerHandle added4 = handle(4, 2, true);
    WorkerHandle added5 = handle(5, 2, false);
    WorkerPool pool = WorkerPool.empty().with(old1).with(old2).with(added3).with(added4).with(added5);

    assertThat(pool.surplus(5, 2)).isEmpty();
    assertThat(pool.surplus(3, 2)).containsExactly(added5, added4);
    assertThat(pool.surplus(1, 2)).containsExactly(added5, added4, added3, old1);
    assertThat(pool.withRole(added5.ref(), WorkerPool.Role.RETIRING).surplus(3, 2)).containsExactly(added4);
  }

  static WorkerHandle successor(WorkerHandle predecessor) {
    ActorRef<Worker.Command> ref = kit.<Worker.Command>createTestProbe().getRef();
    return new WorkerHandle(predecessor.index(), ref, new WorkerMeter(), predecessor.phase(), false,
        WorkerPool.Role.ACTIVE, predecessor.ref(), false);
  }

  @Test
  void a_worker_being_replaced_awaits_a_successor_only_while_none_is_booting() {
    WorkerHandle old = handle(1, 1, true);
    WorkerHandle next = successor(old);
    WorkerPool replacing = WorkerPool.empty().with(old).withRole(old.ref(), WorkerPool.Role.REPLACING);
    assertThat(replacing.awaitingSuccessor()).extracting(WorkerHandle::ref).containsExactly(old.ref());
    assertThat(replacing.with(next).awaitingSuccessor()).isEmpty();
    assertThat(replacing.with(next).withoutPredecessor(next.ref()).awaitingSuccessor())
        .extracting(WorkerHandle::ref).containsExactly(old.ref());
    assertThat(replacing.with(next).without(next.ref()).awaitingSuccessor())
        .extracting(WorkerHandle::ref).containsExactly(old.ref());
  }

  @Test
  void a_successor_whose_predecessor_is_gone_replaces_no_one() {
    WorkerHandle old = handle(1, 1, true);
    WorkerHandle next = successor(old);
    WorkerPool pool = WorkerPool.empty().with(old).with(next).without(old.ref());
    assertThat(pool.find(next.ref()).orElseThrow().predecessor()).isNull();
  }

  @Test
  void a_handle_keeps_its_predecessor_and_timeout_mark_across_role_and_boot_changes() {
    WorkerHandle old = handle(1, 1, true);
    WorkerHandle next = successor(old);
    WorkerPool pool = WorkerPool.empty().with(old).with(next).withTimeoutCounted(next.ref())
        .markBooted(next.ref()).withRole(next.ref(), WorkerPool.Role.REPLACING);
    WorkerHandle h = pool.find(next.ref()).orElseThrow();
    assertThat(h.predecessor()).isEqualTo(old.ref());
    assertThat(h.timeoutCounted()).isTrue();
    assertThat(h.booted()).isTrue();
  }

  @Test
  void a_handle_shows_booting_draining_busy_or_idle() {
    WorkerHandle h = handle(1, 1, false);
    assertThat(h.state()).isEqualTo(WorkerState.BOOTING);
    assertThat(h.asBooted().state()).isEqualTo(WorkerState.IDLE);
    assertThat(h.asBooted().withRole(WorkerPool.Role.RETIRING).state()).isEqualTo(WorkerState.DRAINING);
  }
}
