package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static Job job(String path) {
    return new Job(Request.builder("GET", path).build());
  }

  @Test
  void hands_a_new_job_straight_to_a_parked_worker() {
    WorkQueue queue = new WorkQueue(2);
    TestProbe<Worker.Command> worker = kit.createTestProbe();
    assertThat(queue.nextOrPark(worker.getRef())).isNull();

    Job job = job("/a");
    assertThat(queue.submit(job)).isTrue();

    assertThat(worker.expectMessageClass(Worker.Handle.class).job()).isSameAs(job);
    assertThat(queue.waitingCount()).isZero();
    assertThat(queue.idleCount()).isZero();
  }

  @Test
  void queues_up_to_the_backlog_then_rejects() {
    WorkQueue queue = new WorkQueue(2);
    assertThat(queue.submit(job("/1"))).isTrue();
    assertThat(queue.submit(job("/2"))).isTrue();
    assertThat(queue.submit(job("/3"))).isFalse();
    assertThat(queue.waitingCount()).isEqualTo(2);
  }

  @Test
  void a_freed_worker_takes_the_oldest_waiting_job_instead_of_parking() {
    WorkQueue queue = new WorkQueue(5);
    Job first = job("/first");
    queue.submit(first);
    queue.submit(job("/second"));
    TestProbe<Worker.Command> worker = kit.createTestProbe();

    assertThat(queue.nextOrPark(worker.getRef())).isSameAs(first);
    assertThat(queue.idleCount()).isZero();
    worker.expectNoMessage();
  }

  @Test
  void a_resubmitted_job_goes_first_even_when_the_backlog_is_full_or_closed() {
    WorkQueue queue = new WorkQueue(1);
    queue.submit(job("/waiting"));
    queue.close();
    Job orphan = job("/orphan");
    queue.resubmit(orphan);

    TestProbe<Worker.Command> worker = kit.createTestProbe();
    assertThat(queue.nextOrPark(worker.getRef())).isSameAs(orphan);
  }

  @Test
  void a_closed_queue_refuses_new_jobs_but_keeps_waiting_ones() {
    WorkQueue queue = new WorkQueue(3);
    queue.submit(job("/accepted"));
    queue.close();
    assertThat(queue.submit(job("/late"))).isFalse();
    assertThat(queue.drainWaiting()).extracting(j -> j.request().path()).containsExactly("/accepted");
  }

  @Test
  void unparking_a_worker_removes_every_slot_it_held() {
    WorkQueue queue = new WorkQueue(3);
    TestProbe<Worker.Command> worker = kit.createTestProbe();
    queue.nextOrPark(worker.getRef());
    queue.nextOrPark(worker.getRef());
    queue.unpark(worker.getRef());
    assertThat(queue.idleCount()).isZero();
  }
}
