package dev.narwhal.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * INTERNAL API. Drops Pekko IO's own report of a bind that failed (an address in use, a host that
 * does not resolve): 30 lines of stack trace ahead of the server's one-line "Cannot listen at
 * ADDRESS: reason", which says the same and is what the exit status 1 goes with. Pekko's other
 * listener errors (a connection it could not accept) stay.
 */
final class PekkoBindFailure extends TurboFilter {
  private static final String LISTENER = "org.apache.pekko.io.TcpListener";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return format != null && format.startsWith("Bind failed") && logger.getName().equals(LISTENER)
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
