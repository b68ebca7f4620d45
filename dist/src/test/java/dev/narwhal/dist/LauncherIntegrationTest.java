package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/narwhal as a user runs it: ready line, exit statuses, bad input, apps outside the jar. */
class LauncherIntegrationTest {
  static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  @Test
  void serves_hello_with_five_workers_and_exits_0_on_sigterm() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "5", "hello")) {
      n.awaitReady();
      assertThat(n.output()).contains("5 sync workers");
      HttpResponse<String> response = n.get("/");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Hello, World!");

      n.signal("TERM");
      assertThat(n.exitStatus(EXIT)).isZero();
      assertThat(n.output()).contains("Shutdown complete");
    }
  }

  @Test
  void a_server_without_a_cluster_loads_no_remoting_cluster_or_jackson_serializer_classes() throws Exception {
    Path classes = tmp.resolve("classes.log");
    // the runnable jar carries them for the cluster module; Pekko would make every serializer at start
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"),
        Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes, "NARWHAL_AOT", "off"),
        "-w", "2", "--admin-bind", "off", "hello")) {
      n.awaitReady();
      assertThat(n.get("/").statusCode()).isEqualTo(200);
      String loaded = Files.readString(classes);
      assertThat(loaded).contains("org.apache.pekko.serialization.Serialization ")
          .doesNotContain("org.apache.pekko.cluster.", "org.apache.pekko.remote.", "org.apache.pekko.serialization.jackson.");
    }
  }

  @Test
  void a_plain_server_and_its_admin_api_make_no_default_ssl_context() throws Exception {
    Path classes = tmp.resolve("classes.log");
    int adminPort = NarwhalProcess.freePort();
    // Pekko's TLSPlacebo would make one (security providers, the cacerts trust store) for a placeholder session
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"),
        Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
        "-w", "2", "--admin-bind", "127.0.0.1:" + adminPort, "hello")) {
      n.awaitReady().awaitOutput("Admin API at: http://127.0.0.1:" + adminPort, EXIT);
      assertThat(n.get("/").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(Files.readString(classes)).contains("org.apache.pekko.http.scaladsl.HttpExt ")
          .doesNotContain("TLSPlacebo", "SSLContextImpl$DefaultSSLContext");
    }
  }

  @Test
  void the_server_gives_the_native_memory_it_freed_back_to_the_system_every_5_s() throws Exception {
    // glibc keeps what the JVM frees (the JIT's, mostly) and counts it in RSS: 17-22 MiB idle
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), Map.of("JAVA_OPTS", "-Xlog:trimnative"),
        "-w", "2", "hello")) {
      n.awaitReady();
      assertThat(n.output()).contains("Periodic native trim enabled (interval: 5000 ms)");
      n.awaitOutput("Periodic Trim (1)", Duration.ofSeconds(30));
      n.terminate();
      assertThat(n.exitStatus(EXIT)).isZero();
    }
  }

  @Test
  void help_lists_the_options_and_exits_0() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("help.log"), "--help")) {
      assertThat(n.exitStatus(EXIT)).isZero();
      assertThat(n.output()).contains("usage: narwhal [OPTIONS] APP", "-w, --workers", "-b, --bind", "--backlog",
          "-c, --config");
    }
  }

  @Test
  void a_bad_config_file_exits_2_with_one_line_naming_file_line_and_key() throws Exception {
    Path conf = Files.writeString(tmp.resolve("bad.conf"), "narwhal {\n  workers = many\n}\n");
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("bad.log"), "-c", conf.toString(), "hello")) {
      assertThat(n.exitStatus(EXIT)).isEqualTo(2);
      assertThat(n.output().strip()).isEqualTo("narwhal: error: " + conf + ":2: narwhal.workers: "
          + "expected a whole number >= 1, or 'auto' (2 x cores + 1), got 'many'");
    }
  }

  @Test
  void logconfig_logs_with_the_user_s_own_logback_file() throws Exception {
    Path xml = Files.writeString(tmp.resolve("logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>ACME %level %logger - %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("own.log"), "--log-config", xml.toString(), "hello")) {
      n.awaitReady();
      assertThat(n.output()).contains("ACME INFO narwhal - Listening at: http://127.0.0.1:");
      n.signal("TERM");
      assertThat(n.exitStatus(EXIT)).isZero();
    }
    // Logback's own way of naming its file works the same, from its first line on
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("property.log"),
        Map.of("JAVA_OPTS", "-Dlogback.configurationFile=" + xml), "hello")) {
      n.awaitReady();
      assertThat(n.output()).contains("ACME INFO narwhal - Starting narwhal", "ACME INFO narwhal - Listening at:");
    }
  }

  @Test
  void a_logconfig_file_logback_finds_errors_in_exits_2_naming_it() throws Exception {
    Path xml = Files.writeString(tmp.resolve("broken.xml"),
        "<configuration><appender name=\"X\" class=\"com.example.Nope\"/><root><appender-ref ref=\"X\"/></root></configuration>");
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("broken.log"), "--log-config", xml.toString(), "hello")) {
      assertThat(n.exitStatus(EXIT)).isEqualTo(2);
      assertThat(n.output()).contains("narwhal.logconfig: expected a Logback configuration file Logback reads "
          + "without errors, got '" + xml + "'").doesNotContain("\tat ");
    }
  }

  @Test
  void an_unknown_app_exits_2_and_lists_the_bundled_ones() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("app.log"), "com.example.Missing")) {
      assertThat(n.exitStatus(EXIT)).isEqualTo(2);
      assertThat(n.output()).contains("com.example.Missing").contains("hello").contains("echo").contains("chaos")
          .doesNotContain("Exception");
    }
  }

  @Test
  void an_address_in_use_exits_1_with_one_line_saying_so() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("inuse.log"), "-b",
            "127.0.0.1:" + taken.getLocalPort(), "hello")) {
      assertThat(n.exitStatus(EXIT)).isEqualTo(1);
      assertThat(n.output()).contains("Cannot listen at 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\tat ").doesNotContain("Bind failed"); // the one line, not Pekko's stack trace too
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
    JavaSources.compile(src, classes);

    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("own.log"), "--classpath", classes.toString(), "Shout")) {
      n.awaitReady();
      assertThat(n.get("/quiet").body()).isEqualTo("/QUIET");
    }
  }

  @Test
  void a_servlet_app_from_the_classpath_sees_its_own_classes_and_resources() throws Exception {
    // as the README's SpringApp: Spring reads its config class and controllers through these loaders
    Path src = Files.writeString(tmp.resolve("ProbeApp.java"), """
        public class ProbeApp extends dev.narwhal.servlet.ServletApp {
          public ProbeApp() {
            super(dev.narwhal.servlet.ServletApp.builder().servlet("probe", new jakarta.servlet.http.HttpServlet() {
              @Override
              protected void doGet(jakarta.servlet.http.HttpServletRequest req,
                  jakarta.servlet.http.HttpServletResponse resp) throws java.io.IOException {
                resp.getWriter().print((getServletContext().getClassLoader().getResource("probe.txt") != null)
                    + " " + (Thread.currentThread().getContextClassLoader().getResource("probe.txt") != null)
                    + " " + (getServletContext().getResource("/probe.txt") != null));
              }
            }, "/*"));
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaSources.compile(src, classes);
    Files.writeString(classes.resolve("probe.txt"), "the app's own resource");

    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("probe.log"), "--classpath", classes.toString(), "ProbeApp")) {
      n.awaitReady();
      assertThat(n.get("/").body()).isEqualTo("true true true");
    }
  }

  @Test
  void runs_a_worker_extension_named_by_worker_class() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("ext.log"), "-k", "dev.narwhal.examples.KeeperWorker",
        "hello")) {
      n.awaitReady();
      assertThat(n.output()).contains("Worker extension dev.narwhal.examples.KeeperWorker over the sync worker class");
      assertThat(n.get("/").headers().firstValue("x-keeper-refreshes")).isPresent();
    }
  }

  @Test
  void an_unknown_worker_extension_exits_2_without_a_stack_trace() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("noext.log"), "-k", "com.example.Nope", "hello")) {
      assertThat(n.exitStatus(EXIT)).isEqualTo(2);
      assertThat(n.output()).contains("com.example.Nope").doesNotContain("\tat ");
    }
  }
}
