package dev.narwhal.http.internal;

import dev.narwhal.config.BindAddress;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.WorkQueue;
import dev.narwhal.supervisor.internal.Responses;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * INTERNAL API. The Pekko HTTP side: binds the sockets, reads each request in full (so workers
 * only ever see complete requests and a slow client costs no worker), hands it to the
 * {@link WorkQueue}, and turns the worker's answer back into HTTP.
 */
public final class HttpFrontend {
  private final ActorSystem<?> system;
  private final WorkQueue queue;
  private final Materializer materializer;
  private final Traffic traffic;
  private final List<ServerBinding> bindings = new ArrayList<>();
  /** How long reading a request body may take before the request is dropped. */
  private static final long BODY_READ_TIMEOUT_MS = 60_000;

  public HttpFrontend(ActorSystem<?> system, WorkQueue queue) {
    this(system, queue, Traffic.untracked());
  }

  /** @param traffic where every request and response is counted (and measured, with metrics on) */
  public HttpFrontend(ActorSystem<?> system, WorkQueue queue, Traffic traffic) {
    this.system = system;
    this.queue = queue;
    this.materializer = Materializer.matFromSystem(system);
    this.traffic = traffic;
  }

  /** Binds every address; completes with the bound addresses, or fails on the first that cannot bind. */
  public CompletionStage<List<InetSocketAddress>> bind(List<BindAddress> binds, int backlog) {
    CompletableFuture<List<InetSocketAddress>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (BindAddress bind : binds) {
      all = all.thenCompose(bound -> Http.get(system)
          .newServerAt(bind.host(), bind.port())
          .adaptSettings(settings -> settings.withBacklog(backlog))
          .bind(handler("http"))
          .thenApply(binding -> {
            synchronized (bindings) {
              bindings.add(binding);
            }
            bound.add(binding.localAddress());
            return bound;
          })
          .toCompletableFuture());
    }
    return all;
  }

  /**
   * Stops accepting connections, lets requests already received finish (Pekko answers 503 to new
   * requests on open connections), and completes once every connection is closed or
   * {@code hardDeadline} has passed.
   */
  public CompletionStage<Void> terminate(Duration hardDeadline) {
    List<CompletableFuture<?>> done = new ArrayList<>();
    synchronized (bindings) {
      for (ServerBinding binding : bindings) {
        done.add(binding.terminate(hardDeadline).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
  }

  private Function<HttpRequest, CompletionStage<HttpResponse>> handler(String scheme) {
    return http -> {
      long received = traffic.received();
      // a rejected request's body is never read: the answer closes the connection anyway
      Optional<FramingGuard.Rejection> rejection = FramingGuard.check(http);
      CompletionStage<HttpResponse> response = rejection.isPresent()
          ? CompletableFuture.completedFuture(rejection.get().toHttpResponse())
          : readAndDispatch(http, scheme);
      return response.whenComplete((r, error) ->
          traffic.answered(http.method().value(), r == null ? 500 : r.status().intValue(), received));
    };
  }

  /** Reads the body in full, then hands the request to a worker; a body that cannot be read is answered here. */
  private CompletionStage<HttpResponse> readAndDispatch(HttpRequest http, String scheme) {
    return http.entity()
        .toStrict(BODY_READ_TIMEOUT_MS, materializer)
        .handle((entity, failure) -> failure == null
            ? dispatch(new Job(RequestConverter.toRequest(http, entity, scheme)))
            : CompletableFuture.completedFuture(FramingGuard.unreadableBody(failure).toHttpResponse()))
        .thenCompose(stage -> stage);
  }

  private CompletionStage<HttpResponse> dispatch(Job job) {
    if (!queue.submit(job)) {
      return CompletableFuture.completedFuture(RequestConverter.toHttpResponse(Responses.unavailable()));
    }
    return job.response().thenApply(response -> {
      traffic.ran(job);
      return RequestConverter.toHttpResponse(response);
    });
  }
}
