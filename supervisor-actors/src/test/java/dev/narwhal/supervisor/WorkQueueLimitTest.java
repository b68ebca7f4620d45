package dev.narwhal.supervisor;

import static dev.narwhal.supervisor.WorkQueueTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Response;
import dev.narwhal.supervisor.WorkQueue.Verdict;
import org.junit.jupiter.api.Test;

class WorkQueueLimitTest {

  @Test
  void a_fixed_limit_refuses_at_once_what_the_backlog_would_have_queued() {
    WorkQueue queue = new WorkQueue(100, ConcurrencyLimit.fixed(2));
    WorkQueueTest.RecordingSlot worker = new WorkQueueTest.RecordingSlot();
    queue.nextOrPark(worker);

    Job running = job("/1");
    Job waiting = job("/2");
    assertThat(queue.admit(running)).isEqualTo(Verdict.ACCEPTED);
    assertThat(queue.admit(waiting)).isEqualTo(Verdict.ACCEPTED);
    assertThat(queue.admit(job("/3"))).isEqualTo(Verdict.CONCURRENCY_LIMIT);

    assertThat(queue.waitingCount()).isEqualTo(1);
    assertThat(queue.admission()).isEqualTo(new WorkQueue.Admission("2", 2, 2, 1, 0));
  }

  @Test
  void an_answered_request_frees_its_place_once() {
    WorkQueue queue = new WorkQueue(100, ConcurrencyLimit.fixed(1));
    Job first = job("/1");
    assertThat(queue.submit(first)).isTrue();
    assertThat(queue.submit(job("/2"))).isFalse();

    assertThat(first.complete(Response.text(200, "ok"))).isTrue();
    assertThat(first.complete(Response.text(500, "again"))).isFalse();

    assertThat(queue.admission().inFlight()).isZero();
    assertThat(queue.submit(job("/3"))).isTrue();
    assertThat(queue.admission().inFlight()).isEqualTo(1);
  }

  @Test
  void a_full_backlog_is_counted_as_its_own_reason() {
    WorkQueue queue = new WorkQueue(1, ConcurrencyLimit.fixed(10));
    assertThat(queue.admit(job("/1"))).isEqualTo(Verdict.ACCEPTED);
    assertThat(queue.admit(job("/2"))).isEqualTo(Verdict.BACKLOG_FULL);
    assertThat(queue.admission().shedByBacklog()).isEqualTo(1);
    assertThat(queue.admission().shedByLimit()).isZero();
  }

  @Test
  void off_counts_only_the_full_backlog_and_leaves_jobs_untracked() {
    WorkQueue queue = new WorkQueue(1);
    Job first = job("/1");
    assertThat(queue.admit(first)).isEqualTo(Verdict.ACCEPTED);
    assertThat(queue.admit(job("/2"))).isEqualTo(Verdict.BACKLOG_FULL);
    first.complete(Response.text(200, "ok"));
    assertThat(queue.admission()).isEqualTo(new WorkQueue.Admission("off", 0, 0, 0, 1));
  }

  @Test
  void a_stopping_queue_says_so() {
    WorkQueue queue = new WorkQueue(1, ConcurrencyLimit.fixed(1));
    queue.close();
    assertThat(queue.admit(job("/1"))).isEqualTo(Verdict.STOPPING);
    assertThat(queue.admission().shedByLimit()).isZero();
  }

  @Test
  void auto_starts_at_its_initial_limit() {
    WorkQueue queue = new WorkQueue(100, ConcurrencyLimit.auto(3, 1, 10));
    for (int i = 0; i < 3; i++) {
      assertThat(queue.submit(job("/" + i))).isTrue();
    }
    assertThat(queue.admit(job("/x"))).isEqualTo(Verdict.CONCURRENCY_LIMIT);
    assertThat(queue.admission().mode()).isEqualTo("auto");
    assertThat(queue.admission().limit()).isEqualTo(3);
  }

  @Test
  void a_cancelled_waiting_job_frees_its_place_when_answered() {
    WorkQueue queue = new WorkQueue(100, ConcurrencyLimit.fixed(1));
    Job waiting = job("/1");
    queue.submit(waiting);
    assertThat(queue.cancel(waiting)).isTrue();
    waiting.complete(Response.text(499, ""));
    assertThat(queue.submit(job("/2"))).isTrue();
  }
}
