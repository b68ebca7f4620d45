package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GunicornConfigTest {
  /** The guide's gunicorn.conf.py, verbatim. */
  static final Path GUIDE = resource("gunicorn/guide.gunicorn.conf.py");
  static final Path ADVANCED = resource("gunicorn/advanced.gunicorn.conf.py");
  /** The same configuration in Narwhal's HOCON, kept in the repository. */
  static final Path NARWHAL_CONF = Path.of("..", "conf", "narwhal.conf");

  @TempDir
  Path dir;

  static Path resource(String name) {
    try {
      return Path.of(GunicornConfigTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void the_guides_file_has_exactly_conf_narwhal_conf_settings() {
    ServerConfig fromPython = ServerConfig.load(GUIDE);
    ServerConfig fromHocon = ServerConfig.load(NARWHAL_CONF);
    for (Setting<?> setting : Settings.ALL) {
      assertThat((Object) fromPython.get(setting)).as(setting.key()).isEqualTo(fromHocon.get(setting));
    }
    assertThat(GunicornConfig.read(GUIDE, Map.of()).notes()).isEmpty();
  }

  @Test
  void the_guides_file_imports_to_the_same_keys_and_values_as_conf_narwhal_conf() {
    String hocon = GunicornConfig.read(GUIDE, Map.of()).toHocon();
    assertThat(hocon).contains("  workers = auto  # workers, line 10\n", "  timeout = 120s  # timeout, line 17\n",
        "  preload-app = on", "  pidfile = \"\"", "  bind = \"0.0.0.0:8000\"", "  worker-class = sync");
    ServerConfig reparsed = ServerConfig.parse(hocon);
    ServerConfig fromHocon = ServerConfig.load(NARWHAL_CONF);
    for (Setting<?> setting : Settings.ALL) {
      assertThat((Object) reparsed.get(setting)).as(setting.key()).isEqualTo(fromHocon.get(setting));
    }
  }

  @Test
  void settings_map_by_gunicorn_name_through_the_registry() {
    GunicornConfig g = GunicornConfig.parse("""
        wsgi_app = "hello"
        limit_request_field_size = 4096
        forwarded_allow_ips = "10.0.0.1,10.0.0.2"
        raw_env = ["A=1", "B=2"]
        timeout = 2.5
        cert_reqs = 0
        """, "g.py", Map.of());
    assertThat(g.entries()).extracting(e -> e.setting().key())
        .containsExactly("app", "limit-request-field-size", "forwarded-allow-ips", "raw-env", "timeout", "cert-reqs");
    ServerConfig config = ConfigLoader.embedded(g.toConfig());
    assertThat(config.get(Settings.TIMEOUT)).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.get(Settings.RAW_ENV)).containsEntry("B", "2");
    assertThat(config.get(Settings.APP)).isEqualTo("hello");
  }

  @Test
  void gunicorns_statsd_settings_map_and_a_bare_host_gets_port_8125() {
    GunicornConfig g = GunicornConfig.parse("statsd_host = 'localhost'\nstatsd_prefix = 'svc'\n"
        + "dogstatsd_tags = 'app:web'\n", "g.py", Map.of());
    ServerConfig config = ConfigLoader.embedded(g.toConfig());
    assertThat(config.get(Settings.STATSD_HOST)).contains(new BindAddress("localhost", 8125));
    assertThat(config.get(Settings.STATSD_PREFIX)).isEqualTo("svc");
    assertThat(config.get(Settings.DOGSTATSD_TAGS)).isEqualTo("app:web");
    assertThat(ServerConfig.parse("narwhal.statsd-host = \"127.0.0.1:9125\"").get(Settings.STATSD_HOST))
        .contains(new BindAddress("127.0.0.1", 9125));
    assertThat(ServerConfig.defaults().get(Settings.STATSD_HOST)).isEmpty();
  }

  @Test
  void workers_other_than_gunicorns_formula_are_counted_on_this_machine() {
    GunicornConfig g = GunicornConfig.parse("import multiprocessing\nworkers = multiprocessing.cpu_count() + 1\n",
        "g.py", Map.of());
    assertThat(g.entries().get(0).value()).isEqualTo((long) Runtime.getRuntime().availableProcessors() + 1);
  }

  @Test
  void settings_without_an_equivalent_warn_once_each_with_their_line() {
    GunicornConfig g = GunicornConfig.read(ADVANCED, Map.of());
    assertThat(g.warnings()).containsExactly(
        ADVANCED + ":12: user = 'www-data': Gunicorn setting with no Narwhal equivalent; ignored",
        ADVANCED + ":13: secure_scheme_headers = {'X-FORWARDED-PROTO': 'https'}: Gunicorn setting with no "
            + "Narwhal equivalent; ignored");
    assertThat(g.entries()).extracting(e -> e.setting().key()).containsExactly("bind", "workers", "keyfile", "certfile");
  }

  @Test
  void server_hooks_are_listed_as_not_carried_over_with_their_serverhooks_method() {
    GunicornConfig g = GunicornConfig.read(ADVANCED, Map.of());
    assertThat(g.hooks()).hasSize(6);
    assertThat(g.hooks().get(0)).isEqualTo(ADVANCED + ":15: server hook on_starting is not carried over (Python "
        + "is not run): implement dev.narwhal.ServerHooks.onStarting() and name the class in narwhal.hooks (--hooks)");
    assertThat(g.hooks()).anyMatch(h -> h.contains(":35: server hook child_exit") && h.contains("workerExited(WorkerInfo)"));
    assertThat(GunicornConfig.parse("def pre_exec(server):\n    pass\n", "g.py", Map.of()).hooks())
        .containsExactly("g.py:1: server hook pre_exec is not carried over (Python is not run): Narwhal has no such hook point");
  }

  @Test
  void dash_c_reads_a_py_file_and_logs_what_is_not_carried_over() throws IOException {
    Path file = Files.writeString(dir.resolve("gunicorn.conf.py"),
        "import os\nbind = f\"127.0.0.1:{os.environ.get('PORT', 8000)}\"\nworkers = 3\nsendfile = False\n");
    ConfigLoader.Invocation invocation = ConfigLoader.load(List.of("-c", "gunicorn.conf.py", "hello"),
        Map.of("PORT", "9001"), dir);
    assertThat(invocation.config().binds()).containsExactly(new BindAddress("127.0.0.1", 9001));
    assertThat(invocation.config().workers()).isEqualTo(3);
    assertThat(invocation.configFile()).contains(file);
    assertThat(invocation.warnings()).anyMatch(w -> w.endsWith("gunicorn.conf.py:4: sendfile = False: Gunicorn "
        + "setting with no Narwhal equivalent; ignored"));
  }

  @Test
  void a_bad_value_is_reported_at_its_python_line() throws IOException {
    Files.writeString(dir.resolve("gunicorn.conf.py"), "workers = 2\n\nworker_class = 'gevent'\n");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("-c", "gunicorn.conf.py", "hello"), Map.of(), dir))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("gunicorn.conf.py:3: narwhal.worker-class: expected one of: sync");
  }

  @Test
  void code_that_cannot_be_evaluated_is_a_settings_error_with_file_and_line() throws IOException {
    Files.writeString(dir.resolve("gunicorn.conf.py"), "import os\nworkers = 2\nos.makedirs('/tmp/x')\n");
    assertThatThrownBy(() -> ConfigLoader.load(List.of("-c", "gunicorn.conf.py", "hello"), Map.of(), dir))
        .isInstanceOf(SettingsException.class)
        .hasMessageEndingWith("gunicorn.conf.py:3: cannot evaluate 'os . makedirs ( '/tmp/x' )' without running Python "
            + "(only assignments, imports and def are read)");
  }
}
