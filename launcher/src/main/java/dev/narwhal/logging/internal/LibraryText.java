package dev.narwhal.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;

/**
 * INTERNAL API. Pekko's own error-log lines quote what a client sent ("Illegal request-target:
 * Invalid input 'X'", its bytes read as Latin-1) without Narwhal's escaping: a byte outside
 * printable ASCII came out raw, as mojibake, and a log viewer would render whatever it spelled.
 * Such a line's message gets every character outside printable ASCII as {@code \xHH} (the byte
 * Pekko read), as {@code dev.narwhal.logging.LogText} does for Narwhal's own lines.
 */
final class LibraryText {
  private static final String PEKKO = "org.apache.pekko.";

  private LibraryText() {}

  /** {@code event}, or a copy with its message escaped when it is Pekko's and needs it. */
  static ILoggingEvent escaped(ILoggingEvent event) {
    if (!event.getLoggerName().startsWith(PEKKO)) {
      return event;
    }
    String message = event.getFormattedMessage();
    if (message == null || message.chars().allMatch(LibraryText::plain)) {
      return event; // the usual case: no copy
    }
    StringBuilder out = new StringBuilder(message.length() + 16);
    message.chars().forEach(c -> out.append(plain(c) ? String.valueOf((char) c)
        : c <= 0xff ? String.format("\\x%02X", c) : String.format("\\u%04X", c)));
    LoggingEvent copy = new LoggingEvent();
    copy.setLoggerName(event.getLoggerName());
    copy.setLevel(event.getLevel());
    copy.setInstant(event.getInstant());
    copy.setThreadName(event.getThreadName());
    copy.setMessage(out.toString());
    // what the layout may read that a bare event would look up in a logger context it lacks
    copy.setLoggerContextRemoteView(event.getLoggerContextVO());
    copy.setMDCPropertyMap(event.getMDCPropertyMap());
    if (event.getThrowableProxy() instanceof ThrowableProxy proxy) {
      copy.setThrowableProxy(proxy);
    }
    return copy;
  }

  private static boolean plain(int c) {
    return c >= 0x20 && c < 0x7f;
  }
}
