package dev.narwhal.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.supervisor.Job;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a worker's engine knows of the jobs in hand, and what a timeout does to them. */
class RunningJobsTest {
  final RunningJobs jobs = new RunningJobs();

  static Job started(String path) {
    Job job = new Job(Request.builder("GET", path).build());
    job.markStarted();
    return job;
  }

  @Test
  void an_overdue_job_is_answered_504_its_thread_interrupted_and_counted_stuck_until_it_returns() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread handler = Thread.ofPlatform().start(() -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      try {
        release.await(); // a handler that goes on after its interrupt
      } catch (InterruptedException ignored) {
        // the test's end
      }
    });
    Job job = started("/slow");
    jobs.runOn(job, handler);

    List<RequestRunner.Expired> expired = jobs.expire(0);

    assertThat(expired).singleElement().satisfies(e -> {
      assertThat(e.job()).isSameAs(job);
      assertThat(e.thread()).isSameAs(handler);
    });
    assertThat(job.response().toCompletableFuture().get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(jobs.stuck()).isEqualTo(1);
    assertThat(jobs.jobs()).containsExactly(job);

    release.countDown();
    handler.join();
    jobs.finished(job); // what the engine does once the handler returns
    assertThat(jobs.stuck()).isZero();
    assertThat(jobs.jobs()).isEmpty();
  }

  @Test
  void a_job_within_its_time_or_answered_already_is_left_alone() {
    Job fresh = started("/fresh");
    Job answered = started("/answered");
    answered.complete(Response.ok("done"));
    jobs.runOn(fresh, RunningJobs.NO_THREAD);
    jobs.runOn(answered, RunningJobs.NO_THREAD);

    assertThat(jobs.expire(TimeUnit.HOURS.toNanos(1))).isEmpty();
    assertThat(jobs.expire(0)).as("only the unanswered one expires").singleElement()
        .satisfies(e -> assertThat(e.job()).isSameAs(fresh));
    assertThat(jobs.expire(0)).as("and only once").isEmpty();
  }

  @Test
  void a_job_waiting_on_an_async_stage_expires_without_a_thread_to_interrupt() {
    Job pending = started("/async");
    jobs.runOn(pending, RunningJobs.NO_THREAD);

    assertThat(jobs.expire(0)).singleElement().satisfies(e -> {
      assertThat(e.thread()).isNull();
      assertThat(e.stack()).isEmpty();
    });
    assertThat(jobs.stuck()).isEqualTo(1);
  }

  @Test
  void a_stuck_job_stays_counted_through_later_sweeps_until_its_thread_returns() {
    Job stuck = started("/hang");
    jobs.runOn(stuck, RunningJobs.NO_THREAD);
    assertThat(jobs.expire(0)).hasSize(1);

    // the timeout sweep runs every second; the job is still in hand, its 504 long sent
    assertThat(jobs.expire(0)).isEmpty();
    assertThat(jobs.expire(0)).isEmpty();
    assertThat(jobs.stuck()).isEqualTo(1);

    jobs.finished(stuck);
    assertThat(jobs.stuck()).isZero();
  }

  @Test
  void a_job_that_finished_in_time_was_never_stuck() {
    Job quick = started("/quick");
    jobs.runOn(quick, Thread.currentThread());
    jobs.finished(quick);

    assertThat(jobs.stuck()).isZero();
    assertThat(jobs.expire(0)).isEmpty();
  }

  @Test
  void a_thread_that_returns_just_as_its_504_goes_out_is_not_left_counted_stuck() {
    Job job = started("/just-in-time");
    jobs.runOn(job, RunningJobs.NO_THREAD);
    // the 504's completion runs this on the expiring thread, inside expire: the handler's thread
    // returning at that very moment, before expire has finished its own bookkeeping
    job.response().thenRun(() -> jobs.finished(job));

    assertThat(jobs.expire(0)).hasSize(1);

    assertThat(jobs.stuck()).as("a thread that has returned is not stuck").isZero();
    assertThat(jobs.jobs()).isEmpty();
  }
}
