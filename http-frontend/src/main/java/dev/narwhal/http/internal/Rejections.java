package dev.narwhal.http.internal;

import dev.narwhal.Request;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/**
 * INTERNAL API. The answers to requests turned away before any worker saw them, each
 * access-logged and counted as every answer is: {@link FramingGuard}'s (framing it will not
 * guess at, a body that could not be read), {@link BodyBudget}'s (a body max-body-buffer cannot
 * take) and those of Pekko's own parser ({@link ParsingErrors}).
 */
record Rejections(AccessLog accessLog, Traffic traffic, ForwardedHeaders forwarded, BodyBudget bodyBudget,
    long limitRequestBody) {
  /**
   * A request Pekko's parser answered itself: it never reaches the front end's handler, so it is
   * counted and access-logged here, with nothing known of the request.
   */
  void byParser(HttpResponse answer) {
    long received = traffic.received();
    accessLog.rejected(accessLog.arrival(), null, answer);
    traffic.answered("OTHER", answer.status().intValue(), received);
  }

  /**
   * The answer to a body that could not be read: FramingGuard's, or BodyBudget's for one
   * max-body-buffer could not take.
   */
  HttpResponse unreadable(HttpRequest http, String scheme, Throwable failure, AccessLog.Arrival arrival) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    if (!(cause instanceof BodyBudget.Exhausted)) {
      return rejected(http, scheme, FramingGuard.unreadableBody(failure), arrival);
    }
    FramingGuard.Rejection refusal = bodyBudget.refusal(http.entity().getContentLengthOption().orElse(0),
        limitRequestBody);
    return refusal.status() == 503
        ? rejected(http, scheme, refusal, arrival, RetryAfter.create(BodyBudget.RETRY_AFTER_SECONDS))
        : rejected(http, scheme, refusal, arrival);
  }

  /** The answer to a request turned away before a worker saw it, access-logged (its body unread). */
  HttpResponse rejected(HttpRequest http, String scheme, FramingGuard.Rejection rejection,
      AccessLog.Arrival arrival, HttpHeader... extra) {
    HttpResponse answer = rejection.toHttpResponse().addHeaders(List.of(extra));
    if (!http.protocol().value().startsWith("HTTP/1")) {
      // no Connection field (Pekko would warn of it each time): frames keep the connection's
      // framing sure, so only this stream ends; and a HEAD's refusal without its text
      answer = ResponseConverter.overHttp2(answer, http.method().value());
    }
    if (arrival != null) {
      accessLog.rejected(arrival, loggable(http, scheme), answer);
    }
    return answer;
  }

  /** The request as the access log shows it, without its body; null if even that cannot be built. */
  private Request loggable(HttpRequest http, String scheme) {
    try {
      return RequestConverter.toRequest(http, HttpEntities.EMPTY, scheme, forwarded);
    } catch (RuntimeException unconvertible) {
      return null; // a request FramingGuard refused may be odd enough; the line then shows "-"
    }
  }
}
