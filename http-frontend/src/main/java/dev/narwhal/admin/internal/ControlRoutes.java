package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.narwhal.config.PoolRoutes;
import dev.narwhal.supervisor.Stats;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The control endpoints, the signals over HTTP: {@code POST /control/reload} (HUP; {@code ?scope=cluster}: every node in turn),
 * {@code /control/scale?delta=N[&pool=NAME]} (TTIN/TTOU, N times; a named pool's workers with
 * {@code pool}, which a signal cannot name), {@code /control/stop?mode=graceful|quick}
 * (TERM/INT), {@code /control/reopen-logs} (USR1). Each needs {@code Authorization: Bearer TOKEN};
 * without it the answer is 401 and nothing happens.
 *
 * <p>Reloads run on one control thread, in order, since reading the configuration and loading the
 * application block; never on Pekko's dispatcher.
 */
final class ControlRoutes {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  /** A scale request beyond this is a typo, not a plan. */
  static final int MAX_DELTA = 1000;
  /** How long after the reply to stop has been rendered the stop begins. */
  private static final Duration STOP_DELAY = Duration.ofMillis(200);

  private final AdminControls server;
  private final AdminAccess access;
  private final Executor control;

  ControlRoutes(AdminControls server, AdminAccess access, Executor control) {
    this.server = server;
    this.access = access;
    this.control = control;
  }

  Route route() {
    return pathPrefix("control", () -> post(() -> access.controlAllowed(() -> concat(
        path("reload", () -> parameterOptional("scope", scope -> scope.orElse("node").equals("cluster")
            ? clusterReload() : reload())),
        path("scale", () -> parameterOptional("delta", delta -> parameterOptional("pool",
            pool -> scale(delta, pool.orElse(PoolRoutes.DEFAULT))))),
        path("stop", () -> parameterOptional("mode", this::stop)),
        path("reopen-logs", this::reopenLogs)))));
  }

  private Route reload() {
    CompletionStage<HttpResponse> done = CompletableFuture.supplyAsync(() -> {
      try {
        log.info("Admin API: reload");
        server.reload();
        return Json.response(202, Json.object().put("action", "reload").put("status", "started"));
      } catch (Exception e) {
        return Json.error(500, "reload aborted, the current workers keep serving: " + e.getMessage());
      }
    }, control);
    return completeWithFuture(done);
  }

  /**
   * Starts a cluster-wide rolling reload (the coordinator reloads the nodes one at a time) and
   * answers at once with its id; the outcome is logged by this node.
   */
  private Route clusterReload() {
    if (server.cluster().isEmpty()) {
      return complete(Json.error(404, "this server is not a cluster node (cluster.enabled is off)"));
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    log.info("Admin API: cluster reload {}", id);
    server.cluster().get().reload(id);
    return complete(Json.response(202, Json.object().put("action", "reload").put("scope", "cluster")
        .put("reload_id", id).put("status", "started")));
  }

  private Route scale(Optional<String> given, String pool) {
    int delta;
    try {
      delta = Integer.parseInt(given.orElse("").strip());
    } catch (NumberFormatException e) {
      return complete(Json.error(400, "delta must be a whole number such as 2 or -1, got '" + given.orElse("") + "'"));
    }
    if (delta == 0 || Math.abs(delta) > MAX_DELTA) {
      return complete(Json.error(400, "delta must be non-zero and at most " + MAX_DELTA + " either way"));
    }
    if (!server.pools().contains(pool)) {
      return complete(Json.error(404, "no pool named '" + pool + "' (pools: " + String.join(", ", server.pools())
          + ")"));
    }
    log.info("Admin API: scale pool {} by {}", pool, delta);
    server.scale(pool, delta);
    // asked after the scale messages were sent, so the arbiter answers with the new target
    return completeWithFuture(server.state().handle((state, error) -> Json.response(202, Json.object()
        .put("action", "scale").put("pool", pool).put("delta", delta)
        .put("target_workers", error == null ? target(state.stats(), pool) : -1))));
  }

  private static int target(Stats stats, String pool) {
    Stats own = stats.byPool().get(pool);
    return own == null ? -1 : own.targetWorkers();
  }

  private Route stop(Optional<String> mode) {
    String m = mode.orElse("graceful").strip().toLowerCase();
    if (!m.equals("graceful") && !m.equals("quick")) {
      return complete(Json.error(400, "mode must be graceful or quick, got '" + m + "'"));
    }
    log.info("Admin API: stop ({})", m);
    ObjectNode body = Json.object().put("action", "stop").put("mode", m);
    if (m.equals("graceful")) {
      body.put("graceful_timeout_ms", server.gracefulTimeout().toMillis());
    }
    // a quick stop may take the actor system down before a reply is written: the entity ending
    // only means the bytes reached the renderer, not the socket, so stop a moment after that
    // (as Spring Boot's shutdown endpoint does) and close this connection with the reply
    Executor later = CompletableFuture.delayedExecutor(STOP_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    return complete(afterSending(202, body, () -> later.execute(() -> server.stop(m.equals("quick"))))
        .addHeader(Connection.create("close")));
  }

  /** Reopens the log files as SIGUSR1 does, on the control thread: opening files blocks. */
  private Route reopenLogs() {
    CompletionStage<HttpResponse> done = CompletableFuture.supplyAsync(() -> {
      log.info("Admin API: reopen logs");
      server.reopenLogs();
      return Json.response(200, Json.object().put("action", "reopen-logs").put("status", "done"));
    }, control);
    return completeWithFuture(done);
  }

  /** A JSON response whose entity runs {@code action} once it has been streamed out (or abandoned). */
  private static HttpResponse afterSending(int status, ObjectNode body, Runnable action) {
    ByteString bytes;
    try {
      bytes = ByteString.fromArray(Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Source<ByteString, ?> source = Source.single(bytes).watchTermination((mat, done) -> {
      done.whenComplete((ok, error) -> action.run());
      return mat;
    });
    return HttpResponse.create().withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes.length(), source));
  }
}
