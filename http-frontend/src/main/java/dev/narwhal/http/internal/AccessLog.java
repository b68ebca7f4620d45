package dev.narwhal.http.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. One line per answered request, formatted here and handed to the
 * {@value Loggers#ACCESS} logger. The narwhal command routes that logger through an asynchronous appender
 * to {@code accesslog} (see {@code LogSetup}), so the request path only formats and enqueues;
 * embedders route it with their own Logback configuration.
 */
public final class AccessLog {
  private final Logger log = LoggerFactory.getLogger(Loggers.ACCESS);
  /** {@code null} when the access log is off: then nothing is formatted at all. */
  private final Function<AccessLogEntry, String> formatter;
  private final long pid = ProcessHandle.current().pid();

  private AccessLog(Function<AccessLogEntry, String> formatter) {
    this.formatter = formatter;
  }

  static AccessLog from(ServerConfig config) {
    if (config.get(Settings.ACCESSLOG).isEmpty()) {
      return new AccessLog(null);
    }
    if (config.get(Settings.ACCESS_LOG_JSON)) {
      return new AccessLog(new AccessLogJson()::format);
    }
    return new AccessLog(new AccessLogFormat(config.get(Settings.ACCESS_LOG_FORMAT))::format);
  }

  /** Notes the time a request arrived; {@code null} when the access log is off. */
  Arrival arrival() {
    return formatter == null ? null : new Arrival(ZonedDateTime.now(), System.nanoTime());
  }

  /** Logs one answered request; {@code arrival} is what {@link #arrival()} returned for it. */
  void record(Arrival arrival, Request request, Response response) {
    if (arrival == null) {
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - arrival.nanos());
    AccessLogEntry entry = new AccessLogEntry(request, response.statusCode(), response.headers(),
        bytesSent(request, response), arrival.time(), elapsed, pid);
    log.info(formatter.apply(entry));
  }

  /**
   * Logs a request turned away before a worker saw it, with the answer Narwhal or Pekko gave.
   *
   * @param request the request, or {@code null} when Pekko's parser rejected it before there was one
   */
  void rejected(Arrival arrival, Request request, HttpResponse response) {
    if (arrival == null) {
      return;
    }
    List<Header> headers = new ArrayList<>();
    for (HttpHeader h : response.getHeaders()) {
      headers.add(new Header(h.name(), h.value()));
    }
    int status = response.status().intValue();
    boolean bodiless = request != null && request.method().equals("HEAD");
    long bytes = !bodiless && response.entity() instanceof HttpEntity.Strict strict ? strict.getData().size() : 0;
    log.info(formatter.apply(new AccessLogEntry(request, status, headers, bytes, arrival.time(),
        Duration.ofNanos(System.nanoTime() - arrival.nanos()), pid)));
  }

  /** HEAD, 204 and 304 responses carry no body on the wire, whatever the handler returned. */
  private static long bytesSent(Request request, Response response) {
    int status = response.statusCode();
    boolean bodiless = request.method().equals("HEAD") || status == 204 || status == 304 || status < 200;
    return bodiless ? 0 : response.bodyUnsafe().length;
  }

  /** When a request arrived: wall-clock for the log line, monotonic for its duration. */
  record Arrival(ZonedDateTime time, long nanos) {}
}
