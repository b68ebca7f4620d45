package dev.narwhal.dist;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * bin/narwhal run as a user would: a separate process, its output in a file, real signals. Close
 * it to kill whatever is left.
 */
final class NarwhalProcess implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path LAUNCHER = ROOT.resolve("bin/narwhal");
  static final Duration START = Duration.ofSeconds(60);

  final Process process;
  final Path log;
  final int port;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private NarwhalProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts bin/narwhal with {@code args}; output goes to {@code log}. */
  static NarwhalProcess launch(Path log, String... args) throws IOException {
    return launch(log, 0, args);
  }

  /** Starts bin/narwhal bound to a free loopback port, then {@code args}. */
  static NarwhalProcess serve(Path log, String... args) throws IOException {
    return serve(log, Map.of(), args);
  }

  /** Like {@link #serve(Path, String...)}, with extra environment variables. */
  static NarwhalProcess serve(Path log, Map<String, String> environment, String... args) throws IOException {
    return serveWrapped(log, environment, List.of(), args);
  }

  /**
   * Like {@link #serve(Path, Map, String...)}, with bin/narwhal started by {@code wrapper} (a
   * command that ends by exec-ing its arguments, e.g. one that first moves itself into a cgroup).
   */
  static NarwhalProcess serveWrapped(Path log, Map<String, String> environment, List<String> wrapper, String... args)
      throws IOException {
    int port = freePort();
    List<String> all = new ArrayList<>(List.of("-b", "127.0.0.1:" + port));
    all.addAll(List.of(args));
    return launch(log, port, environment, wrapper, all.toArray(String[]::new));
  }

  /** Like {@link #launch(Path, String...)}, with extra environment variables. */
  static NarwhalProcess launch(Path log, Map<String, String> environment, String... args) throws IOException {
    return launch(log, 0, environment, List.of(), args);
  }

  private static NarwhalProcess launch(Path log, int port, String... args) throws IOException {
    return launch(log, port, Map.of(), List.of(), args);
  }

  private static NarwhalProcess launch(Path log, int port, Map<String, String> environment, List<String> wrapper,
      String... args) throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    // a free port for the admin API unless a test chooses: parallel runs must not fight over 9191
    builder.environment().putIfAbsent("NARWHAL_ADMIN_BIND", "127.0.0.1:0");
    // no AOT cache: its training would run inside whichever test launches first; AotCacheIntegrationTest covers it
    builder.environment().putIfAbsent("NARWHAL_AOT", "off");
    return new NarwhalProcess(builder.start(), log, port);
  }

  /** A port for the process to bind: outside the ephemeral range, which its own connections draw from. */
  static int freePort() throws IOException {
    return dev.narwhal.testing.Ports.outsideEphemeralRange();
  }

  /** Everything the process has printed so far. */
  String output() {
    return read(log);
  }

  /** A log file's content so far; empty while it does not exist. */
  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the output contains {@code text}. */
  NarwhalProcess awaitOutput(String text, Duration atMost) {
    try {
      // a process that has exited will say nothing more: no need to wait out the whole budget
      await().atMost(atMost).until(() -> output().contains(text) || !process.isAlive());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // what the server said is what explains a timeout; CI keeps no temporary files
      throw new AssertionError("no \"" + text + "\" in narwhal's output within " + atMost + "; output:\n" + output(), e);
    }
    if (!output().contains(text)) {
      throw new AssertionError("no \"" + text + "\" in narwhal's output: it exited with status "
          + process.exitValue() + "; output:\n" + output());
    }
    return this;
  }

  /** Waits for the ready line. */
  NarwhalProcess awaitReady() {
    return awaitOutput("Listening at: http://127.0.0.1:" + port, START);
  }

  /** How many times {@code text} occurs in the output. */
  int count(String text) {
    return output().split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  /** Sends a signal by name (TERM, INT, HUP, TTIN, ...) to the PID bin/narwhal was started as. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  /**
   * Sends SIGTERM straight from this JVM (Process.destroy is kill(2) with SIGTERM on Unix), without
   * forking kill(1): for tests that time what follows the signal.
   */
  void terminate() {
    process.destroy();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
  }

  /** Waits for the process to exit and returns its status. */
  int exitStatus(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("narwhal did not exit within " + atMost + "; output:\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    // what the launcher started before its exec (an AOT training) would outlive it, and hold its lock
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    client.close();
  }
}
