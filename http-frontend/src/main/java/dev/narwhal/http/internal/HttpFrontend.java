package dev.narwhal.http.internal;

import dev.narwhal.Response;
import dev.narwhal.Responses;
import dev.narwhal.cluster.ClusterHost.Overflow;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.LogText;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.WorkQueue;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The Pekko HTTP side: binds the sockets, reads each request in full (so workers
 * only ever see complete requests and a slow client costs no worker), hands it to the
 * {@link WorkQueue}, and turns the worker's answer back into HTTP. It also applies the settings
 * that belong to HTTP: {@code keepalive}, the {@code limit-request-*} limits and the access log.
 * How the binds speak (HTTPS, HTTP/2, the Server header) is {@link Transport}'s business, whose
 * proxies are believed is {@link ForwardedHeaders}'.
 */
public final class HttpFrontend {
  private final ActorSystem<?> system;
  private final PoolQueues pools;
  private final ServerConfig config;
  private final AccessLog accessLog;
  private final Materializer materializer;
  private final Traffic traffic;
  private final Transport transport;
  private final ForwardedHeaders forwarded;
  /** proxy-protocol on the application binds; null when off. */
  private final ProxyProtocol proxy;
  private final List<ServerBinding> bindings = new ArrayList<>();
  /** The open HTTP/1 connections, which a stop closes itself (see {@link ConnectionDrain}). */
  private final ConnectionDrain.Registry connections = new ConnectionDrain.Registry();
  private final BodyReader bodyReader;
  /** max-body-buffer: the request body bytes held at once, server-wide. */
  private final BodyBudget bodyBudget;
  private final Rejections rejections;
  private final ForwardedRequests forwardedRequests;
  /** Handed to Pekko with every bind, so that its parser's rejections reach this server's log and counts. */
  private final ParsingErrors.BindingLog bindingLog;
  /** The applications' answers as Pekko's, with this server's warnings about fields it drops. */
  private final ResponseConverter responses = new ResponseConverter();
  /** limit-request-line, which HTTP/2 requests are held to here ({@link Http2Rules}); 0: none. */
  private final int limitRequestLine;
  /** limit-request-body, for bodies already whole on arrival ({@link BodyReader} counts the rest); 0: none. */
  private final long limitRequestBody;
  /** Where a request goes when the backlog is full (cluster.overflow); null: nowhere, 503. */
  private volatile Overflow overflow;

  /** The HTTP/1 connections open now (accepted and not yet closed). */
  public int openConnections() {
    return connections.size();
  }

  /**
   * @param pools every pool's queue and the routes to them ({@link PoolQueues#single} for one pool)
   * @param traffic where every request and response is counted (and measured, with metrics on)
   */
  public HttpFrontend(ActorSystem<?> system, PoolQueues pools, ServerConfig config, Traffic traffic) {
    this.system = system;
    this.pools = pools;
    this.config = config;
    this.accessLog = AccessLog.from(config);
    this.materializer = Materializer.matFromSystem(system);
    this.traffic = traffic;
    this.bodyReader = new BodyReader(config.get(Settings.BODY_TIMEOUT), config.get(Settings.BODY_TOTAL_TIMEOUT),
        config.get(Settings.LIMIT_REQUEST_BODY), config.get(Settings.BODY_SPOOL_THRESHOLD), config.get(Settings.WORKER_TMP_DIR), materializer);
    this.bodyBudget = new BodyBudget(config.get(Settings.MAX_BODY_BUFFER));
    traffic.measureBodies(bodyBudget::used);
    int orphans = BodySpool.deleteOrphans(config.get(Settings.WORKER_TMP_DIR));
    if (orphans > 0) {
      system.log().info("Deleted {} request body files left in {} by servers no longer running", orphans,
          config.get(Settings.WORKER_TMP_DIR));
    }
    this.transport = Transport.from(config);
    this.forwarded = ForwardedHeaders.trusting(config.get(Settings.FORWARDED_ALLOW_IPS));
    this.proxy = ProxyProtocol.from(config);
    this.rejections = new Rejections(accessLog, traffic, forwarded, bodyBudget, config.get(Settings.LIMIT_REQUEST_BODY));
    this.bindingLog = new ParsingErrors.BindingLog(system.classicSystem(), rejections::byParser);
    this.limitRequestLine = config.get(Settings.LIMIT_REQUEST_LINE);
    this.limitRequestBody = config.get(Settings.LIMIT_REQUEST_BODY);
    this.forwardedRequests = new ForwardedRequests(pools, config, accessLog, traffic);
  }

  /** Where the requests other cluster nodes forward here are served. */
  public ForwardedRequests forwardedRequests() {
    return forwardedRequests;
  }

  /**
   * New connections get keyfile and certfile as {@code config} has them (read again now).
   *
   * @return false when {@code config} would turn TLS on or off, which needs a restart
   * @throws dev.narwhal.config.SettingsException when the files cannot be used; the current ones stay
   */
  public boolean reloadCertificates(ServerConfig config) {
    return transport.reloadCertificates(config);
  }

  /** {@code https} when the binds serve TLS, else {@code http}. */
  public String scheme() {
    return transport.scheme();
  }

  /** Binds every address; completes with the bound addresses, or fails on the first that cannot bind. */
  public CompletionStage<List<InetSocketAddress>> bind(List<BindAddress> binds, int backlog) {
    CompletableFuture<List<InetSocketAddress>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (BindAddress bind : binds) {
      all = all.thenCompose(bound -> bindOne(bind, backlog)
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
   * One bind: Narwhal's own connection flow behind the raw framing guard ({@link GuardedBind}), or,
   * with HTTP/2 on, {@link Http2Binding}'s, which runs the same stages per connection on both
   * protocols; either way every request goes through {@link #handle}.
   */
  private CompletionStage<ServerBinding> bindOne(BindAddress bind, int backlog) {
    String scheme = transport.scheme();
    if (transport.http2()) {
      ServerSettings settings = PekkoSettings.of(config, transport, ServerSettings.create(system.classicSystem()), backlog);
      return Http2Binding.bind(system.classicSystem(), bind.host(), bind.port(),
          (org.apache.pekko.http.scaladsl.settings.ServerSettings) settings, transport.https(),
          config.get(Settings.HEADER_TIMEOUT), bindingLog, proxy,
          new Http2Binding.ConnectionFlows() {
            @Override
            public Flow<HttpRequest, HttpResponse, ?> http1() {
              return ConnectionDrain.around(guarded(http1Handler(scheme), null), connections);
            }

            @Override
            public Flow<HttpRequest, HttpResponse, ?> http2(Function<Function<HttpRequest,
                CompletionStage<HttpResponse>>, Flow<HttpRequest, HttpResponse, ?>> streams, Runnable goAway) {
              // the connection's streams in the backlog are dropped once it closes, as on HTTP/1
              return guarded(PendingJobs.watch(pools.defaultQueue(), HttpFrontend.this::clientGone)
                  .via(streams.apply(http -> handle(http, scheme, PendingJobs.of(http)))), goAway);
            }
          });
    }
    return GuardedBind.bind(system, materializer, bind.host(), bind.port(),
        PekkoSettings.of(config, transport, ServerSettings.create(system.classicSystem()), backlog), transport.connectionContext(),
        config.get(Settings.HEADER_TIMEOUT), bindingLog, proxy, connectionFlow(scheme));
  }

  /**
   * Stops accepting connections, closes every open connection once it has answered what it
   * received (with {@code Connection: close} on that last answer; requests that arrive meanwhile on
   * an open connection are still served), and completes once every connection is closed or
   * {@code hardDeadline} has passed. HTTP/2 connections are left to Pekko's own termination (GOAWAY).
   */
  public CompletionStage<Void> terminate(Duration hardDeadline) {
    List<ServerBinding> http1 = new ArrayList<>();
    List<CompletableFuture<?>> done = new ArrayList<>();
    synchronized (bindings) {
      for (ServerBinding binding : bindings) {
        if (transport.http2()) {
          done.add(binding.terminate(hardDeadline).toCompletableFuture());
        } else {
          http1.add(binding);
        }
      }
    }
    done.add(connections.close(http1, hardDeadline).toCompletableFuture());
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, hardDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The flow each connection runs: requests answered in order (as many at once as HTTP pipelining
   * allows, like Pekko's own {@code bind}), {@link #guarded}, and closed gracefully by a stop.
   */
  private Flow<HttpRequest, HttpResponse, ?> connectionFlow(String scheme) {
    return ConnectionDrain.around(guarded(http1Handler(scheme), null), connections);
  }

  /**
   * An HTTP/1 connection's requests answered in order, as many at once as pipelining allows. Once
   * the client has gone, its requests still in the backlog are dropped ({@link PendingJobs}).
   */
  private Flow<HttpRequest, HttpResponse, ?> http1Handler(String scheme) {
    int pipelining = ServerSettings.create(system.settings().config()).getPipeliningLimit();
    return PendingJobs.watch(pools.defaultQueue(), this::clientGone)
        .mapAsync(pipelining, http -> handle(http, scheme, PendingJobs.of(http)));
  }

  /**
   * A connection's handler inside the keep-alive clock and the header timeout, on either protocol:
   * {@code goAway} closes an HTTP/2 connection, null for HTTP/1.
   */
  private Flow<HttpRequest, HttpResponse, ?> guarded(Flow<HttpRequest, HttpResponse, ?> handler, Runnable goAway) {
    Duration keepalive = config.get(Settings.KEEPALIVE);
    Duration headerTimeout = config.get(Settings.HEADER_TIMEOUT);
    if (goAway == null) {
      Flow<HttpRequest, HttpResponse, ?> kept = keepalive.isZero() ? handler : KeepAlive.around(handler, keepalive);
      return SlowClientGuard.around(kept, headerTimeout);
    }
    Flow<HttpRequest, HttpResponse, ?> kept = keepalive.isZero() ? handler : KeepAlive.aroundHttp2(handler, keepalive, goAway);
    return SlowClientGuard.aroundHttp2(kept, headerTimeout, goAway);
  }

  /**
   * Counts the request in {@link Traffic} as it arrives and again once it is answered, and serves it
   * with its body's share of max-body-buffer, given back once it is answered however that happens
   * (a worker's answer, a 503, 504 or 499 at stop, timeout or a gone client; a refused or
   * unreadable body), so a leak cannot slowly fill the budget and shut the server. One stage does
   * both: each stage is an object or two more for every request.
   */
  private CompletionStage<HttpResponse> handle(HttpRequest http, String scheme, PendingJobs pending) {
    long received = traffic.received();
    BodyBudget.Reservation reservation = bodyBudget.open();
    CompletionStage<HttpResponse> answered;
    try {
      answered = serve(http, scheme, pending, reservation);
    } catch (RuntimeException e) {
      answered = CompletableFuture.failedFuture(e); // answered below, as a failure later would be
    }
    return answered.handle((r, error) -> {
      reservation.close();
      HttpResponse response = error == null ? r : failed(http, scheme, error);
      traffic.answered(http.method().value(), response.status().intValue(), received);
      return response;
    });
  }

  /**
   * A 500 for a request whose serving failed here, in the front end: a bug, logged with its stack
   * trace, and access-logged. Hazard: a failed answer fails the connection's stream, which ends
   * every request on it (with HTTP/2, every stream, with an INTERNAL_ERROR GOAWAY) and answers
   * none of them.
   */
  private HttpResponse failed(HttpRequest http, String scheme, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    LoggerFactory.getLogger("narwhal").error("Answering 500: serving {} {} failed", http.method().value(),
        LogText.escape(http.getUri().path()), cause);
    return rejections.rejected(http, scheme, new FramingGuard.Rejection(500, "Internal Server Error"),
        accessLog.arrival());
  }

  /**
   * A request waiting in the backlog whose connection closed, taken out of it before any worker ran
   * it; the job is answered 499 (which no one reads).
   */
  private void clientGone(Job job) {
    traffic.abandoned();
    system.log().debug("Dropped {} from the backlog: its client closed the connection", job);
  }

  /** Checks the framing, reads the body in full, then hands the request to a worker. */
  private CompletionStage<HttpResponse> serve(HttpRequest http, String scheme, PendingJobs pending,
      BodyBudget.Reservation reservation) {
    AccessLog.Arrival arrival = accessLog.arrival();
    // a rejected request's body is never read: the answer closes the connection anyway
    Optional<FramingGuard.Rejection> rejection = FramingGuard.check(http);
    if (rejection.isEmpty()) {
      rejection = Http2Rules.check(http, limitRequestLine); // no lambda to allocate per request
    }
    if (rejection.isPresent()) {
      return CompletableFuture.completedFuture(rejections.rejected(http, scheme, rejection.get(), arrival));
    }
    if (http.entity() instanceof HttpEntity.Strict strict) {
      if (limitRequestBody > 0 && strict.getData().size() > limitRequestBody) {
        // HTTP/1's are Pekko's to refuse; an HTTP/2 body it collected whole is not
        return CompletableFuture.completedFuture(rejections.rejected(http, scheme, FramingGuard.tooLarge(), arrival));
      }
      // the common case (no body, or a small one Pekko already has): dispatch on this thread; going
      // through toStrict's converted future would add a hop through the common fork-join pool
      reservation.count(strict.getData().size());
      return dispatch(new Job(RequestConverter.toRequest(http, strict, scheme, forwarded)), arrival, pending);
    }
    return bodyReader.read(http.entity(), reservation)
        .handle((body, failure) -> failure == null
            ? dispatchRead(http, body, scheme, arrival, pending)
            : CompletableFuture.completedFuture(rejections.unreadable(http, scheme, failure, arrival)))
        .thenCompose(stage -> stage);
  }

  /** A spooled body's file goes once the request is answered, whichever way (timeout and 503 too). */
  private CompletionStage<HttpResponse> dispatchRead(HttpRequest http, BodySpool.Body body, String scheme,
      AccessLog.Arrival arrival, PendingJobs pending) {
    try {
      return dispatch(new Job(RequestConverter.toRequest(http, body, scheme, forwarded)), arrival, pending)
          .whenComplete((response, error) -> body.discard());
    } catch (RuntimeException e) {
      body.discard();
      throw e;
    }
  }

  /** From now on, requests the full backlog cannot take go to {@code overflow} when it has a node for them. */
  public void overflowTo(Overflow overflow) {
    this.overflow = overflow;
  }

  /** @param pending the connection's requests in the backlog, dropped once it closes; null when none watches */
  private CompletionStage<HttpResponse> dispatch(Job job, AccessLog.Arrival arrival, PendingJobs pending) {
    String pool = pools.poolFor(job.request());
    WorkQueue queue = pools.queue(pool);
    if (!queue.submit(job)) {
      Overflow to = overflow;
      Optional<CompletionStage<Response>> forwarded = to == null ? Optional.empty()
          : to.forward(job.request(), pool, forwardedRequests.timeoutOf(pool));
      if (forwarded.isPresent()) {
        traffic.forwarded();
        return forwarded.get().thenApply(response -> answer(job, response, arrival));
      }
      return CompletableFuture.completedFuture(answer(job, Responses.unavailable(), arrival));
    }
    if (pending != null) {
      pending.add(job, queue);
    }
    // one pool alone: the untagged series are its figures, so no per-request tagged ones to pay for
    String tagged = pools.all().size() > 1 ? pool : null;
    return job.response().handle((response, error) -> {
      if (pending != null) {
        pending.remove(job); // answered, whichever way: no longer the connection's to drop
      }
      if (error != null) {
        throw error instanceof CompletionException wrapped ? wrapped : new CompletionException(error);
      }
      traffic.ran(job, tagged);
      return answer(job, response, arrival);
    });
  }

  private HttpResponse answer(Job job, Response response, AccessLog.Arrival arrival) {
    accessLog.record(arrival, job.request(), response);
    return responses.answer(response, job.request().method(), job.request().version(),
        config.get(Settings.KEEPALIVE).isZero());
  }
}
