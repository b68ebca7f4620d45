package dev.narwhal.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Valid settings that will not do what their name suggests yet, each explained in one log line at
 * start-up, so nobody believes they limit sync workers' connections when they do not.
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
    return notes;
  }
}
