package dev.narwhal.logging;

import java.nio.charset.StandardCharsets;

/**
 * Client-supplied text made safe for a text log line, the way nginx escapes its access log: a CR
 * or LF would start a forged line, an ESC sequence would rewrite what a terminal shows, so every
 * byte outside printable ASCII becomes {@code \xHH}. Backslash is {@code \\} and
 * {@code "} is {@code \"} (gunicorn's spelling, so quoted atoms parse as before), which makes the
 * escaping unambiguous: an escaped value can be read back byte for byte, and {@code \"} can never
 * be a quote the client smuggled in to close a field.
 *
 * <p>Non-ASCII text is escaped too, byte by byte of its UTF-8 ({@code é} is {@code \xC3\xA9}):
 * nginx does the same, it keeps every line plain ASCII, and it leaves no room for the Unicode
 * tricks a log viewer may render (C1 controls, bidi overrides, U+2028 line separators). Bytes that
 * are not valid UTF-8 are escaped as they came, never replaced by U+FFFD.
 *
 * <p>One implementation for every line that quotes a client: the access log, the error log's
 * {@code Request} (its {@code toString}) and the worker-timeout report. Use it too when a handler or
 * hook logs what a client sent.
 */
public final class LogText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private LogText() {}

  /** {@code text} escaped by the bytes of its UTF-8 encoding. */
  public static String escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!plain(text.charAt(i))) {
        return escape(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    return text; // the usual case: nothing to escape, no copy
  }

  /** Raw bytes from the client (a decoded header or path), escaped without guessing an encoding. */
  public static String escape(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == '\\' || c == '"') {
        out.append('\\').append((char) c);
      } else if (plain(c)) {
        out.append((char) c);
      } else {
        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Printable ASCII other than the two characters escaping itself uses. */
  private static boolean plain(int c) {
    return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
  }
}
