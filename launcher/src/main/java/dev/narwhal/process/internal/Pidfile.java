package dev.narwhal.process.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * INTERNAL API. The {@code pidfile}: checked before start-up, written once the server listens,
 * removed when it exits. A pidfile naming a process that is gone is stale and replaced (a crash or
 * SIGKILL leaves one behind); one naming a running process means another server holds it.
 */
public final class Pidfile {
  private final Path path;
  private final long pid = ProcessHandle.current().pid();

  private Pidfile(Path path) {
    this.path = path;
  }

  /**
   * Fails with a {@link SettingsException} (exit 2) when the configured pidfile names a running
   * process other than this one. The pid may have been reused by an unrelated process; the
   * message says so, since only a person can tell.
   */
  public static void checkFree(ServerConfig config) {
    Optional<Path> configured = config.get(Settings.PIDFILE);
    if (configured.isEmpty()) {
      return;
    }
    OptionalLong holder = read(configured.get());
    if (holder.isPresent() && holder.getAsLong() != ProcessHandle.current().pid()
        && ProcessHandle.of(holder.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
      throw config.invalid(Settings.PIDFILE, "a pidfile no running process holds",
          configured.get() + ", which holds pid " + holder.getAsLong() + ", still running (another narwhal? "
              + "stop it, or delete the file if that process is not one)");
    }
  }

  /** Writes this process's pid, replacing a stale file; atomically, so no reader sees half a pid. */
  public static Optional<Pidfile> write(ServerConfig config) throws IOException {
    Optional<Path> configured = config.get(Settings.PIDFILE);
    if (configured.isEmpty()) {
      return Optional.empty();
    }
    Pidfile pidfile = new Pidfile(configured.get());
    Path temp = Files.createTempFile(pidfile.path.toAbsolutePath().getParent(), ".narwhal", ".pid");
    Files.writeString(temp, pidfile.pid + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(temp, pidfile.path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, pidfile.path, StandardCopyOption.REPLACE_EXISTING);
    }
    return Optional.of(pidfile);
  }

  /** Removes the file if it still holds this process's pid (a newer server may have replaced it). */
  public void remove() {
    try {
      if (read(path).orElse(-1) == pid) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // best effort on the way out; a stale pidfile is replaced by the next start
    }
  }

  public Path path() {
    return path;
  }

  static OptionalLong read(Path path) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip()));
    } catch (NoSuchFileException | NumberFormatException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new SettingsException("narwhal.pidfile: cannot read " + path + ": " + e.getMessage());
    }
  }
}
