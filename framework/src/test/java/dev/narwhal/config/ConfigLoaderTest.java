package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  ConfigLoader.Invocation load(Map<String, String> env, String... args) {
    return ConfigLoader.load(List.of(args), env, dir);
  }

  Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void defaults_come_from_reference_conf() {
    ServerConfig config = load(Map.of(), "hello").config();
    assertThat(config.binds()).containsExactly(new BindAddress("127.0.0.1", 8000));
    assertThat(config.workers()).isEqualTo(1);
    assertThat(config.backlog()).isEqualTo(2048);
    assertThat(config.gracefulTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void gunicorn_flags_set_the_core_settings() {
    ConfigLoader.Invocation invocation = load(Map.of(), "-w", "5", "-b", "127.0.0.1:9000", "-b", "[::1]:9001",
        "--backlog", "7", "--graceful-timeout", "5", "hello");
    assertThat(invocation.app()).contains("hello");
    assertThat(invocation.config().workers()).isEqualTo(5);
    assertThat(invocation.config().backlog()).isEqualTo(7);
    assertThat(invocation.config().gracefulTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(invocation.config().binds())
        .containsExactly(new BindAddress("127.0.0.1", 9000), new BindAddress("::1", 9001));
  }

  @Test
  void precedence_is_file_then_env_then_cmd_args_then_command_line() throws IOException {
    Path file = write("n.conf", "narwhal { workers = 2, backlog = 10, graceful-timeout = 3s, bind = \"0.0.0.0:1\" }");
    Map<String, String> env = Map.of("NARWHAL_BACKLOG", "20", "NARWHAL_CMD_ARGS", "--graceful-timeout 4 -b 0.0.0.0:2",
        "WEB_CONCURRENCY", "9");
    ServerConfig config = load(env, "-c", file.toString(), "-b", "0.0.0.0:3", "x").config();
    assertThat(config.workers()).isEqualTo(2);
    assertThat(config.backlog()).isEqualTo(20);
    assertThat(config.gracefulTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.binds()).containsExactly(new BindAddress("0.0.0.0", 3));
  }

  @Test
  void web_concurrency_sets_the_default_worker_count() {
    assertThat(load(Map.of("WEB_CONCURRENCY", "4"), "x").config().workers()).isEqualTo(4);
  }

  @Test
  void auto_workers_is_two_per_core_plus_one() {
    int expected = 2 * Runtime.getRuntime().availableProcessors() + 1;
    assertThat(load(Map.of(), "-w", "auto", "x").config().workers()).isEqualTo(expected);
  }

  @Test
  void narwhal_conf_in_the_working_directory_is_read_when_present() throws IOException {
    write("narwhal.conf", "narwhal.workers = 6");
    ConfigLoader.Invocation invocation = load(Map.of(), "x");
    assertThat(invocation.config().workers()).isEqualTo(6);
    assertThat(invocation.configFile()).contains(dir.resolve("narwhal.conf"));
  }

  @Test
  void a_bad_value_in_a_file_names_the_file_line_key_and_expected_form() throws IOException {
    Path file = write("bad.conf", "narwhal {\n  workers = many\n}\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", file.toString(), "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessage(file + ":2: narwhal.workers: expected a whole number >= 1, or 'auto' (2 x cores + 1), got 'many'");
  }

  @Test
  void an_unknown_key_suggests_the_closest_known_one() throws IOException {
    Path file = write("typo.conf", "narwhal {\n  workres = 3\n}\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", file.toString(), "x"))
        .hasMessage(file + ":2: narwhal.workres: unknown setting; did you mean narwhal.workers? "
            + "(every setting is listed in docs/settings.md)");
  }

  @Test
  void a_key_written_as_its_flag_suggests_the_setting_the_flag_sets() throws IOException {
    Path env = write("env.conf", "narwhal {\n  env = [\"A=1\"]\n}\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", env.toString(), "x"))
        .hasMessageContaining("narwhal.env: unknown setting; did you mean narwhal.raw-env?");
    Path log = write("log.conf", "narwhal {\n  access-logfile = \"-\"\n}\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", log.toString(), "x"))
        .hasMessageContaining("narwhal.access-logfile: unknown setting; did you mean narwhal.accesslog?");
  }

  @Test
  void a_setting_outside_the_narwhal_block_is_warned_about_naming_the_block() throws IOException {
    Path file = write("flat.conf", "# as in a gunicorn.conf.py\ntimeout = 30s\nworkers = 2\nmax_requests = 5\n"
        + "cluster { enabled = on }\n");
    ConfigLoader.Invocation invocation = load(Map.of(), "-c", file.toString(), "x");

    assertThat(invocation.config().workers()).isEqualTo(ServerConfig.defaults().workers());
    assertThat(invocation.warnings()).containsExactly(outside(file, 2, "timeout", "timeout"),
        outside(file, 3, "workers", "workers"), outside(file, 4, "max_requests", "max-requests"),
        outside(file, 5, "cluster", "cluster"));
  }

  private static String outside(Path file, int line, String key, String setting) {
    return file + ":" + line + ": " + key + " is outside the narwhal block, where Narwhal does not read it; write "
        + "narwhal { " + setting + " = ... } (if the key is your application's own, ignore this)";
  }

  @Test
  void a_top_level_key_the_block_takes_by_substitution_or_an_applications_own_block_is_no_warning() throws IOException {
    Path file = write("own.conf", "timeout = 30s\ntimeout = ${?TIMEOUT}\nnarwhal { timeout = ${timeout} }\n"
        + "app { db = \"x\" }\nmetrics { on = yes }\n");
    ConfigLoader.Invocation invocation = load(Map.of(), "-c", file.toString(), "x");

    assertThat(invocation.config().get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(invocation.warnings()).isEmpty();
  }

  @Test
  void a_bad_list_value_on_the_command_line_is_named_as_from_the_command_line() {
    assertThatThrownBy(() -> load(Map.of(), "-b", "127.0.0.1:99999", "hello"))
        .hasMessageStartingWith("command line: narwhal.bind: expected HOST:PORT");
    assertThatThrownBy(() -> load(Map.of(), "-e", "NOEQUALS", "hello"))
        .hasMessageStartingWith("command line: narwhal.raw-env:");
  }

  @Test
  void an_unknown_option_is_named_alone_with_the_flag_it_looks_like() {
    assertThatThrownBy(() -> load(Map.of(), "--wrokers", "3", "hello"))
        .hasMessage("command line: unknown option '--wrokers'; did you mean --workers? (see narwhal --help)");
    // the setting's name where gunicorn's flag differs: the flag is what to type
    assertThatThrownBy(() -> load(Map.of(), "--access-log-format=%(h)s", "hello"))
        .hasMessage("command line: unknown option '--access-log-format'; did you mean --access-logformat? (see narwhal --help)");
    assertThatThrownBy(() -> load(Map.of(), "--zzzzzz", "hello"))
        .hasMessage("command line: unknown option '--zzzzzz' (see narwhal --help)");
    assertThatThrownBy(() -> load(Map.of(), "one", "two"))
        .hasMessage("command line: unexpected argument 'two': give one APP, after the options (see narwhal --help)");
  }

  @Test
  void other_top_level_blocks_are_left_to_their_libraries() throws IOException {
    Path file = write("libs.conf", "narwhal { workers = 2 }\npekko { loglevel = INFO }\nkamon { environment.service = x }\nmyapp { timeout = 3 }\n");
    assertThat(load(Map.of(), "-c", file.toString(), "x").config().workers()).isEqualTo(2);
  }

  @Test
  void gunicorn_snake_case_keys_are_accepted_with_a_hint() throws IOException {
    Path file = write("snake.conf", "narwhal {\n  graceful_timeout = 7\n}\n");
    ConfigLoader.Invocation invocation = load(Map.of(), "-c", file.toString(), "x");
    assertThat(invocation.config().gracefulTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(invocation.warnings()).singleElement().asString()
        .contains("snake.conf:2").contains("narwhal.graceful_timeout is gunicorn's spelling")
        .contains("narwhal.graceful-timeout");
  }

  @Test
  void a_missing_config_file_is_named() {
    assertThatThrownBy(() -> load(Map.of(), "-c", "nope.conf", "x"))
        .hasMessage("nope.conf: config file not found (given with -c/--config)");
  }

  @Test
  void a_bad_environment_value_names_the_variable() {
    assertThatThrownBy(() -> load(Map.of("NARWHAL_BACKLOG", "0"), "x"))
        .hasMessageStartingWith("environment NARWHAL_BACKLOG: narwhal.backlog: expected a whole number >= 1");
  }

  @Test
  void an_unknown_flag_is_a_settings_error() {
    assertThatThrownBy(() -> load(Map.of(), "--max-requets", "3", "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessage("command line: unknown option '--max-requets'; did you mean --max-requests? (see narwhal --help)");
  }

  @Test
  void a_negative_duration_is_rejected() {
    assertThatThrownBy(() -> load(Map.of(), "--graceful-timeout", "-5s", "x"))
        .hasMessageContaining("narwhal.graceful-timeout: expected a duration");
  }

  @Test
  void durations_accept_hocon_units_and_bare_seconds() {
    assertThat(load(Map.of(), "--graceful-timeout", "1500ms", "x").config().gracefulTimeout())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(load(Map.of(), "--graceful-timeout", "2.5", "x").config().gracefulTimeout())
        .isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void help_and_version_need_no_app() {
    assertThat(load(Map.of(), "--help").action()).isEqualTo(ConfigLoader.Action.HELP);
    assertThat(load(Map.of(), "-v").action()).isEqualTo(ConfigLoader.Action.VERSION);
  }

  @Test
  void cmd_args_are_split_like_a_shell_would() {
    assertThat(ConfigLoader.tokenize("-b '127.0.0.1:1' --x \"a b\"  c"))
        .containsExactly("-b", "127.0.0.1:1", "--x", "a b", "c");
  }

  @Test
  void usage_lists_every_flag_in_sections_within_80_columns() {
    String usage = ConfigLoader.usage("Serve APP.");
    for (Setting<?> s : Settings.ALL) {
      s.flags().forEach(flag -> assertThat(usage).contains(flag));
      assertThat(usage).contains(s.section().title() + ":");
    }
    assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
  }
}
