package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.supervisor.Recycling.Due;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkerPool.Role;
import dev.narwhal.supervisor.WorkerPool.WorkerHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Which serving workers are recycled for their age or by the policy's own triggers: pure, no actors run. */
class RecyclingTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static WorkerHandle worker(int index, Duration lifetime, boolean booted, Role role) {
    return new WorkerHandle(index, kit.<Worker.Command>createTestProbe().getRef(), new WorkerMeter(lifetime), 1,
        booted, role);
  }

  @Test
  void a_worker_past_its_drawn_lifetime_is_due_and_a_younger_one_is_not() {
    WorkerHandle old = worker(1, Duration.ofMinutes(10), true, Role.ACTIVE);
    WorkerHandle young = worker(2, Duration.ofMinutes(30), true, Role.ACTIVE);
    Instant later = old.startedAt().plus(Duration.ofMinutes(20));

    List<Due> due = Recycling.due(WorkerInfo.DEFAULT_POOL, List.of(old, young), later, SupervisionPolicy.DEFAULT);

    assertThat(due).extracting(Due::worker).containsExactly(old);
    assertThat(due.get(0).reason()).isEqualTo(RestartReason.LIFETIME);
    assertThat(due.get(0).why()).contains("max-worker-lifetime");
  }

  @Test
  void no_lifetime_means_never_for_age() {
    WorkerHandle w = worker(1, Duration.ZERO, true, Role.ACTIVE);

    assertThat(Recycling.due(WorkerInfo.DEFAULT_POOL, List.of(w), w.startedAt().plus(Duration.ofDays(365)), SupervisionPolicy.DEFAULT))
        .isEmpty();
  }

  @Test
  void a_worker_already_being_replaced_or_still_booting_is_not_due_again() {
    WorkerHandle replacing = worker(1, Duration.ofSeconds(1), true, Role.REPLACING);
    WorkerHandle retiring = worker(2, Duration.ofSeconds(1), true, Role.RETIRING);
    WorkerHandle booting = worker(3, Duration.ofSeconds(1), false, Role.ACTIVE);
    Instant later = Instant.now().plus(Duration.ofHours(1));

    assertThat(Recycling.due(WorkerInfo.DEFAULT_POOL, List.of(replacing, retiring, booting), later, SupervisionPolicy.DEFAULT)).isEmpty();
  }

  @Test
  void the_policy_can_recycle_by_a_workers_figures() {
    SupervisionPolicy byErrors = new SupervisionPolicy() {
      public Decision decide(Failure failure) {
        return DEFAULT.decide(failure);
      }

      public Optional<String> recycle(WorkerFigures figures) {
        return figures.errors() >= 3 ? Optional.of("failed " + figures.errors() + " requests") : Optional.empty();
      }
    };
    WorkerHandle failing = worker(1, Duration.ZERO, true, Role.ACTIVE);
    WorkerHandle fine = worker(2, Duration.ZERO, true, Role.ACTIVE);
    for (int i = 0; i < 3; i++) {
      failing.meter().failed();
    }

    List<Due> due = Recycling.due(WorkerInfo.DEFAULT_POOL, List.of(failing, fine), Instant.now(), byErrors);

    assertThat(due).extracting(Due::worker).containsExactly(failing);
    assertThat(due.get(0).reason()).isEqualTo(RestartReason.POLICY);
    assertThat(due.get(0).why()).isEqualTo("failed 3 requests");
  }

  @Test
  void lifetimes_are_drawn_with_jitter_within_bounds() {
    RecyclePolicy policy = new RecyclePolicy(0, 0, new Random(3)).withLifetime(Duration.ofMinutes(60),
        Duration.ofMinutes(5));
    for (int i = 0; i < 100; i++) {
      assertThat(policy.drawLifetime()).isBetween(Duration.ofMinutes(60), Duration.ofMinutes(65));
    }
    assertThat(RecyclePolicy.NEVER.drawLifetime()).isZero();
  }

  @Test
  void outliving_is_reached_at_the_lifetime_exactly() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");

    assertThat(RecyclePolicy.outlived(start, Duration.ofSeconds(10), start.plusSeconds(9))).isFalse();
    assertThat(RecyclePolicy.outlived(start, Duration.ofSeconds(10), start.plusSeconds(10))).isTrue();
    assertThat(RecyclePolicy.outlived(start, Duration.ZERO, start.plusSeconds(10_000))).isFalse();
  }
}
