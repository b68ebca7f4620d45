package dev.narwhal.bench.jmh;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.ServerHooks;
import dev.narwhal.examples.BenchApp;
import dev.narwhal.supervisor.ApplicationSource;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.PoolSettings;
import dev.narwhal.supervisor.WorkQueue;
import dev.narwhal.supervisor.WorkerClass;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Narwhal's dispatch path without sockets: a {@link Job} goes into the {@link WorkQueue}, a worker
 * of a real {@link Arbiter} pool runs {@link BenchApp} on it ({@code GET /hello}), and the caller
 * waits for the response. What HTTP parsing and rendering cost is left out, so this is what the
 * worker model adds per request.
 *
 * <p>{@link QueueBenchmark} has the floors: the handler alone, and the queue without threads.
 *
 * <ul>
 *   <li>{@code roundTrip}: one caller, one request at a time: the latency of a handoff to a
 *       parked worker and back
 *   <li>{@code roundTrip8}: eight callers at once against the pool (5 workers): throughput with
 *       contention on the queue and with workers that are busy or parked
 * </ul>
 */
@State(Scope.Benchmark)
public class DispatchBenchmark {

  @Param({"sync", "gthread", "virtual", "async"})
  public String workerClass;

  @Param({"5"})
  public int workers;

  private static final Request HELLO = Request.builder("GET", "/hello").build();
  private ActorSystem<Arbiter.Command> system;
  private WorkQueue queue;

  @Setup(Level.Trial)
  public void startPool() throws Exception {
    WorkerClass kind = WorkerClass.valueOf(workerClass.toUpperCase());
    int capacity = switch (kind) {
      case SYNC -> 1;
      case GTHREAD -> 4;
      case VIRTUAL, ASYNC -> 64;
    };
    queue = new WorkQueue(2048);
    PoolSettings settings = PoolSettings.of(workers, ApplicationSource.perWorker(BenchApp::new))
        .withWorkerClass(kind, capacity);
    system = ActorSystem.create(Arbiter.create(settings, queue, ServerHooks.NONE, reason -> { }), "jmh");
    Arbiter.Readiness ready = AskPattern.<Arbiter.Command, Arbiter.Readiness>ask(system, Arbiter.AwaitReady::new,
        Duration.ofSeconds(60), system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (!(ready instanceof Arbiter.Ready)) {
      throw new IllegalStateException("pool did not boot: " + ready);
    }
  }

  @TearDown(Level.Trial)
  public void stopPool() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Response roundTrip() throws Exception {
    return submitAndWait();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Threads(8)
  public Response roundTrip8() throws Exception {
    return submitAndWait();
  }

  private Response submitAndWait() throws Exception {
    Job job = new Job(HELLO);
    if (!queue.submit(job)) {
      throw new IllegalStateException("rejected: backlog full");
    }
    return job.response().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
