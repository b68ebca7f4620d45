package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-management and logging settings through bin/narwhal, as an operator uses them:
 * pidfile, proc-name, log files and SIGUSR1, capture-output, daemon, chdir, raw-env.
 */
class ProcessSettingsIntegrationTest {
  static final Path ROOT = NarwhalProcess.ROOT;
  static final Duration START = NarwhalProcess.START;

  final List<Process> started = new ArrayList<>();
  final List<Long> daemons = new ArrayList<>();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path tmp;

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
    daemons.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  Process launch(Path out, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(NarwhalProcess.LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    builder.environment().put("NARWHAL_AOT", "off"); // see NarwhalProcess
    Process p = builder.start();
    started.add(p);
    return p;
  }

  String get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static String read(Path file) {
    return NarwhalProcess.read(file);
  }

  static void signal(long pid, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
  }

  /** An application that prints to System.out, to see where capture-output sends it. */
  Path printingApp() throws IOException {
    Path src = Files.writeString(tmp.resolve("Printer.java"), """
        public class Printer implements dev.narwhal.Application {
          public dev.narwhal.Response handle(dev.narwhal.Request r) {
            System.out.println("printed by the app for " + r.path());
            return dev.narwhal.Response.ok("printed");
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaSources.compile(src, classes);
    return classes;
  }

  @Test
  void writes_the_pidfile_after_bind_names_the_process_and_removes_the_pidfile_on_exit() throws Exception {
    int port = NarwhalProcess.freePort();
    Path pidfile = tmp.resolve("narwhal.pid");
    Path errorLog = tmp.resolve("error.log");
    Process narwhal = launch(tmp.resolve("out.log"), "-b", "127.0.0.1:" + port, "-p", pidfile.toString(),
        "-n", "django-blog", "--error-logfile", errorLog.toString(), "hello");

    await().atMost(START).until(() -> Files.exists(pidfile));
    assertThat(read(errorLog)).as("the pidfile is written once the server listens").contains("Listening at:");
    assertThat(read(pidfile).strip()).isEqualTo(Long.toString(narwhal.pid()));
    assertThat(read(errorLog)).containsPattern("\\] \\[django-blog\\] \\[" + narwhal.pid() + "\\] \\[INFO\\] Listening at: ");
    assertThat(Files.readString(Path.of("/proc/" + narwhal.pid() + "/comm")).strip()).isEqualTo("django-blog");
    assertThat(read(tmp.resolve("out.log"))).as("the error log went to its file").doesNotContain("Listening");

    narwhal.destroy();
    assertThat(narwhal.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(narwhal.exitValue()).isZero();
    assertThat(pidfile).doesNotExist();
  }

  @Test
  void log_files_take_captured_output_and_are_reopened_on_sigusr1_after_logrotate() throws Exception {
    int port = NarwhalProcess.freePort();
    Path access = tmp.resolve("access.log");
    Path error = tmp.resolve("error.log");
    Process narwhal = launch(tmp.resolve("out.log"), "--classpath", printingApp().toString(), "-b", "127.0.0.1:" + port,
        "--access-logfile", access.toString(), "--error-logfile", error.toString(), "--capture-output",
        "--log-level", "debug", "Printer");
    await().atMost(START).until(() -> read(error).contains("Listening at"));

    assertThat(get(port, "/before")).isEqualTo("printed");
    await().atMost(Duration.ofSeconds(10)).until(() -> read(access).contains("\"GET /before HTTP/1.1\" 200 7")
        && read(error).contains("[INFO] printed by the app for /before"));
    assertThat(read(error)).contains("[DEBUG]");

    Files.move(access, tmp.resolve("access.log.1"));
    Files.move(error, tmp.resolve("error.log.1"));
    signal(narwhal.pid(), "USR1");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(access));
    assertThat(get(port, "/after")).isEqualTo("printed");
    await().atMost(Duration.ofSeconds(10)).until(() -> read(access).contains("GET /after")
        && read(error).contains("printed by the app for /after"));
    assertThat(read(tmp.resolve("access.log.1"))).contains("GET /before").doesNotContain("GET /after");
    assertThat(read(tmp.resolve("out.log"))).doesNotContain("printed by the app");
    narwhal.destroy();
    assertThat(narwhal.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void daemon_detaches_into_chdir_with_raw_env_and_the_command_exits_0_once_it_listens() throws Exception {
    int port = NarwhalProcess.freePort();
    Path home = Files.createDirectories(tmp.resolve("srv"));
    Path out = tmp.resolve("out.log");
    Process command = launch(out, "-D", "--chdir", home.toString(), "-p", "narwhal.pid", "--error-logfile", "error.log",
        "-e", "GREETING=Bonjour", "-b", "127.0.0.1:" + port, "greeter");
    assertThat(command.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Matcher announced = Pattern.compile("running in the background, pid (\\d+)").matcher(read(out));
    assertThat(announced.find()).as(read(out)).isTrue();
    long pid = Long.parseLong(announced.group(1));
    daemons.add(pid);
    assertThat(command.exitValue()).isZero();

    assertThat(get(port, "/")).isEqualTo("Bonjour, World!\n");
    assertThat(read(home.resolve("narwhal.pid")).strip()).as("relative to chdir").isEqualTo(Long.toString(pid));
    assertThat(read(home.resolve("error.log"))).contains("Listening at");
    assertThat(Path.of("/proc/" + pid + "/cwd").toRealPath()).isEqualTo(home.toRealPath());
    ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
    assertThat(daemon.parent().map(ProcessHandle::pid).orElse(-1L)).isNotEqualTo(command.pid());

    signal(pid, "TERM");
    daemon.onExit().get(30, TimeUnit.SECONDS);
    assertThat(home.resolve("narwhal.pid")).doesNotExist();
  }
}
