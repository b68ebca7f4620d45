package dev.narwhal.dist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A cgroup of its own with a memory limit, created by the test (no systemd needed: the CI machine
 * and containers may not run it as PID 1), on cgroup v2 ({@code memory.max}, {@code memory.events})
 * or v1 ({@code memory.limit_in_bytes}, {@code memory.oom_control}). A process joins it with
 * {@link #wrapper}: a shell writes its own PID into {@code cgroup.procs} and then execs the command,
 * so the JVM is inside from its first instruction and its container detection sees the limit.
 * {@link #close} kills what is left inside and removes the directory.
 */
final class MemoryCgroup implements AutoCloseable {
  static final Path ROOT = Path.of("/sys/fs/cgroup");

  final Path dir;
  final boolean v2;

  private MemoryCgroup(Path dir, boolean v2) {
    this.dir = dir;
    this.v2 = v2;
  }

  /**
   * A new cgroup limited to {@code bytes}. Where none can be made (not root, no memory controller)
   * the test is skipped, except in CI ({@code CI=true}), where that is a broken machine and fails.
   */
  static MemoryCgroup create(long bytes) throws IOException {
    String name = "narwhal-test-" + UUID.randomUUID().toString().substring(0, 8);
    Optional<MemoryCgroup> made = Files.isRegularFile(ROOT.resolve("cgroup.controllers"))
        ? v2(name) : v1(name);
    if (made.isEmpty()) {
      String why = "cannot create a cgroup with a memory limit under " + ROOT + " (needs root and the memory controller)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + "; CI must run this test");
      }
      assumeTrue(false, why);
    }
    MemoryCgroup cgroup = made.get();
    Files.writeString(cgroup.dir.resolve(cgroup.v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(bytes));
    if (!cgroup.v2 && Files.exists(cgroup.dir.resolve("memory.memsw.limit_in_bytes"))) {
      // with swap accounting, the limit must bound memory + swap too, or the JVM swaps instead of dying
      Files.writeString(cgroup.dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
    }
    return cgroup;
  }

  /**
   * v2: a child of the root, or of this JVM's own cgroup, whose subtree has (or can be given) the
   * memory controller. The root is first: a non-root cgroup with processes in it cannot hand
   * controllers to children ("no internal processes").
   */
  private static Optional<MemoryCgroup> v2(String name) {
    List<Path> parents = List.of(ROOT, ownV2Cgroup());
    for (Path parent : parents) {
      try {
        if (!Files.readString(parent.resolve("cgroup.subtree_control")).contains("memory")) {
          Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory");
        }
        Path dir = Files.createDirectory(parent.resolve(name));
        if (Files.exists(dir.resolve("memory.max"))) {
          return Optional.of(new MemoryCgroup(dir, true));
        }
        Files.delete(dir);
      } catch (IOException | RuntimeException cannot) {
        // not this parent: try the next
      }
    }
    return Optional.empty();
  }

  private static Path ownV2Cgroup() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        if (line.startsWith("0::")) {
          return ROOT.resolve(line.substring(3).replaceFirst("^/", ""));
        }
      }
    } catch (IOException unreadable) {
      // fall through to the root
    }
    return ROOT;
  }

  private static Optional<MemoryCgroup> v1(String name) {
    try {
      Path dir = Files.createDirectory(ROOT.resolve("memory").resolve(name));
      return Optional.of(new MemoryCgroup(dir, false));
    } catch (IOException | RuntimeException cannot) {
      return Optional.empty();
    }
  }

  /** The command prefix that starts what follows inside this cgroup. */
  List<String> wrapper() {
    return List.of("sh", "-c", "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$0\" \"$@\"");
  }

  /** How many times the kernel's OOM killer killed a process in here. */
  long oomKills() throws IOException {
    String counters = Files.readString(dir.resolve(v2 ? "memory.events" : "memory.oom_control"));
    return counters.lines().filter(l -> l.startsWith("oom_kill ")).mapToLong(l -> Long.parseLong(l.substring(9).trim()))
        .findFirst().orElse(0);
  }

  /** The most memory the cgroup has held (bytes), where the kernel says; -1 where it does not. */
  long peak() throws IOException {
    Path file = dir.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
    return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : -1;
  }

  /** Kills whatever still runs inside, waits for the cgroup to empty, removes it. */
  @Override
  public void close() throws IOException {
    Path procs = dir.resolve("cgroup.procs");
    for (String pid : Files.readAllLines(procs)) {
      ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(procs).isBlank());
    // a cgroup directory is removed with rmdir, whatever files the kernel shows in it
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      Files.delete(dir);
      return true;
    });
  }
}
