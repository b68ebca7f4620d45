package dev.narwhal.http.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The access-log formatters on one request, off the request path as in the server (the line is
 * rendered on the log's writer, so this is its cost per request there, not added latency).
 *
 * <ul>
 *   <li>{@code gunicornDefault}: gunicorn's default format,
 *       {@code %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"}
 *   <li>{@code everyAtom}: a format using every atom, headers and an environment variable
 *   <li>{@code json}: the {@code access-log-json} line
 * </ul>
 *
 * Lives in the formatter's package because the formatters are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogBenchmark {
  private static final String EVERY_ATOM = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(m)s %(U)s %(q)s %(H)s %(s)s "
      + "%(B)s %(b)s \"%(f)s\" \"%(a)s\" %(T)s %(M)s %(D)s %(L)s %(p)s %({x-request-id}i)s "
      + "%({content-type}o)s %({HOME}e)s";

  private final AccessLogFormat gunicorn =
      new AccessLogFormat(ServerConfig.defaults().get(Settings.ACCESS_LOG_FORMAT));
  private final AccessLogFormat everyAtom = new AccessLogFormat(EVERY_ATOM);
  private final AccessLogJson json = new AccessLogJson();
  private final AccessLogEntry entry = new AccessLogEntry(
      Request.builder("GET", "/posts/42").query("page=2&sort=new").version("HTTP/1.1")
          .header("Host", "127.0.0.1:8000")
          .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0")
          .header("Referer", "http://127.0.0.1:8000/")
          .header("Authorization", "Basic dXNlcjpwYXNz")
          .header("X-Request-Id", "0b6f4c1e-5a7d-4a1b-9c1e-2f0d3c4b5a69")
          .remoteAddress(new InetSocketAddress("127.0.0.1", 54321))
          .build(),
      200, List.of(new Header("Content-Type", "text/html; charset=UTF-8")), 5120,
      ZonedDateTime.of(2026, 11, 25, 14, 0, 0, 0, ZoneId.of("UTC")), Duration.ofNanos(1_234_000), 4242);

  @Benchmark
  public String gunicornDefault() {
    return gunicorn.format(entry);
  }

  @Benchmark
  public String everyAtom() {
    return everyAtom.format(entry);
  }

  @Benchmark
  public String json() {
    return json.format(entry);
  }
}
