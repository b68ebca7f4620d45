package dev.narwhal.bench.jmh;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.examples.BenchApp;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.WorkQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floors under {@link DispatchBenchmark}, on one thread and without any handoff.
 *
 * <ul>
 *   <li>{@code handlerOnly}: {@link BenchApp} answering {@code GET /hello}, called inline
 *   <li>{@code queueOnly}: the same through {@link WorkQueue#submit} to a parked slot that answers
 *       inline and re-parks ({@link WorkQueue#nextOrPark}): the queue's lock, the {@link Job} and
 *       its future, without a thread handoff
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBenchmark {
  private static final Request HELLO = Request.builder("GET", "/hello").build();
  private final BenchApp app = new BenchApp();
  private WorkQueue queue;

  @Setup
  public void parkOneSlot() {
    queue = new WorkQueue(2048);
    queue.nextOrPark(new WorkQueue.Slot() {
      @Override
      public void take(Job job) {
        for (Job next = job; next != null; next = queue.nextOrPark(this)) {
          try {
            next.complete(app.handle(next.request()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
    });
  }

  @Benchmark
  public Response handlerOnly() throws Exception {
    return app.handle(HELLO);
  }

  @Benchmark
  public Response queueOnly() throws Exception {
    Job job = new Job(HELLO);
    if (!queue.submit(job)) {
      throw new IllegalStateException("rejected");
    }
    return job.response().toCompletableFuture().get();
  }
}
