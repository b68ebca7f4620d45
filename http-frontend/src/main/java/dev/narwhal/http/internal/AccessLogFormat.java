package dev.narwhal.http.internal;

import dev.narwhal.Environment;
import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.config.AccessLogPattern;
import dev.narwhal.config.AccessLogPattern.Atom;
import dev.narwhal.config.AccessLogPattern.Literal;
import dev.narwhal.config.AccessLogPattern.Segment;
import dev.narwhal.logging.LogText;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * INTERNAL API. Renders an access-log line the way gunicorn's {@code glogging.Logger.access}
 * does: the same atoms, {@code -} for a missing value, {@code "} inside a value escaped as
 * {@code \"}, the time as {@code [10/Oct/2000:13:55:36 -0700]}.
 *
 * <p>Unlike gunicorn, every value is escaped as nginx does ({@link LogText}): the Basic user name
 * and the decoded path are whatever bytes the client chose, and a CR LF in either would otherwise
 * write a second, forged line. Those two are escaped from their raw bytes, so an invalid UTF-8
 * byte shows as {@code \xFF} rather than vanishing into U+FFFD.
 */
final class AccessLogFormat {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH);

  /** The unbraced atoms read from the request: {@code -} when there is none. */
  private static final String REQUEST_ATOMS = "hurmUqHfa";

  private final List<Segment> segments;

  AccessLogFormat(String format) {
    this.segments = AccessLogPattern.parse(format).segments();
  }

  String format(AccessLogEntry entry) {
    StringBuilder line = new StringBuilder(160);
    for (Segment segment : segments) {
      switch (segment) {
        case Literal literal -> line.append(literal.text());
        case Atom atom -> line.append(atom(atom, entry));
      }
    }
    return line.toString();
  }

  private static String atom(Atom atom, AccessLogEntry e) {
    if (e.request() == null && needsRequest(atom)) {
      return "-"; // rejected by the parser: nothing of the request is known
    }
    if (atom.braced()) {
      String value = switch (atom.kind()) {
        case 'i' -> escape(last(e.request().headers(), atom.variable()));
        case 'o' -> escape(last(e.responseHeaders(), atom.variable()));
        default -> variable(e, atom.variable());
      };
      return value == null ? "-" : value;
    }
    Request r = e.request();
    long micros = e.elapsed().toNanos() / 1_000;
    return switch (atom.name().charAt(0)) {
      case 'h' -> escape(remoteAddr(r));
      case 'l' -> "-";
      case 'u' -> userBytes(r).map(LogText::escape).orElse("-");
      case 't' -> TIME.format(e.start());
      case 'r' -> escape(r.method() + " " + rawUri(r) + " " + r.version());
      case 'm' -> escape(r.method());
      case 'U' -> LogText.escape(decodedPath(r));
      case 'q' -> escape(r.query());
      case 'H' -> escape(r.version());
      case 's' -> Integer.toString(e.status());
      case 'B', 'b' -> Long.toString(e.bytes());
      case 'f' -> escape(r.header("Referer").orElse("-"));
      case 'a' -> escape(r.header("User-Agent").orElse("-"));
      case 'T' -> Long.toString(micros / 1_000_000);
      case 'M' -> Long.toString(micros / 1_000);
      case 'D' -> Long.toString(micros);
      case 'L' -> String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
      case 'p' -> "<" + e.pid() + ">";
      default -> "-";
    };
  }

  /** The atoms that describe the request rather than the response or the server. */
  private static boolean needsRequest(Atom atom) {
    return atom.braced() ? atom.kind() == 'i' : REQUEST_ATOMS.indexOf(atom.name().charAt(0)) >= 0;
  }

  /** Gunicorn builds a dict from the field lines, so for a repeated name the last one wins. */
  private static String last(List<Header> headers, String name) {
    String value = null;
    for (Header h : headers) {
      if (h.is(name)) {
        value = h.value();
      }
    }
    return value;
  }

  /**
   * The WSGI-environ names gunicorn offers as {@code {NAME}e}, then the application's environment;
   * escaped, or {@code null} for none.
   */
  private static String variable(AccessLogEntry e, String name) {
    Request r = e.request();
    String upper = name.toUpperCase(Locale.ROOT);
    if (r != null && upper.equals("PATH_INFO")) {
      return LogText.escape(decodedPath(r));
    }
    String cgi = r == null ? null : switch (upper) {
      case "REQUEST_METHOD" -> r.method();
      case "QUERY_STRING" -> r.query();
      case "RAW_URI" -> rawUri(r);
      case "SERVER_PROTOCOL" -> r.version();
      case "REMOTE_ADDR" -> remoteAddr(r);
      case "REMOTE_PORT" -> r.remoteAddress().map(a -> Integer.toString(a.getPort())).orElse(null);
      case "SCRIPT_NAME" -> "";
      case "WSGI.URL_SCHEME" -> r.scheme();
      case "CONTENT_TYPE" -> r.header("Content-Type").orElse(null);
      case "CONTENT_LENGTH" -> r.header("Content-Length").orElse(null);
      default -> upper.startsWith("HTTP_") ? last(r.headers(), upper.substring(5).replace('_', '-')) : null;
    };
    return escape(cgi != null ? cgi : Environment.get(name).or(() -> Environment.get(upper)).orElse(null));
  }

  private static String remoteAddr(Request r) {
    return r.remoteAddress().map(InetSocketAddress::getAddress).map(a -> a.getHostAddress()).orElse("-");
  }

  private static String rawUri(Request r) {
    return r.query().isEmpty() ? r.path() : r.path() + "?" + r.query();
  }

  /**
   * The path with its {@code %HH} decoded, as bytes: {@code %FF} is one byte 0xFF, not a U+FFFD.
   * {@code +} stays {@code +} (a path is not a form), and a {@code %} without two hex digits after
   * it stays as it is.
   */
  static byte[] decodedPath(Request r) {
    byte[] raw = r.path().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      int hi = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(raw[i + 2], 16);
      if (lo < 0) {
        out.write(raw[i]);
      } else {
        out.write(hi << 4 | lo);
        i += 2;
      }
    }
    return out.toByteArray();
  }

  /** The user name of HTTP Basic credentials, as gunicorn's {@code _get_user}, as sent. */
  static Optional<byte[]> userBytes(Request r) {
    return r.header("Authorization")
        .filter(v -> v.regionMatches(true, 0, "Basic ", 0, 6))
        .flatMap(v -> {
          try {
            byte[] decoded = Base64.getDecoder().decode(v.substring(6).strip());
            int colon = 0;
            while (colon < decoded.length && decoded[colon] != ':') {
              colon++;
            }
            return Optional.of(Arrays.copyOf(decoded, colon));
          } catch (IllegalArgumentException malformed) {
            return Optional.empty();
          }
        });
  }

  /** The user name as text, for the JSON log: invalid UTF-8 becomes U+FFFD, as JSON holds text. */
  static Optional<String> user(Request r) {
    return userBytes(r).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  private static String escape(String value) {
    return value == null ? null : LogText.escape(value);
  }
}
