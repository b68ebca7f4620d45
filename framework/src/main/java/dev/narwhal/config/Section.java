package dev.narwhal.config;

/** The groups settings are listed under in {@code --help} and {@code docs/settings.md}, in gunicorn's order. */
public enum Section {
  CONFIG_FILE("Config File"),
  SERVER_SOCKET("Server Socket"),
  WORKER_PROCESSES("Worker Processes"),
  SERVER_MECHANICS("Server Mechanics"),
  SERVER_HOOKS("Server Hooks"),
  ADMIN("Admin API"),
  METRICS("Metrics");

  private final String title;

  Section(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
