package dev.narwhal.supervisor;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a worker is doing, as {@code /stats}, {@code narwhal_workers} and the dashboard show it.
 * {@link #label()} is the word they print (and what a node report carries over the cluster), so
 * renaming a constant changes no output.
 */
public enum WorkerState {
  /** Its application is starting; it takes no requests yet. */
  BOOTING("booting"),
  /** Booted, running no request. */
  IDLE("idle"),
  /** Booted, running at least one request. */
  BUSY("busy"),
  /** Retiring: finishing the requests in hand, taking no new one. */
  DRAINING("draining");

  private final String label;

  WorkerState(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** Booted and not retiring: it serves. */
  public boolean serves() {
    return this == IDLE || this == BUSY;
  }
}
