package dev.narwhal.config;

/**
 * A {@code HOST:PORT} the server listens on. Port {@code 0} asks the OS for a free port.
 *
 * <p>Accepted forms, as gunicorn's {@code --bind}: {@code HOST:PORT}, {@code [IPv6]:PORT},
 * {@code HOST} (port 8000) and {@code :PORT} (all interfaces).
 */
public record BindAddress(String host, int port) {
  public static final int DEFAULT_PORT = 8000;

  public BindAddress {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /** Parses one bind; throws {@link IllegalArgumentException} naming what is wrong. */
  public static BindAddress parse(String text) {
    String s = text.strip();
    if (s.startsWith("unix:")) {
      throw new IllegalArgumentException("unix sockets are not supported; use HOST:PORT");
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in IPv6 address");
      }
      String host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        return new BindAddress(host, DEFAULT_PORT);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':PORT' after ']'");
      }
      return new BindAddress(host, port(rest.substring(1)));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      return new BindAddress(s, DEFAULT_PORT);
    }
    if (s.indexOf(':') != colon) {
      throw new IllegalArgumentException("IPv6 addresses need brackets, e.g. [::1]:8000");
    }
    String host = s.substring(0, colon);
    return new BindAddress(host.isEmpty() ? "0.0.0.0" : host, port(s.substring(colon + 1)));
  }

  private static int port(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port must be a number, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
