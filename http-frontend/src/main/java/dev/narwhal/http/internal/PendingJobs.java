package dev.narwhal.http.internal;

import dev.narwhal.Response;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.WorkQueue;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * INTERNAL API. The accepted requests of one connection that have not been answered yet, so
 * that once the client has gone, those still waiting in the backlog are taken out of it and no
 * worker runs them. Otherwise every client that sends a request and hangs up (a timed-out client,
 * an impatient user, or a flood doing it on purpose) still costs a worker's time and holds its body
 * until a worker gets to it, and a full backlog of requests nobody waits for delays the ones
 * somebody does. A request a worker has started is left to finish: it cannot be taken back.
 *
 * <p>What the front end sees of a client that has gone is the end of its request stream: Pekko
 * ends it when the client closes its side of the connection (FIN), and keeps the response side
 * open for answers still owed. The stream also ends after a request that asks to close the
 * connection ({@code Connection: close}, HTTP/1.0 without keep-alive), the client still waiting:
 * then nothing is cancelled. A client that half-closes after a keep-alive request while it waits in
 * the backlog is taken for gone, as nginx takes it; it gets the 499 if it still reads. On HTTP/2
 * the connection is what is watched: a stream the client resets alone is not seen, because Pekko
 * HTTP closes a stream whose request it has read in full on RST_STREAM without telling the
 * handler (its {@code HalfClosedRemoteWaitingForOutgoingStream} state), so the job runs and its
 * answer is dropped.
 */
final class PendingJobs {
  /** What a cancelled job is "answered" (nobody reads it): nginx's code for a client that closed first. */
  static final Response CLIENT_GONE = Response.text(499, "Client Closed Request\n");

  private final WorkQueue queue;
  private final Consumer<Job> cancelled;
  /** Each job waiting, with the queue (its pool's) it waits in. */
  private final Map<Job, WorkQueue> jobs = new HashMap<>();
  private boolean closed;
  /** Whether the latest request asked to close the connection, which ends the request stream too. */
  private boolean closeRequested;

  /**
   * The stage in front of a connection's handler: it makes the connection's PendingJobs when the
   * connection's stream is materialized, tells it of every request and of the end of the request
   * stream, and tags each request with it ({@link #of}) for the handler to find.
   *
   * <p>A stage of its own rather than {@code Flow.fromMaterializer} around the handler: that runs
   * the handler in a sub-stream of the connection's stream, and every request and every answer
   * then crosses between the two interpreters as an event of its own, which cost more CPU per
   * request on {@code hello} than the rest of Narwhal's front end together.
   */
  static Flow<HttpRequest, HttpRequest, NotUsed> watch(WorkQueue queue, Consumer<Job> cancelled) {
    return Flow.fromGraph(new Watch(queue, cancelled));
  }

  /** The connection's PendingJobs, as {@link #watch} tagged the request; null for an untagged one. */
  static PendingJobs of(HttpRequest http) {
    return http.getAttribute(KEY).orElse(null);
  }

  private static final AttributeKey<PendingJobs> KEY = AttributeKey.create("narwhal-pending-jobs", PendingJobs.class);

  private static final class Watch extends GraphStage<FlowShape<HttpRequest, HttpRequest>> {
    private final Inlet<HttpRequest> in = Inlet.create("PendingJobs.in");
    private final Outlet<HttpRequest> out = Outlet.create("PendingJobs.out");
    private final FlowShape<HttpRequest, HttpRequest> shape = FlowShape.of(in, out);
    private final WorkQueue queue;
    private final Consumer<Job> cancelled;

    Watch(WorkQueue queue, Consumer<Job> cancelled) {
      this.queue = queue;
      this.cancelled = cancelled;
    }

    @Override
    public FlowShape<HttpRequest, HttpRequest> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      PendingJobs pending = new PendingJobs(queue, cancelled);
      return new GraphStageLogic(shape) {
        {
          setHandler(in, new AbstractInHandler() {
            @Override
            public void onPush() {
              HttpRequest http = grab(in);
              pending.requestArrived(asksToClose(http));
              push(out, http.addAttribute(KEY, pending));
            }

            @Override
            public void onUpstreamFinish() {
              pending.requestsEnded();
              completeStage(); // answers still owed go out: the handler finishes its own in-flight work
            }

            @Override
            public void onUpstreamFailure(Throwable failure) {
              pending.requestsEnded();
              failStage(failure);
            }
          });
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(in);
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              pending.requestsEnded();
              cancelStage(cause);
            }
          });
        }
      };
    }
  }

  /** @param cancelled told of every job taken out of the backlog, after it is answered */
  PendingJobs(WorkQueue queue, Consumer<Job> cancelled) {
    this.queue = queue;
    this.cancelled = cancelled;
  }

  /** A job of this connection is in the default queue; cancelled at once if the connection is already gone. */
  void add(Job job) {
    add(job, queue);
  }

  /** A job of this connection is in {@code in}; cancelled at once if the connection is already gone. */
  void add(Job job, WorkQueue in) {
    synchronized (this) {
      if (!closed) {
        jobs.put(job, in);
        return;
      }
    }
    cancel(job, in);
  }

  /** The job has been answered. */
  synchronized void remove(Job job) {
    jobs.remove(job);
  }

  /** A request arrived; {@code asksToClose} if it asks to close the connection after its answer. */
  synchronized void requestArrived(boolean asksToClose) {
    closeRequested = asksToClose;
  }

  /**
   * The connection's request stream has ended: unless the last request asked for that, the client
   * has gone, and every job of it still waiting for a worker is cancelled.
   */
  void requestsEnded() {
    Map<Job, WorkQueue> left;
    synchronized (this) {
      if (closeRequested) {
        return;
      }
      closed = true;
      left = new HashMap<>(jobs);
      jobs.clear();
    }
    left.forEach(this::cancel);
  }

  /**
   * Whether Pekko ends the connection after answering {@code http}: {@code Connection: close}, or
   * HTTP/1.0 without {@code Connection: keep-alive} (RFC 9112 section 9.3).
   */
  static boolean asksToClose(HttpRequest http) {
    boolean close = false;
    boolean keepAlive = false;
    for (HttpHeader h : http.getHeaders()) {
      if (h.lowercaseName().equals("connection")) {
        for (String token : h.value().split(",")) {
          close |= token.strip().equalsIgnoreCase("close");
          keepAlive |= token.strip().equalsIgnoreCase("keep-alive");
        }
      }
    }
    return close || (http.protocol().equals(HttpProtocols.HTTP_1_0) && !keepAlive);
  }

  private void cancel(Job job, WorkQueue in) {
    // the queue's lock decides: either a worker took it first, or no worker ever will
    if (in.cancel(job) && job.complete(CLIENT_GONE)) {
      cancelled.accept(job);
    }
  }
}
