package dev.narwhal.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * INTERNAL API. Gives the JVM the {@code proc-name}, where the OS allows it. On Linux, writing
 * {@code /proc/self/comm} renames the process's main thread, which is the name top, {@code ps -e}
 * and pgrep show; the kernel keeps 15 bytes. The command line ({@code ps aux}) cannot be changed
 * from Java. Elsewhere nothing happens.
 */
public final class ProcessName {
  private static final Path COMM = Path.of("/proc/self/comm");
  private static final int MAX = 15;

  private ProcessName() {}

  /** Returns whether the name was applied. */
  public static boolean apply(String name) {
    if (name.isEmpty() || !Files.isWritable(COMM)) {
      return false;
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(COMM, bytes.length <= MAX ? bytes : java.util.Arrays.copyOf(bytes, MAX));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
