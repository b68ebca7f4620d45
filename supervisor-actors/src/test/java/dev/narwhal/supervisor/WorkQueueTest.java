package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  /** A slot that records what it was given. */
  static final class RecordingSlot implements WorkQueue.Slot {
    final List<Job> taken = new ArrayList<>();

    @Override
    public void take(Job job) {
      taken.add(job);
    }
  }

  static Job job(String path) {
    return new Job(Request.builder("GET", path).build());
  }

  @Test
  void hands_a_new_job_straight_to_a_parked_worker() {
    WorkQueue queue = new WorkQueue(2);
    RecordingSlot worker = new RecordingSlot();
    assertThat(queue.nextOrPark(worker)).isNull();

    Job job = job("/a");
    assertThat(queue.submit(job)).isTrue();

    assertThat(worker.taken).containsExactly(job);
    assertThat(queue.waitingCount()).isZero();
    assertThat(queue.idleCount()).isZero();
  }

  @Test
  void a_cancelled_waiting_job_leaves_the_backlog_and_no_worker_gets_it() {
    WorkQueue queue = new WorkQueue(5);
    Job gone = job("/gone");
    Job next = job("/next");
    queue.submit(gone);
    queue.submit(next);

    assertThat(queue.cancel(gone)).isTrue();
    assertThat(queue.cancel(gone)).as("only once").isFalse();
    assertThat(queue.waitingCount()).isEqualTo(1);
    assertThat(queue.nextOrPark(new RecordingSlot())).isSameAs(next);
  }

  @Test
  void a_job_a_worker_already_took_cannot_be_cancelled() {
    WorkQueue queue = new WorkQueue(5);
    RecordingSlot worker = new RecordingSlot();
    queue.nextOrPark(worker);
    Job running = job("/running");
    queue.submit(running);

    assertThat(queue.cancel(running)).isFalse();
    assertThat(worker.taken).containsExactly(running);
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
    RecordingSlot worker = new RecordingSlot();

    assertThat(queue.nextOrPark(worker)).isSameAs(first);
    assertThat(queue.idleCount()).isZero();
    assertThat(worker.taken).isEmpty();
  }

  @Test
  void a_resubmitted_job_goes_first_even_when_the_backlog_is_full_or_closed() {
    WorkQueue queue = new WorkQueue(1);
    queue.submit(job("/waiting"));
    queue.close();
    Job orphan = job("/orphan");
    queue.resubmit(orphan);

    assertThat(queue.nextOrPark(new RecordingSlot())).isSameAs(orphan);
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
    RecordingSlot worker = new RecordingSlot();
    RecordingSlot other = new RecordingSlot();
    queue.nextOrPark(worker);
    queue.nextOrPark(other);
    queue.nextOrPark(worker);
    queue.unpark(worker);
    assertThat(queue.idleCount()).isEqualTo(1);
    queue.submit(job("/x"));
    assertThat(other.taken).hasSize(1);
  }
}
