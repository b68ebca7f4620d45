package dev.narwhal.http.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.settings.ParserSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import scala.concurrent.duration.FiniteDuration;

/** INTERNAL API. Pekko HTTP's server settings as a Narwhal configuration has them, for every bind. */
final class PekkoSettings {
  /** How much longer than timeout a connection may stay silent while its request runs. */
  private static final Duration IDLE_MARGIN = Duration.ofSeconds(5);

  private PekkoSettings() {}

  /** {@code pekkos} with the backlog, the parser limits, an idle-timeout above timeout and the transport's options. */
  static ServerSettings of(ServerConfig config, Transport transport, ServerSettings pekkos, int backlog) {
    return transport.adapt(withIdleTimeoutAboveTimeout(config, withLimits(config, pekkos.withBacklog(backlog))));
  }

  /**
   * The limit-request-* settings, gunicorn's names for Pekko's parser limits; 0 means none. Pekko's
   * answers to requests over them come from {@link ParsingErrors}.
   */
  private static ServerSettings withLimits(ServerConfig config, ServerSettings settings) {
    long body = config.get(Settings.LIMIT_REQUEST_BODY) == 0 ? Long.MAX_VALUE : config.get(Settings.LIMIT_REQUEST_BODY);
    ParserSettings parser = settings.getParserSettings()
        .withMaxUriLength(limit(config, Settings.LIMIT_REQUEST_LINE))
        // gunicorn's limit is the most fields allowed; Pekko 1.3's parser refuses a head once its
        // field count reaches max-header-count (5 fields were refused at 5), hence one more
        .withMaxHeaderCount(limit(config, Settings.LIMIT_REQUEST_FIELDS) + 1)
        .withMaxHeaderValueLength(limit(config, Settings.LIMIT_REQUEST_FIELD_SIZE))
        .withMaxContentLength(body)
        .withMaxToStrictBytes(body)
        .withCustomMethods(ExtensionMethods.all());
    return answeringParseErrors(settings.withParserSettings(parser));
  }

  /**
   * {@code settings} with {@link ParsingErrors} answering what Pekko's parser refuses. Every bind
   * with {@link RawFramingGuard} needs it: Pekko's default handler answers the guard's sentinel
   * with 501, not the violation's status.
   */
  static ServerSettings answeringParseErrors(ServerSettings settings) {
    return settings.withParsingErrorHandler(ParsingErrors.class.getName());
  }

  /**
   * Pekko's idle-timeout also counts the silence while a handler runs, so it must outlast the
   * worker timeout, or it resets requests a worker would still have answered (keepalive, not
   * idle-timeout, closes idle connections between requests). Raised when shorter; with timeout
   * off it stays as configured.
   */
  private static ServerSettings withIdleTimeoutAboveTimeout(ServerConfig config, ServerSettings settings) {
    long needed = config.get(Settings.TIMEOUT).plus(IDLE_MARGIN).toMillis();
    scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
    if (config.get(Settings.TIMEOUT).isZero() || !idle.isFinite() || idle.toMillis() >= needed) {
      return settings;
    }
    return settings.withTimeouts(settings.getTimeouts().withIdleTimeout(FiniteDuration.create(needed, TimeUnit.MILLISECONDS)));
  }

  /** 0 is "no limit"; not Integer.MAX_VALUE, which Pekko's parser adds offsets to and overflows. */
  private static int limit(ServerConfig config, Setting<Integer> setting) {
    int value = config.get(setting);
    return value == 0 ? 1 << 30 : Math.min(value, 1 << 30); // 1 << 30 leaves room for max-header-count's + 1
  }
}
