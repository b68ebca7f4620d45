package dev.narwhal.dist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A directory read-only for one command alone, as systemd's {@code ProtectSystem=strict} makes an
 * install: a bind mount remounted read-only in a mount namespace of the command's own ({@code
 * unshare -m} keeps its mounts private, so nothing outside sees it, and it ends with the command).
 */
final class ReadOnly {
  private ReadOnly() {}

  /** The wrapper that runs the command after it with {@code dir} read-only. */
  static List<String> wrapper(Path dir) {
    return new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
        "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" \"$0\" && exec \"$@\"", dir.toString()));
  }

  /** Whether this machine lets the wrapper run (root, unshare and mount present). */
  static boolean works() {
    List<String> probe = wrapper(Path.of(System.getProperty("java.io.tmpdir")));
    probe.add("true");
    try {
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
