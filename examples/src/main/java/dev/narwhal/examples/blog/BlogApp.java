package dev.narwhal.examples.blog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteException;

/**
 * Narwhal's flagship example: a small blog served the production way. Run it with
 * {@code bin/narwhal -w 5 blog} and open http://127.0.0.1:8000/.
 *
 * <p>Posts and comments live in one SQLite file ({@link BlogConfig}: {@code ./data/blog.db} by
 * default), created, migrated and seeded on first start. Browsers get server-rendered pages and
 * HTML forms ({@link HtmlPages}), programs a JSON API under {@code /api/posts} ({@link JsonApi}),
 * load balancers {@code GET /health/}. Writes a browser sends for another site are refused with
 * 403 ({@link SameOrigin}).
 *
 * <h2>The connection pool and {@code preload-app}</h2>
 *
 * The pool belongs to the application instance: {@link #onStart} opens it, {@link #onStop}
 * closes it. What that means depends on {@code preload-app}:
 * <ul>
 *   <li><b>off</b> (the default): every worker builds its own {@code BlogApp}, so every worker has
 *       its own pool, opened on its own thread, like a Gunicorn worker connecting after the fork.
 *       A worker runs one request at a time, so its pool only ever lends one connection; a worker
 *       recycled after {@code max-requests} closes its pool and its successor opens a fresh one.
 *   <li><b>on</b>: one {@code BlogApp} is started before the workers and shared by all of them, so
 *       they share one pool and {@link #handle} runs on several threads at once. Everything it
 *       touches is thread-safe (the pool, the JTE engine, Jackson's mapper, the router) and the
 *       started state is published through one {@code volatile} field. The pool lends up to
 *       {@code BLOG_POOL_SIZE} connections (default 2 × cores + 1, the size of {@code workers =
 *       auto}); with more workers than that, the extra ones wait briefly for a connection. Unlike
 *       Gunicorn, sharing is safe here: workers are threads of one JVM, not forked processes that
 *       would inherit the same open database handles.
 * </ul>
 * Either way SQLite sees several connections writing one file; {@link Database} explains how they
 * take turns.
 *
 * <p>Every refusal is a 4xx with a message, as JSON for {@code /api/*} or {@code Accept:
 * application/json} and as a page otherwise; a database that is busy for too long is a 503, never
 * a 500.
 */
public final class BlogApp implements Application {
  private static final Logger log = LoggerFactory.getLogger(BlogApp.class);
  private static final byte[] CSS = resource("blog.css");

  /** What {@link #onStart} builds. Immutable, so one volatile write publishes all of it. */
  private record Started(Database db, Router router, Views views) {}

  private final BlogConfig config;
  private volatile Started started;

  /** The launcher's constructor: configured by {@code BLOG_*} variables or {@code blog.*} properties. */
  public BlogApp() {
    this(BlogConfig.fromEnvironment());
  }

  public BlogApp(BlogConfig config) {
    this.config = config;
  }

  @Override
  public void onStart() throws Exception {
    Database db = Database.open(config);
    PostRepository posts = new PostRepository(db);
    Views views = new Views();
    HtmlPages html = new HtmlPages(posts, views);
    JsonApi api = new JsonApi(posts);
    Router router = new Router()
        .get("/", html::index)
        .get("/posts/new", html::newPost)
        .post("/posts", html::create)
        .get("/posts/{id}", html::show)
        .get("/posts/{id}/edit", html::edit)
        .post("/posts/{id}/edit", html::update)
        .post("/posts/{id}/delete", html::delete)
        .post("/posts/{id}/comments", html::addComment)
        .get("/api/posts", api::list)
        .post("/api/posts", api::create)
        .get("/api/posts/{id}", api::show)
        .put("/api/posts/{id}", api::update)
        .delete("/api/posts/{id}", api::delete)
        .get("/api/posts/{id}/comments", api::comments)
        .post("/api/posts/{id}/comments", api::addComment)
        .get("/health/", this::health)
        .get("/health", this::health)
        .get("/static/blog.css", BlogApp::css);
    started = new Started(db, router, views);
    log.info("Blog database {} (pool of up to {} connections)", db.file(), config.poolSize());
  }

  @Override
  public void onStop() {
    Started s = started;
    if (s != null) {
      s.db().close();
    }
  }

  @Override
  public Response handle(Request request) {
    Started s = started;
    try {
      SameOrigin.check(request);
      Validation.checkSize(request.bodyLength());
      return s.router().dispatch(request);
    } catch (HttpError e) {
      return refuse(s, request, e);
    } catch (SQLException e) {
      if (isTransient(e)) {
        log.warn("Database busy, answering 503: {}", e.getMessage());
        return refuse(s, request, new HttpError(503, "the database is busy; try again in a moment",
            Map.of(), Map.of("Retry-After", "1")));
      }
      return failure(s, request, e);
    } catch (Exception e) {
      return failure(s, request, e);
    }
  }

  /**
   * {@code 200 {"status": "healthy"}} when the database answers, else {@code 503 {"status":
   * "unhealthy"}}. Why it is unhealthy goes to the log only: the reason names the database file's
   * absolute path and SQLite's own error text, which tell anyone who can reach {@code /health/}
   * where the data lives and what runs it.
   */
  private Response health(Request request) {
    Database.Health health = started.db().check();
    if (health.healthy()) {
      return Response.status(200).header("Cache-Control", "no-store").json("{\"status\": \"healthy\"}");
    }
    log.warn("Health check failed: {}", health.problem().orElseThrow());
    return Response.status(503).header("Cache-Control", "no-store").json("{\"status\": \"unhealthy\"}");
  }

  private static Response css(Request request) {
    return Response.status(200).contentType("text/css; charset=UTF-8")
        .header("Cache-Control", "public, max-age=3600").body(CSS);
  }

  /** A 4xx or 503 in the form the client reads: JSON for the API and JSON clients, a page for browsers. */
  private static Response refuse(Started s, Request request, HttpError e) {
    Response.Builder response = Response.status(e.status());
    e.headers().forEach(response::header);
    if (wantsJson(request)) {
      ObjectNode body = JsonApi.MAPPER.createObjectNode().put("error", e.getMessage()).put("status", e.status());
      if (!e.fields().isEmpty()) {
        body.set("fields", JsonApi.MAPPER.valueToTree(e.fields()));
      }
      return response.json(JsonApi.write(body));
    }
    return response.html(s.views().error(e.status(), reason(e.status()), e.getMessage()));
  }

  /** A bug or an unexpected failure: logged with its stack, answered 500 without details. */
  private static Response failure(Started s, Request request, Exception e) {
    log.error("{} failed", request, e);
    return refuse(s, request, new HttpError(500, "something went wrong on our side; it has been logged"));
  }

  static boolean wantsJson(Request request) {
    if (request.path().startsWith("/api/")) {
      return true;
    }
    String accept = request.header("Accept").orElse("").toLowerCase(Locale.ROOT);
    return accept.contains("application/json") && !accept.contains("text/html");
  }

  /** Worth a retry: the pool had no connection in time, or SQLite's lock stayed taken past the busy timeout. */
  private static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException) {
      return true;
    }
    if (e instanceof SQLiteException sqlite) {
      int primary = sqlite.getResultCode().code & 0xff; // extended codes keep the primary in the low byte
      return primary == 5 /* SQLITE_BUSY */ || primary == 6 /* SQLITE_LOCKED */;
    }
    return false;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }

  private static byte[] resource(String name) {
    try (InputStream in = BlogApp.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + BlogApp.class.getName());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
