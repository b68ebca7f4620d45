package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs bin/narwhal as a user would: a separate process, real signals, real exit statuses. */
class LauncherIntegrationTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path LAUNCHER = ROOT.resolve("bin/narwhal");
  static final Duration START = Duration.ofSeconds(60);

  final List<Process> started = new ArrayList<>();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path tmp;

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  Process launch(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void serves_hello_with_five_workers_and_exits_0_on_sigterm() throws Exception {
    int port = freePort();
    Path log = tmp.resolve("out.log");
    Process narwhal = launch(log, "-w", "5", "-b", "127.0.0.1:" + port, "hello");

    await().atMost(START).until(() -> read(log).contains("Listening at: http://127.0.0.1:" + port));
    assertThat(read(log)).contains("5 sync workers");
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("Hello, World!");

    narwhal.destroy(); // SIGTERM, sent to the PID the launcher was started as
    assertThat(narwhal.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(narwhal.exitValue()).isZero();
    assertThat(read(log)).contains("Shutdown complete");
  }

  @Test
  void help_lists_the_options_and_exits_0() throws Exception {
    Path log = tmp.resolve("help.log");
    Process help = launch(log, "--help");
    assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(read(log)).contains("usage: narwhal [OPTIONS] APP", "-w, --workers", "-b, --bind", "--backlog",
        "-c, --config");
  }

  @Test
  void a_bad_config_file_exits_2_with_one_line_naming_file_line_and_key() throws Exception {
    Path conf = Files.writeString(tmp.resolve("bad.conf"), "narwhal {\n  workers = many\n}\n");
    Path log = tmp.resolve("bad.log");
    Process bad = launch(log, "-c", conf.toString(), "hello");
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(read(log).strip()).isEqualTo("narwhal: error: " + conf + ":2: narwhal.workers: "
        + "expected a whole number >= 1, or 'auto' (2 x cores + 1), got 'many'");
  }

  @Test
  void an_unknown_app_exits_2_and_lists_the_bundled_ones() throws Exception {
    Path log = tmp.resolve("app.log");
    Process bad = launch(log, "com.example.Missing");
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(read(log)).contains("com.example.Missing").contains("hello").contains("echo").contains("chaos")
        .doesNotContain("Exception");
  }

  @Test
  void an_address_in_use_exits_1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path log = tmp.resolve("inuse.log");
      Process p = launch(log, "-b", "127.0.0.1:" + taken.getLocalPort(), "hello");
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(read(log)).contains("Cannot listen at 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void serves_an_app_compiled_outside_the_jar_from_its_classpath() throws Exception {
    Path src = Files.writeString(tmp.resolve("Shout.java"), """
        public class Shout implements dev.narwhal.Application {
          public dev.narwhal.Response handle(dev.narwhal.Request r) {
            return dev.narwhal.Response.ok(r.path().toUpperCase());
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    int javac = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
    assertThat(javac).isZero();

    int port = freePort();
    Path log = tmp.resolve("own.log");
    Process narwhal = launch(log, "--classpath", classes.toString(), "-b", "127.0.0.1:" + port, "Shout");
    await().atMost(START).until(() -> read(log).contains("Listening at"));
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quiet")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("/QUIET");
    narwhal.destroy();
    assertThat(narwhal.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
