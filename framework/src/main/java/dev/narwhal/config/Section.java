package dev.narwhal.config;

/** The groups settings are listed under in {@code --help} and {@code docs/settings.md}: gunicorn's section names, socket first, hooks last. */
public enum Section {
  CONFIG_FILE("Config File"),
  DEBUGGING("Debugging"),
  SERVER_SOCKET("Server Socket"),
  WORKER_PROCESSES("Worker Processes"),
  SECURITY("Security"),
  SERVER_MECHANICS("Server Mechanics"),
  LOGGING("Logging"),
  PROCESS_NAMING("Process Naming"),
  SSL("SSL"),
  HTTP2("HTTP/2"),
  SERVER_HOOKS("Server Hooks"),
  ADMIN("Admin API"),
  METRICS("Metrics"),
  CLUSTER("Cluster"),
  WEBAPP("Servlet Web App");

  private final String title;

  Section(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
