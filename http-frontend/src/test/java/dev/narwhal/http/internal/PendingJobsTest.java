package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/** Which requests of a connection that ended are dropped from the backlog, and which are left alone. */
class PendingJobsTest {
  private final WorkQueue queue = new WorkQueue(10); // no worker parked: every job waits
  private final List<Job> cancelled = new ArrayList<>();
  private final PendingJobs pending = new PendingJobs(queue, cancelled::add);

  private Job waiting(String path) {
    Job job = new Job(Request.builder("GET", path).build());
    assertThat(queue.submit(job)).isTrue();
    pending.add(job);
    return job;
  }

  @Test
  void a_waiting_job_of_a_client_that_has_gone_is_answered_499_and_leaves_the_backlog() {
    pending.requestArrived(false);
    Job job = waiting("/a");
    pending.requestsEnded();
    assertThat(job.response().toCompletableFuture().join().statusCode()).isEqualTo(499);
    assertThat(queue.waitingCount()).isZero();
    assertThat(cancelled).containsExactly(job);
  }

  @Test
  void a_job_answered_before_the_end_is_left_alone() {
    pending.requestArrived(false);
    Job job = waiting("/a");
    queue.cancel(job); // as if a worker had taken it
    pending.remove(job);
    pending.requestsEnded();
    assertThat(cancelled).isEmpty();
  }

  @Test
  void a_job_added_after_the_end_is_cancelled_at_once() {
    pending.requestsEnded();
    Job job = waiting("/late");
    assertThat(job.isAnswered()).isTrue();
    assertThat(queue.waitingCount()).isZero();
  }

  @Test
  void nothing_is_cancelled_when_the_last_request_asked_to_close_the_connection() {
    pending.requestArrived(true);
    Job job = waiting("/closing");
    pending.requestsEnded();
    assertThat(job.isAnswered()).isFalse();
    assertThat(queue.waitingCount()).isEqualTo(1);
  }

  @Test
  void connection_close_and_http_1_0_without_keep_alive_ask_to_close() {
    HttpRequest plain = HttpRequest.GET("/");
    assertThat(PendingJobs.asksToClose(plain)).isFalse();
    assertThat(PendingJobs.asksToClose(plain.addHeader(RawHeader.create("Connection", "Close")))).isTrue();
    assertThat(PendingJobs.asksToClose(plain.withProtocol(HttpProtocols.HTTP_1_0))).isTrue();
    assertThat(PendingJobs.asksToClose(plain.withProtocol(HttpProtocols.HTTP_1_0)
        .addHeader(RawHeader.create("Connection", "keep-alive")))).isFalse();
  }
}
