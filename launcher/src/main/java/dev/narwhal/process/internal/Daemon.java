package dev.narwhal.process.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * INTERNAL API. {@code daemon}: a JVM cannot fork, so the narwhal command starts a second JVM with
 * the same arguments, detached (a new session through {@code setsid} where it exists, stdin from
 * /dev/null, stdout and stderr appended to the error log file), and waits until that server
 * listens. The child knows it is the child from {@value #READY_FILE}, where it writes its pid
 * once ready; the parent then prints the pid and exits 0, or exits with the child's status if it
 * fails first.
 *
 * <p>Unlike the foreground server, the detached one runs in {@code chdir} and has the
 * {@code raw-env} entries in its real environment: both are set when it is spawned.
 */
public final class Daemon {
  /** Set in the detached server's environment: where to announce readiness. */
  static final String READY_FILE = "NARWHAL_DAEMON_READY_FILE";
  /** Set in the detached server's environment: the directory the command was started in. */
  public static final String LAUNCH_DIR = "NARWHAL_LAUNCH_DIR";
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path DEV_NULL = Path.of("/dev/null");
  private static final String MAIN = "dev.narwhal.Main";

  private Daemon() {}

  /** True in the foreground command when daemon is on; false in the detached server itself. */
  public static boolean shouldDetach(ServerConfig config) {
    return config.get(Settings.DAEMON) && System.getenv(READY_FILE) == null;
  }

  /** In the detached server, once it listens: tells the waiting command, which then exits. */
  public static void announceReady() throws IOException {
    String ready = System.getenv(READY_FILE);
    if (ready != null) {
      Path temp = Path.of(ready + ".tmp");
      Files.writeString(temp, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
      Files.move(temp, Path.of(ready));
    }
  }

  /** Starts the detached server and waits for it; returns the command's exit status. */
  public static int detach(List<String> args, ServerConfig config, PrintStream out, PrintStream err) throws IOException {
    Path ready = Files.createTempDirectory("narwhal-daemon").resolve("ready");
    ProcessBuilder builder = new ProcessBuilder(command(args))
        .directory(config.get(Settings.CHDIR).orElse(Path.of("").toAbsolutePath()).toFile())
        .redirectInput(DEV_NULL.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output(config));
    Map<String, String> env = builder.environment();
    env.putAll(config.get(Settings.RAW_ENV));
    env.put(READY_FILE, ready.toString());
    env.put(LAUNCH_DIR, Path.of("").toAbsolutePath().toString());
    if (config.get(Settings.ERRORLOG).equals("-")) {
      err.println("narwhal: note: errorlog is '-': the background server's error log is discarded; give a file");
    }
    Process child = builder.start();
    try {
      return awaitReady(child, ready, out, err);
    } finally {
      Files.deleteIfExists(ready);
      Files.deleteIfExists(ready.getParent());
    }
  }

  private static int awaitReady(Process child, Path ready, PrintStream out, PrintStream err) throws IOException {
    try {
      while (!Files.exists(ready)) {
        if (child.waitFor(50, TimeUnit.MILLISECONDS)) {
          err.println("narwhal: error: the background server exited with status " + child.exitValue()
              + " before it was ready (see the error log)");
          return child.exitValue() == 0 ? 1 : child.exitValue();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    out.println("narwhal: running in the background, pid " + Files.readString(ready).strip());
    return 0;
  }

  /** The same JVM, options, classpath and arguments; only the detachment differs. */
  private static List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString()); // a new session: no controlling terminal, no SIGHUP on logout
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(absoluteClasspath());
    command.add(MAIN);
    command.addAll(args);
    return command;
  }

  /** The child may run in another directory (chdir), so every classpath entry must be absolute. */
  private static String absoluteClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static ProcessBuilder.Redirect output(ServerConfig config) {
    String errorlog = config.get(Settings.ERRORLOG);
    return errorlog.equals("-") ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(new File(errorlog));
  }
}
