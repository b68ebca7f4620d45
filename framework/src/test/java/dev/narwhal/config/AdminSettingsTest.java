package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API and metrics settings: defaults, off, the token from the environment only. */
class AdminSettingsTest {
  @TempDir
  Path dir;

  ServerConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(List.of(args), env, dir).config();
  }

  @Test
  void defaults_put_the_admin_api_on_loopback_9191_with_metrics_on() {
    ServerConfig config = load(Map.of(), "x");
    assertThat(config.get(Settings.ADMIN_BIND)).contains(new BindAddress("127.0.0.1", 9191));
    assertThat(config.get(Settings.ADMIN_TOKEN)).isEmpty();
    assertThat(config.get(Settings.ADMIN_TOKEN_FILE)).isEmpty();
    assertThat(config.get(Settings.METRICS)).isTrue();
    assertThat(config.get(Settings.METRICS_TICK_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void admin_bind_takes_host_port_or_off() {
    assertThat(load(Map.of(), "--admin-bind", "0.0.0.0:9300", "x").get(Settings.ADMIN_BIND))
        .contains(new BindAddress("0.0.0.0", 9300));
    assertThat(load(Map.of(), "--admin-bind", "off", "x").get(Settings.ADMIN_BIND)).isEmpty();
    assertThat(load(Map.of("NARWHAL_ADMIN_BIND", "[::1]:9400"), "x").get(Settings.ADMIN_BIND))
        .contains(new BindAddress("::1", 9400));
    assertThatThrownBy(() -> load(Map.of(), "--admin-bind", "127.0.0.1:http", "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.admin-bind: expected HOST:PORT, [IPv6]:PORT or HOST, or off");
  }

  @Test
  void the_admin_token_comes_from_the_environment_and_has_no_flag() {
    assertThat(load(Map.of("NARWHAL_ADMIN_TOKEN", "t0ken-of-16-chars"), "x").get(Settings.ADMIN_TOKEN))
        .isEqualTo("t0ken-of-16-chars");
    assertThat(Settings.ADMIN_TOKEN.flags()).as("a token on the command line is visible to every user").isEmpty();
    assertThatThrownBy(() -> load(Map.of(), "--admin-token", "t", "x")).isInstanceOf(SettingsException.class);
  }

  @Test
  void a_configured_admin_token_shorter_than_16_characters_is_a_config_error_that_does_not_echo_it() throws Exception {
    assertThatThrownBy(() -> load(Map.of("NARWHAL_ADMIN_TOKEN", "hunter2"), "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("NARWHAL_ADMIN_TOKEN")
        .hasMessageContaining("narwhal.admin-token: expected empty (generate one at start) or at least 16 characters, "
            + "got 7 characters")
        .hasMessageNotContaining("hunter2");
    Path file = java.nio.file.Files.writeString(dir.resolve("t.conf"), "narwhal.admin-token = \"123456789012345\"\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", file.toString(), "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("t.conf:1: narwhal.admin-token")
        .hasMessageNotContaining("123456789012345");
    assertThat(load(Map.of("NARWHAL_ADMIN_TOKEN", "1234567890123456"), "x").get(Settings.ADMIN_TOKEN))
        .isEqualTo("1234567890123456");
    assertThat(Settings.ADMIN_TOKEN.secret()).isTrue();
  }

  @Test
  void admin_read_auth_is_off_and_admin_allowed_hosts_empty_by_default_and_both_can_be_set() {
    ServerConfig defaults = load(Map.of(), "x");
    assertThat(defaults.get(Settings.ADMIN_READ_AUTH)).isFalse();
    assertThat(defaults.get(Settings.ADMIN_ALLOWED_HOSTS)).isEmpty();
    ServerConfig set = load(Map.of("NARWHAL_ADMIN_ALLOWED_HOSTS", "Admin.Example.com, .internal,[fd00::1],10.0.0.5"),
        "--admin-read-auth", "on", "x");
    assertThat(set.get(Settings.ADMIN_READ_AUTH)).isTrue();
    assertThat(set.get(Settings.ADMIN_ALLOWED_HOSTS)).containsExactly("admin.example.com", ".internal", "fd00::1", "10.0.0.5");
    assertThat(load(Map.of(), "--admin-allowed-hosts", "*", "x").get(Settings.ADMIN_ALLOWED_HOSTS)).containsExactly("*");
    assertThatThrownBy(() -> load(Map.of(), "--admin-allowed-hosts", "admin.example.com:9191", "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.admin-allowed-hosts: expected '*', host names");
  }

  @Test
  void metrics_can_be_turned_off_and_the_tick_shortened() {
    ServerConfig config = load(Map.of(), "--metrics", "off", "--metrics-tick-interval", "250ms",
        "--admin-token-file", "/run/narwhal/admin.token", "x");
    assertThat(config.get(Settings.METRICS)).isFalse();
    assertThat(config.get(Settings.METRICS_TICK_INTERVAL)).isEqualTo(Duration.ofMillis(250));
    assertThat(config.get(Settings.ADMIN_TOKEN_FILE)).isEqualTo(Optional.of(Path.of("/run/narwhal/admin.token")));
  }

  @Test
  void narwhal_turns_off_kamons_own_http_server_unless_the_config_file_says_otherwise() throws Exception {
    assertThat(load(Map.of(), "x").source().getBoolean("kamon.prometheus.start-embedded-http-server")).isFalse();
    Path file = java.nio.file.Files.writeString(dir.resolve("k.conf"),
        "kamon.prometheus.start-embedded-http-server = yes\n");
    assertThat(load(Map.of(), "-c", file.toString(), "x").source()
        .getBoolean("kamon.prometheus.start-embedded-http-server")).isTrue();
  }
}
