package dev.narwhal.examples;

import dev.narwhal.Handler;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.spi.WorkerContext;
import dev.narwhal.spi.WorkerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A custom worker class that runs a child actor under each worker: a "connection keeper" that
 * refreshes a (pretend) connection every 200 ms, the way a worker would keep a pooled connection or
 * a lease alive. The keeper is a Pekko typed behaviour, supervised (restarted on failure) and
 * stopped with its worker; every response says how many refreshes this worker's keeper has done.
 *
 * <pre>
 * bin/narwhal -k dev.narwhal.examples.KeeperWorker -w 2 hello
 * curl -i http://127.0.0.1:8000/     # X-Keeper-Refreshes: 12
 * </pre>
 */
public final class KeeperWorker implements WorkerExtension {
  private final AtomicLong refreshes = new AtomicLong();

  /** The keeper's protocol: one tick. */
  enum Refresh { TICK }

  @Override
  public void onWorkerStart(WorkerContext worker) {
    worker.spawn(keeper(refreshes), "connection-keeper");
  }

  @Override
  public Response intercept(Request request, Handler next) throws Exception {
    Response response = next.handle(request);
    return Response.status(response.statusCode())
        .header("X-Keeper-Refreshes", Long.toString(refreshes.get()))
        .header("Content-Type", response.header("Content-Type").orElse("application/octet-stream"))
        .body(response.body());
  }

  static Behavior<Refresh> keeper(AtomicLong refreshes) {
    return Behaviors.supervise(Behaviors.<Refresh>withTimers(timers -> {
      timers.startTimerWithFixedDelay(Refresh.TICK, Duration.ofMillis(200));
      return Behaviors.receiveMessage(tick -> {
        refreshes.incrementAndGet(); // a real keeper would ping or re-open its connection here
        return Behaviors.same();
      });
    })).onFailure(SupervisorStrategy.restart());
  }
}
