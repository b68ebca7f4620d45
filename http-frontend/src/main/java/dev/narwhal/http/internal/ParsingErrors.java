package dev.narwhal.http.internal;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.event.BusLogging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.DefaultParsingErrorHandler$;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * INTERNAL API. The answers Pekko HTTP's parser gives to requests it cannot accept, with two
 * changes to Pekko's defaults (whose wording and logging are kept otherwise):
 *
 * <ul>
 *   <li>Too many header fields is {@code 431 Request Header Fields Too Large} (RFC 6585 section 5),
 *       as a too-long header value already is; Pekko answers 400.
 *   <li>The {@link SlowClientGuard}'s header timeout becomes {@code 408 Request Timeout}. The guard
 *       sits above the parser and cannot answer by itself while no request has been parsed, so it
 *       fails the connection's response stream with {@link #HEADER_TIMEOUT}, which Pekko hands
 *       here; logged at debug only, since a slowloris attack would otherwise flood the error log.
 *   <li>A request {@link RawFramingGuard} refused on its raw bytes arrives as a sentinel request
 *       line with an unknown method; it gets the violation's status and reason.
 *   <li>A client that closes its connection in the middle of a request head (Pekko's "Illegal
 *       HTTP message start", which its parser reports for nothing else) is logged at debug too:
 *       the 400 goes to a closed connection, and every slowloris client that gives up would
 *       otherwise leave a warning.
 * </ul>
 *
 * <p>Every answer but the one to a client that closed mid-head (no request was rejected, nobody
 * reads the answer) is also reported to the binding's {@link BindingLog}, so that the rejected
 * request is access-logged and counted like the ones the handler answers.
 *
 * <p>Pekko creates it by class name ({@code pekko.http.server.parsing.error-handler}, set by
 * {@code HttpFrontend}), hence public with a no-argument constructor. Pekko forces
 * {@code Connection: close} on every answer that comes from here.
 */
public final class ParsingErrors extends ParsingErrorHandler {
  /** The summary that marks the header timeout; matched exactly. */
  static final String HEADER_TIMEOUT = "Request header not received in time";
  /** Pekko's summary when the connection ends inside a request head (HttpMessageParser). */
  private static final String CLOSED_IN_HEAD = "Illegal HTTP message start";
  /** Pekko's summary for an unknown method, whose detail is the method: how {@link RawFramingGuard}'s sentinel arrives. */
  private static final String UNSUPPORTED_METHOD = "Unsupported HTTP method";
  /** The start of Pekko's summary for max-header-count (HttpMessageParser). */
  private static final String TOO_MANY_HEADERS = "HTTP message contains more than the configured limit of";

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    if (info.summary().equals(CLOSED_IN_HEAD)) {
      // not a rejected request but a client gone: like gunicorn, no access-log line for it
      log.debug("A client closed its connection in the middle of a request head");
      return HttpResponse.create()
          .withStatus(StatusCodes.BAD_REQUEST)
          .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, CLOSED_IN_HEAD));
    }
    HttpResponse answer = answer(status, info, log, settings);
    if (log instanceof BindingLog binding) {
      binding.rejected(answer);
    }
    return answer;
  }

  private static HttpResponse answer(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    FramingViolation violation = info.summary().equals(UNSUPPORTED_METHOD)
        ? FramingViolation.fromSentinel(info.detail())
        : null;
    if (violation != null) {
      log.debug("Refused a request whose framing is ambiguous: {}", violation.reason);
      return HttpResponse.create()
          .withStatus(StatusCodes.get(violation.status))
          .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, violation.reason));
    }
    if (info.summary().equals(HEADER_TIMEOUT)) {
      log.debug("Closing a connection whose first request head did not arrive in time: 408");
      return HttpResponse.create()
          .withStatus(StatusCodes.REQUEST_TIMEOUT)
          .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, HEADER_TIMEOUT));
    }
    if (status.intValue() == 400 && info.summary().startsWith(TOO_MANY_HEADERS)) {
      // Pekko's max-header-count is limit-request-fields + 1 (PekkoSettings): say the user's limit
      int limit = settings.getParserSettings().getMaxHeaderCount() - 1;
      return DefaultParsingErrorHandler$.MODULE$.handle((StatusCode) StatusCodes.REQUEST_HEADER_FIELDS_TOO_LARGE,
          info.withSummary("HTTP message contains more than the configured limit of " + limit + " headers"), log, settings);
    }
    return DefaultParsingErrorHandler$.MODULE$.handle(status, info, log, settings);
  }

  /**
   * The log a server's binds hand Pekko HTTP ({@code ServerBuilder.logTo}): the actor system's log,
   * as Pekko would use by default, that also carries where the server's rejected requests go.
   * Pekko creates {@link ParsingErrors} by class name, once per connection, and passes it only the
   * status, the error, this log and the settings; the log is the one thing set per binding, so it
   * is how a rejection finds its own server's access log and traffic when several servers share a
   * JVM. What a parser rejection cannot carry: the client's address and the request line, which
   * Pekko does not pass here (the access log shows {@code -}).
   */
  public static final class BindingLog extends BusLogging {
    /**
     * Pekko's line for an HTTP/2 connection that failed with anything but a protocol error
     * (Http2Blueprint.errorHandling, 1.3): a header value with a control character, for one.
     */
    private static final Pattern HTTP2_FAILED = Pattern.compile(
        "HTTP2 connection failed with error \\[(.*)]\\. Sending (\\w+) and closing connection\\.", Pattern.DOTALL);
    /** The start of the warning Pekko's default handler logs for each request its parser refuses. */
    private static final String REFUSED = "Illegal request, responding with status ";
    private final Consumer<HttpResponse> rejected;
    // both say what the client sent: through Pekko's own log, so that its lines are escaped as Pekko's are
    private final ThrottledWarning http2Failures = new ThrottledWarning(super::notifyWarning,
        "HTTP/2: closed a connection ({}); further ones are logged at most once a minute",
        "HTTP/2: closed {} connection(s) since the warning {} s ago (latest: {})");
    private final ThrottledWarning refusals = new ThrottledWarning(super::notifyWarning,
        "{}; further requests the parser refuses are logged at most once a minute (each is in the access log)",
        "The parser refused {} request(s) since the warning {} s ago (latest: {})");

    /** @param rejected told of every answer given here, on the connection's stream thread; must not block */
    public BindingLog(ActorSystem system, Consumer<HttpResponse> rejected) {
      super(system.eventStream(), system.getClass().getName() + "(" + system.name() + ")", system.getClass(),
          ((ExtendedActorSystem) system).logFilter());
      this.rejected = rejected;
    }

    /**
     * An HTTP/2 connection's failure is a warning, at most once a minute. Hazard: Pekko logs it at
     * ERROR each time, and any client can cause it with one bad header.
     */
    @Override
    public void notifyError(String message) {
      Matcher failed = HTTP2_FAILED.matcher(message);
      if (failed.matches()) {
        http2Failures.warn(failed.group(1) + "; sent GOAWAY " + failed.group(2));
        return;
      }
      super.notifyError(message);
    }

    /**
     * A request the parser refused is a warning at most once a minute; each is in the access log.
     * Hazard: Pekko warns of every one, so any client could fill the log with bad requests.
     */
    @Override
    public void notifyWarning(String message) {
      if (message.startsWith(REFUSED)) {
        refusals.warn(message);
        return;
      }
      super.notifyWarning(message);
    }

    void rejected(HttpResponse answer) {
      try {
        rejected.accept(answer);
      } catch (RuntimeException e) {
        // the answer must still go out: a failure here would tear the connection down instead
        error(e, "Could not record a request the parser rejected");
      }
    }
  }
}
