package dev.narwhal.http.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * INTERNAL API. Closes one HTTP/1 connection (the application's or the admin API's) at a stop the way a client can rely on: an idle
 * connection is closed at once, a busy one after the answer to its last request in flight, which
 * goes out with {@code Connection: close} so Pekko closes the socket after writing it.
 *
 * <p>Why not Pekko's {@code ServerBinding.terminate}: it fails the stream of every connection with
 * no request pending, which aborts the socket (a TCP reset). A response handed over just before
 * the signal is then still on its way to the socket and is lost, and a client whose request was
 * reset retries it on a new connection, which the unbound port refuses.
 */
public final class ConnectionDrain extends ConnectionClock {
  private final Registry registry;

  private ConnectionDrain(Registry registry) {
    super("ConnectionDrain");
    this.registry = registry;
  }

  /** Wraps a per-connection handler so that {@code registry} can close its connection gracefully. */
  public static Flow<HttpRequest, HttpResponse, ?> around(Flow<HttpRequest, HttpResponse, ?> handler, Registry registry) {
    return new ConnectionDrain(registry).around(handler);
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic() {
      private int inFlight;
      private boolean closing;
      private final AsyncCallback<Done> close = createAsyncCallback(done -> closeWhenIdle());

      @Override
      public void preStart() {
        registry.opened(close);
      }

      @Override
      public void postStop() {
        registry.closed(close);
      }

      private void closeWhenIdle() {
        closing = true;
        if (inFlight == 0) {
          completeStage(); // completes the response stream: Pekko closes the socket (FIN, not reset)
        }
      }

      @Override
      void requestArrived() {
        inFlight++;
      }

      @Override
      HttpResponse outgoing(HttpResponse response) {
        // the last answer owed: after it, the connection is done (pipelined ones before it must not close it)
        return closing && inFlight == 1
            ? response.removeHeader("Connection").addHeader(Connection.create("close"))
            : response;
      }

      @Override
      void responseSent() {
        inFlight--;
      }
    };
  }

  /** The open connections of a front end, and the signal that closes them all. */
  public static final class Registry {
    private final Set<AsyncCallback<Done>> open = new HashSet<>();
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    private boolean closing;

    synchronized void opened(AsyncCallback<Done> close) {
      open.add(close);
      if (closing) {
        close.invoke(Done.getInstance()); // accepted just as the stop began
      }
    }

    /** How many connections are open now; for tests that check none is left behind. */
    public synchronized int size() {
      return open.size();
    }

    synchronized void closed(AsyncCallback<Done> close) {
      open.remove(close);
      if (closing && open.isEmpty()) {
        allClosed.complete(null);
      }
    }

    /**
     * Unbinds {@code bindings} and closes every connection once it owes no answer; completes when
     * the last one has closed, or at {@code deadline}, whichever comes first.
     */
    public CompletionStage<Void> close(List<ServerBinding> bindings, Duration deadline) {
      // no wait for the unbinds: a connection accepted before they complete gets the signal as it opens
      CompletableFuture<?>[] unbound = bindings.stream()
          .map(binding -> binding.unbind().toCompletableFuture().handle((ok, error) -> null))
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(unbound)
          .thenCombine(closeAll(), (a, b) -> (Void) null)
          .completeOnTimeout(null, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes every connection once it owes no answer; completes when the last one has closed. */
    private synchronized CompletableFuture<Void> closeAll() {
      closing = true;
      open.forEach(close -> close.invoke(Done.getInstance()));
      if (open.isEmpty()) {
        allClosed.complete(null);
      }
      return allClosed;
    }
  }
}
