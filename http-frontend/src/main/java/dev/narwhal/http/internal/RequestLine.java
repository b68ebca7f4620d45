package dev.narwhal.http.internal;

import java.util.Locale;

/**
 * INTERNAL API. {@link RequestFraming}'s view of one request-line, byte by byte: its three parts,
 * the version's form, and an absolute-form target's scheme.
 */
final class RequestLine {
  /** The last eight bytes seen: at the line's end, the version. */
  private final StringBuilder end = new StringBuilder();
  private int spaces;
  private int part;
  /** The request-target's scheme so far, while it may still be one (see {@link #targetScheme}). */
  private final StringBuilder scheme = new StringBuilder();
  private boolean inScheme;
  private static final int MAX_SCHEME = 16;

  /** A new request-line begins. */
  void start() {
    end.setLength(0);
    spaces = 0;
    part = 0;
  }

  /** Whether the version was HTTP/1.0 (valid once {@link #complete} said so). */
  boolean isHttp10() {
    return end.toString().equals("HTTP/1.0");
  }

  /**
   * RFC 9112 section 3: method SP request-target SP HTTP-version, checked as it arrives, so that
   * what is not a request-line at all (a TLS handshake, a PROXY protocol line) is answered at once
   * rather than held as a head that never completes. The target's and version's finer grammar is
   * left to Pekko's parser.
   */
  FramingViolation accept(byte b) {
    if (b == ' ') {
      if (part == 0 || ++spaces > 2) {
        return FramingViolation.INVALID_REQUEST_LINE;
      }
      part = 0;
      return null;
    }
    boolean valid = spaces == 0 ? FieldValues.isTchar(b) : (b & 0xff) > 0x20 && b != 0x7f;
    if (!valid) {
      return FramingViolation.INVALID_REQUEST_LINE;
    }
    if (spaces == 1 && !targetScheme(b)) {
      return FramingViolation.UNSUPPORTED_SCHEME;
    }
    part++;
    if (end.length() == 8) {
      end.deleteCharAt(0);
    }
    end.append((char) (b & 0xff));
    return null;
  }

  /**
   * Follows an absolute-form target's scheme as it arrives: false once it is complete and none of
   * those Pekko's parser takes (http, https, ws, wss). Pekko fails the connection's stage on any
   * other (an ERROR in the log for each such request, and no answer); this answers 400 instead.
   */
  private boolean targetScheme(byte b) {
    if (part == 0) {
      scheme.setLength(0);
      inScheme = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }
    if (!inScheme) {
      return true;
    }
    if (b == ':') {
      inScheme = false;
      String name = scheme.toString().toLowerCase(Locale.ROOT);
      return name.equals("http") || name.equals("https") || name.equals("ws") || name.equals("wss");
    }
    boolean schemeChar = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || b == '+' || b == '-' || b == '.';
    if (!schemeChar || scheme.length() == MAX_SCHEME) {
      inScheme = false; // no scheme after all: the parser judges the target
    } else {
      scheme.append((char) b);
    }
    return true;
  }

  /** At the request-line's CR: three parts, the last of the form HTTP/d.d. */
  boolean complete() {
    String v = end.toString();
    return spaces == 2 && part == 8 && v.startsWith("HTTP/")
        && Character.isDigit(v.charAt(5)) && v.charAt(6) == '.' && Character.isDigit(v.charAt(7));
  }
}
