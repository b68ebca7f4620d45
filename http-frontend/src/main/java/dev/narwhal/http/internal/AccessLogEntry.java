package dev.narwhal.http.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * INTERNAL API. What the access log knows about one answered request.
 *
 * @param request the request as the application saw it, or {@code null} for one Pekko's parser
 *     turned away before there was a request to see (then every request atom is {@code -})
 * @param status the response status
 * @param responseHeaders the response's field lines
 * @param bytes the length of the response body as sent (0 for HEAD)
 * @param start when the request arrived, in the server's time zone
 * @param elapsed from arrival until the response was ready
 * @param pid the server's process id
 */
record AccessLogEntry(
    Request request, int status, List<Header> responseHeaders, long bytes, ZonedDateTime start,
    Duration elapsed, long pid) {}
