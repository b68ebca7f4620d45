package dev.narwhal.examples;

import dev.narwhal.Handler;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.spi.WorkerContext;
import dev.narwhal.spi.WorkerExtension;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A custom worker class whose workers share one actor beside the arbiter: a visit counter that
 * every worker reports to, so the count spans all workers and survives recycling and reloads
 * (per-worker fields would start again at zero). The shape of a server-wide rate limiter, cache or
 * connection-pool keeper.
 *
 * <pre>
 * bin/narwhal -k dev.narwhal.examples.VisitCountingWorker -w 3 --max-requests 5 hello
 * curl -i http://127.0.0.1:8000/     # X-Visits: 42, whichever worker answered
 * </pre>
 */
public final class VisitCountingWorker implements WorkerExtension {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  private ActorRef<VisitCounter.Command> counter;
  private ActorSystem<?> system;

  @Override
  public void onWorkerStart(WorkerContext worker) {
    counter = worker.spawnShared(VisitCounter.create(), "visit-counter");
    system = worker.system();
  }

  @Override
  public Response intercept(Request request, Handler next) throws Exception {
    // blocking on the ask is fine: a sync worker's thread is its own
    long visits = AskPattern.<VisitCounter.Command, VisitCounter.Count>ask(counter,
            VisitCounter.CountVisit::new, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get().visits();
    Response response = next.handle(request);
    return Response.status(response.statusCode())
        .header("X-Visits", Long.toString(visits))
        .header("Content-Type", response.header("Content-Type").orElse("application/octet-stream"))
        .body(response.body());
  }

  /** The shared actor: counts visits and answers the running total. */
  public static final class VisitCounter {
    public sealed interface Command {}

    public record CountVisit(ActorRef<Count> replyTo) implements Command {}

    public record Count(long visits) {}

    private VisitCounter() {}

    public static Behavior<Command> create() {
      return counting(0);
    }

    private static Behavior<Command> counting(long visits) {
      return Behaviors.receive(Command.class)
          .onMessage(CountVisit.class, visit -> {
            visit.replyTo().tell(new Count(visits + 1));
            return counting(visits + 1);
          })
          .build();
    }
  }
}
