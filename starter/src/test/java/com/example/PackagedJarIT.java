package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar you ship, run as production runs it: {@code java -jar target/narwhal-starter.jar}, no APP
 * argument (the manifest names the app), with the command line or a config file, a SIGHUP for a
 * rolling reload and a SIGTERM for a graceful stop.
 */
class PackagedJarIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Pattern LISTENING = Pattern.compile("Listening at: http://127\\.0\\.0\\.1:(\\d+)");
  static final Pattern ADMIN = Pattern.compile("Admin API at: http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path dir;
  Process process;
  final BlockingQueue<String> log = new LinkedBlockingQueue<>();
  final List<String> seen = new ArrayList<>();
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  void start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar", System.getProperty("app.jar")));
    command.addAll(List.of(args));
    process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(log::add);
      } catch (Exception ended) {
        // the process exited
      }
    });
  }

  /** Waits for a log line matching {@code pattern}; returns its first group. */
  String awaitLog(Pattern pattern) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (String line : seen) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : line;
      }
    }
    while (System.nanoTime() < deadline) {
      String line = log.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        assertThat(process.isAlive()).as("the server is running; its log: %s", seen).isTrue();
        continue;
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : line;
      }
    }
    throw new AssertionError("no log line like " + pattern + " within " + WAIT + "; log: " + seen);
  }

  HttpResponse<String> get(String port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode stats(String adminPort) throws Exception {
    return json.readTree(get(adminPort, "/stats").body());
  }

  void signal(String name) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor()).isZero();
  }

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void the_command_line_sets_the_workers_and_sigterm_stops_gracefully_with_exit_0() throws Exception {
    start("-w", "4", "-b", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0");
    String port = awaitLog(LISTENING);
    String admin = awaitLog(ADMIN);

    assertThat(get(port, "/").body()).isEqualTo("Hello from com.example.App\n");
    assertThat(stats(admin).path("workers")).hasSize(4);

    signal("TERM");
    assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void a_config_file_is_honoured_and_sighup_rolls_the_workers_without_a_failed_request() throws Exception {
    Path conf = Files.writeString(dir.resolve("narwhal.conf"), """
        narwhal {
          bind = "127.0.0.1:0"
          admin-bind = "127.0.0.1:0"
          workers = 3
        }
        """);
    start("-c", conf.toString());
    String port = awaitLog(LISTENING);
    String admin = awaitLog(ADMIN);
    assertThat(stats(admin).path("workers")).hasSize(3);

    AtomicBoolean reloading = new AtomicBoolean(true);
    List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread load = Thread.ofPlatform().start(() -> {
      while (reloading.get()) {
        try {
          statuses.add(get(port, "/hello?name=reload").statusCode());
        } catch (Exception e) {
          statuses.add(-1);
        }
      }
    });
    signal("HUP");
    awaitLog(Pattern.compile("Reload complete: every worker is in phase 2"));
    reloading.set(false);
    load.join(WAIT.toMillis());

    assertThat(statuses).isNotEmpty().containsOnly(200);
    assertThat(stats(admin).path("workers")).hasSize(3);
    signal("TERM");
    assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }
}
