package dev.narwhal.http.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.Responses;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * INTERNAL API. What a node checks of a request another node forwarded (cluster.overflow) before
 * a worker runs it. Pekko's parser applied the forwarding node's limit-request-* settings, not
 * this node's; and the forwarding node waits a bounded time, after which an answer is lost even
 * though the request ran.
 */
final class ForwardedLimits {
  /**
   * How much sooner than the forwarding node's wait this node's timeout must answer: the timeout
   * sweep (within 1 s) and the way back.
   */
  static final Duration MARGIN = Duration.ofSeconds(3);

  private ForwardedLimits() {}

  /**
   * The answer that turns the request away unrun, or empty when it may run; {@code timeout} is that
   * of the pool the request is routed to.
   */
  static Optional<Response> refusal(Request request, ServerConfig config, Duration timeout, Duration wait) {
    if (timeout.isZero() || timeout.plus(MARGIN).compareTo(wait) > 0) {
      return Optional.of(Responses.unavailable());
    }
    // as Pekko's max-uri-length, which limit-request-line sets: the request-target
    int target = request.path().length() + (request.query().isEmpty() ? 0 : request.query().length() + 1);
    if (over(config, Settings.LIMIT_REQUEST_LINE, target)) {
      return Optional.of(Response.text(414, "URI Too Long\n"));
    }
    if (over(config, Settings.LIMIT_REQUEST_FIELDS, request.headers().size())) {
      return Optional.of(Response.text(431, "Request Header Fields Too Large: too many header fields\n"));
    }
    for (Header h : request.headers()) {
      if (over(config, Settings.LIMIT_REQUEST_FIELD_SIZE, h.value().length())) {
        return Optional.of(Response.text(431, "Request Header Fields Too Large\n"));
      }
    }
    long body = config.get(Settings.LIMIT_REQUEST_BODY);
    if (body > 0 && request.bodyLength() > body) {
      return Optional.of(Response.text(413, "Content Too Large\n"));
    }
    return Optional.empty();
  }

  /** 0 is "no limit", as for Pekko's parser. */
  private static boolean over(ServerConfig config, Setting<Integer> limit, int value) {
    int max = config.get(limit);
    return max > 0 && value > max;
  }
}
