package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The narwhal command up to the point where it would serve: config errors, --check-config, --print-config. */
class MainTest {
  @TempDir
  Path dir;

  record Result(int status, String out, String err) {}

  /** An APP these tests can name: the examples are not on this module's class path. */
  public static final class Hi implements Application {
    @Override
    public Response handle(Request request) {
      return Response.ok("hi");
    }
  }

  static final String HI = Hi.class.getName();

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path conf(String body) throws Exception {
    return Files.writeString(dir.resolve("bad.conf"), "# a deployment's settings\nnarwhal {\n  " + body + "\n}\n");
  }

  /** Bad configs beyond those LauncherIntegrationTest runs through bin/narwhal; each on line 3 of its file. */
  static Stream<Arguments> bad_configs() {
    return Stream.of(
        Arguments.of("bind = \"127.0.0.1:99999\"", "narwhal.bind: expected HOST:PORT, [IPv6]:PORT or HOST, got '127.0.0.1:99999' (port must be 0..65535, got 99999)"),
        Arguments.of("worker-class = gevent", "narwhal.worker-class: expected one of: sync, gthread, virtual, async, or a class name like com.example.MyWorker, got 'gevent'"),
        Arguments.of("raw-env = [\"DEBUG\"]", "narwhal.raw-env: expected KEY=VALUE entries (a list of strings, or an object of strings), got 'DEBUG'"),
        Arguments.of("chdir = /nonexistent/narwhal", "narwhal.chdir: expected an existing directory, or \"\" to stay in the directory Narwhal starts in, got '/nonexistent/narwhal', which does not exist"),
        Arguments.of("loglevel = verbose", "narwhal.loglevel: expected one of: debug, info, warning, error, critical, got 'verbose'"),
        Arguments.of("access-log-format = \"%(h)s %(z)s\"", "narwhal.access-log-format: expected a gunicorn access-log format"),
        Arguments.of("keyfile = /nonexistent/key.pem", "narwhal.keyfile: expected a readable PEM file with a private key, or \"\" for none, got '/nonexistent/key.pem', which does not exist"),
        Arguments.of("workers = [2, 3]", "narwhal.workers: expected a whole number >= 1, or 'auto' (2 x cores + 1), got a list"),
        Arguments.of("threads = 0", "narwhal.threads: expected a whole number >= 1, got '0'"),
        Arguments.of("pools { reports { keepalive = 5 } }", "narwhal.pools.reports.keepalive: unknown pool setting"),
        Arguments.of("pools { reports { timeout = soon } }", "narwhal.pools.reports.timeout: expected a duration such as 30, 30s or 500ms"),
        Arguments.of("pools { reports { routes = [\"reports\"] } }", "narwhal.pools.reports.routes: expected a route such as"),
        Arguments.of("bind = { host = x }", "narwhal.bind: expected HOST:PORT, [IPv6]:PORT or HOST, got an object"),
        Arguments.of("bind = [ { host = x } ]", "narwhal.bind: expected HOST:PORT, [IPv6]:PORT or HOST, got a list holding an object"),
        // classes the settings name are looked up before the server starts, like APP
        Arguments.of("hooks = com.example.MissingHooks", "narwhal.hooks 'com.example.MissingHooks': no such class on the classpath"),
        Arguments.of("supervision-policy = com.example.MissingPolicy", "narwhal.supervision-policy 'com.example.MissingPolicy': no such class"),
        Arguments.of("worker-class = com.example.MissingWorker", "narwhal.worker-class 'com.example.MissingWorker': no such class"),
        Arguments.of("pools { reports { worker-class = com.example.MissingWorker, routes = [\"/reports\"] } }",
            "narwhal.pools.reports.worker-class 'com.example.MissingWorker': no such class"),
        Arguments.of("pools { reports { supervision-policy = com.example.MissingPolicy, routes = [\"/reports\"] } }",
            "narwhal.pools.reports.supervision-policy 'com.example.MissingPolicy': no such class"));
  }

  @ParameterizedTest
  @MethodSource
  void bad_configs(String line, String message) throws Exception {
    Path conf = conf(line);
    Result r = run("-c", conf.toString(), HI);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().startsWith("narwhal: error: " + conf + ":3: " + message);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void a_hocon_syntax_error_names_file_and_line_in_one_line() throws Exception {
    Path conf = Files.writeString(dir.resolve("syntax.conf"), "narwhal {\n  workers = 2\n  backlog = [1,\n");
    Result r = run("-c", conf.toString(), "hello");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("narwhal: error: " + conf + ":4: HOCON syntax error: List should have had new element");
  }

  @Test
  void check_config_exits_0_and_names_the_file_with_any_notes() throws Exception {
    Path conf = Files.writeString(dir.resolve("ok.conf"), "narwhal { workers = 3, worker-connections = 50 }");
    Result r = run("-c", conf.toString(), "--check-config");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("warning: narwhal.worker-connections = 50 has no effect on sync workers").endsWith("Configuration OK: " + conf + "\n");
  }

  @Test
  void check_config_warns_when_no_app_is_named_because_the_server_would_not_start() throws Exception {
    Path conf = Files.writeString(dir.resolve("ok.conf"), "narwhal { workers = 3 }");
    Result r = run("-c", conf.toString(), "--check-config");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("warning: no APP given: the server would not start (name a class implementing");
    assertThat(run("-c", conf.toString(), "--check-config", HI).out()).doesNotContain("no APP given");
  }

  @Test
  void check_config_exits_2_on_a_bad_value_or_an_unknown_app() throws Exception {
    assertThat(run("-c", conf("timeout = soon").toString(), "--check-config").status()).isEqualTo(2);
    assertThat(run("--check-config", "com.example.Missing").status()).isEqualTo(2);
    Result hooks = run("-c", conf("hooks = com.example.MissingHooks").toString(), "--check-config", HI);
    assertThat(hooks.status()).isEqualTo(2);
    assertThat(hooks.err()).startsWith("narwhal: error: " + dir.resolve("bad.conf") + ":3: narwhal.hooks");
  }

  @Test
  void print_config_prints_every_setting_as_key_equals_value() throws Exception {
    Path conf = Files.writeString(dir.resolve("p.conf"),
        "narwhal { workers = 3, timeout = 2 minutes, keepalive = 1500ms, preload-app = on, raw-env = [\"A=1\"] }");
    Result r = run("-c", conf.toString(), "--print-config", "hello");
    assertThat(r.status()).isZero();
    List<String> lines = new ArrayList<>(r.out().lines().toList());
    assertThat(lines).allMatch(l -> l.matches("[a-z0-9.-]+ = .*"))
        .contains("workers = 3", "timeout = 120s", "keepalive = 1500ms", "preload-app = on", "raw-env = A=<redacted>",
            "pidfile = \"\"", "bind = 127.0.0.1:8000", "errorlog = -");
  }

  @Test
  void print_config_shows_neither_the_admin_token_nor_the_values_given_with_env() throws Exception {
    Path conf = Files.writeString(dir.resolve("s.conf"),
        "narwhal { admin-token = \"token-from-the-config-file\", raw-env = [\"DB_URL=postgres://u:pw@db/x\"] }");
    Result r = run("-c", conf.toString(), "-e", "API_KEY=key-from-the-command-line", "--print-config", "hello");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("token-from-the-config-file", "postgres://", "key-from-the-command-line")
        .contains("admin-token = <redacted>", "raw-env = API_KEY=<redacted>");
    Result fileOnly = run("-c", conf.toString(), "--print-config", "hello");
    assertThat(fileOnly.out()).doesNotContain("token-from-the-config-file", "postgres://")
        .contains("raw-env = DB_URL=<redacted>");
  }

  @Test
  void a_configured_admin_token_shorter_than_16_characters_exits_2_naming_the_key_and_file() throws Exception {
    Path conf = Files.writeString(dir.resolve("short.conf"), "narwhal.admin-token = \"letmein\"\n");
    Result r = run("-c", conf.toString(), "--check-config", "hello");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("short.conf:1: narwhal.admin-token: expected empty (generate one at start) or at least "
        + "16 characters, got 7 characters").doesNotContain("letmein");
  }
}
