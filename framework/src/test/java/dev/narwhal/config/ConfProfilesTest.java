package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The profiles in conf/ load and say what their comments say. */
class ConfProfilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final int AUTO = 2 * Runtime.getRuntime().availableProcessors() + 1;

  static ServerConfig load(String profile) {
    ConfigLoader.Invocation invocation = ConfigLoader.load(List.of("-c", "conf/" + profile, "x"), Map.of(), ROOT);
    assertThat(invocation.warnings()).isEmpty();
    return invocation.config();
  }

  @Test
  void narwhal_conf_reproduces_the_reference_production_configuration_value_for_value() {
    ServerConfig c = load("narwhal.conf");
    assertThat(c.binds()).containsExactly(new BindAddress("0.0.0.0", 8000));
    assertThat(c.backlog()).isEqualTo(2048);
    assertThat(c.workers()).isEqualTo(AUTO);
    assertThat(c.get(Settings.WORKER_CLASS)).isEqualTo("sync");
    assertThat(c.get(Settings.WORKER_CONNECTIONS)).isEqualTo(1000);
    assertThat(c.get(Settings.MAX_REQUESTS)).isEqualTo(1000);
    assertThat(c.get(Settings.MAX_REQUESTS_JITTER)).isEqualTo(50);
    assertThat(c.get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.gracefulTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.get(Settings.KEEPALIVE)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.get(Settings.WORKER_TMP_DIR)).isEqualTo(Path.of("/dev/shm"));
    assertThat(c.get(Settings.PRELOAD_APP)).isTrue();
    assertThat(c.get(Settings.ACCESSLOG)).isEqualTo("-");
    assertThat(c.get(Settings.ERRORLOG)).isEqualTo("-");
    assertThat(c.get(Settings.LOGLEVEL)).isEqualTo("info");
    assertThat(c.get(Settings.CAPTURE_OUTPUT)).isTrue();
    assertThat(c.get(Settings.PROC_NAME)).isEqualTo("django-blog");
    assertThat(c.get(Settings.DAEMON)).isFalse();
    assertThat(c.get(Settings.PIDFILE)).isEmpty();
  }

  @Test
  void development_has_two_workers_a_60s_timeout_no_recycling_no_preload_and_debug_logs() {
    ServerConfig c = load("development.conf");
    assertThat(c.workers()).isEqualTo(2);
    assertThat(c.get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.get(Settings.MAX_REQUESTS)).isZero();
    assertThat(c.get(Settings.PRELOAD_APP)).isFalse();
    assertThat(c.get(Settings.LOGLEVEL)).isEqualTo("debug");
  }

  @Test
  void production_has_auto_workers_a_120s_timeout_recycling_with_jitter_preload_and_info_logs() {
    ServerConfig c = load("production.conf");
    assertThat(c.workers()).isEqualTo(AUTO);
    assertThat(c.get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.get(Settings.MAX_REQUESTS)).isEqualTo(1000);
    assertThat(c.get(Settings.MAX_REQUESTS_JITTER)).isEqualTo(50);
    assertThat(c.get(Settings.PRELOAD_APP)).isTrue();
    assertThat(c.get(Settings.LOGLEVEL)).isEqualTo("info");
  }
}
