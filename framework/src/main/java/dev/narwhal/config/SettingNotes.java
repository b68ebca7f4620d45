package dev.narwhal.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Valid settings that will not do what their name suggests yet, each explained in one log line at
 * start-up, so nobody believes they limit sync workers' connections, or serve HTTP/2, when they do not.
 */
final class SettingNotes {
  private SettingNotes() {}

  static List<String> of(ServerConfig config) {
    List<String> notes = new ArrayList<>();
    String workerClass = config.get(Settings.WORKER_CLASS);
    int connections = config.get(Settings.WORKER_CONNECTIONS);
    if (connections != ServerConfig.defaults().get(Settings.WORKER_CONNECTIONS) && workerClass.equals("sync")) {
      notes.add(Settings.WORKER_CONNECTIONS.path() + " = " + connections + " has no effect on sync workers "
          + "(it limits virtual and async workers)");
    }
    boolean tls = config.get(Settings.CERTFILE).isPresent();
    if (!tls && config.get(Settings.HTTP_PROTOCOLS).contains("h2")) {
      notes.add(Settings.HTTP_PROTOCOLS.path() + " includes h2, but HTTP/2 over TLS needs certfile: the binds serve "
          + "HTTP/1.1" + (config.get(Settings.HTTP2_CLEARTEXT) ? " and h2c (http2-cleartext)" : " (see http2-cleartext for h2c)"));
    }
    if (tls && config.get(Settings.HTTP2_CLEARTEXT)) {
      notes.add(Settings.HTTP2_CLEARTEXT.path() + " is ignored with certfile set: HTTP/2 is negotiated by ALPN "
          + "(http-protocols)");
    }
    return notes;
  }
}
