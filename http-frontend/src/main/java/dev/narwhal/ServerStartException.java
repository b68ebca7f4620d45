package dev.narwhal;

/**
 * The server could not start: a socket could not be bound, or workers could not boot. The message
 * is meant for the terminal; {@link #exitStatus()} is what the CLI exits with (gunicorn's
 * convention: 3 when workers cannot boot, 1 otherwise).
 */
public final class ServerStartException extends Exception {
  private final int exitStatus;

  public ServerStartException(String message, int exitStatus) {
    super(message, null, false, false);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
