package dev.narwhal.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.narwhal.Request;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.format.DateTimeFormatter;

/**
 * INTERNAL API. The access log as one JSON object per line ({@code access-log-json}), for log
 * pipelines that parse JSON rather than Apache's format. Absent values are {@code null}.
 *
 * <p>Jackson escapes {@code "}, {@code \} and the C0 controls, so a CR LF from the client cannot
 * end the line; everything from DEL up is written as a JSON u-escape as well, so a line is plain
 * ASCII and a terminal that shows it never meets an ESC, a C1 control or a bidi override. JSON
 * strings hold text, not bytes: a user name that is not valid UTF-8 shows U+FFFD where its bad
 * bytes were.
 */
final class AccessLogJson {
  private static final JsonFactory JSON = new JsonFactory();

  String format(AccessLogEntry e) {
    Request r = e.request();
    boolean known = r != null; // null: rejected by the parser, nothing of the request is known
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.setHighestNonEscapedChar(0x7e);
      json.writeStartObject();
      json.writeStringField("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.start()));
      json.writeStringField("remote_addr", known
          ? r.remoteAddress().map(InetSocketAddress::getAddress).map(a -> a.getHostAddress()).orElse(null)
          : null);
      json.writeStringField("user", known ? AccessLogFormat.user(r).orElse(null) : null);
      json.writeStringField("method", known ? r.method() : null);
      json.writeStringField("path", known ? r.path() : null);
      json.writeStringField("query", known ? r.query() : null);
      json.writeStringField("protocol", known ? r.version() : null);
      json.writeNumberField("status", e.status());
      json.writeNumberField("bytes", e.bytes());
      json.writeStringField("referer", known ? r.header("Referer").orElse(null) : null);
      json.writeStringField("user_agent", known ? r.header("User-Agent").orElse(null) : null);
      json.writeNumberField("duration_ms", e.elapsed().toNanos() / 1_000 / 1000.0);
      json.writeEndObject();
    } catch (IOException e2) {
      throw new UncheckedIOException(e2); // a StringWriter does not fail
    }
    return out.toString();
  }
}
