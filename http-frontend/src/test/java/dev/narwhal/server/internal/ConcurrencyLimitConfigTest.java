package dev.narwhal.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.ServerStartException;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.SettingsException;
import dev.narwhal.supervisor.ConcurrencyLimit;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitConfigTest {

  @Test
  void off_by_default() throws Exception {
    assertThat(PoolConfig.concurrencyLimit(ServerConfig.defaults())).isEqualTo(ConcurrencyLimit.OFF);
  }

  @Test
  void off_also_as_hocon_false() throws Exception {
    assertThat(PoolConfig.concurrencyLimit(ServerConfig.parse("narwhal.concurrency-limit = false")))
        .isEqualTo(ConcurrencyLimit.OFF);
  }

  @Test
  void a_number_is_a_fixed_limit() throws Exception {
    assertThat(PoolConfig.concurrencyLimit(ServerConfig.parse("narwhal.concurrency-limit = 12")))
        .isEqualTo(ConcurrencyLimit.fixed(12));
  }

  @Test
  void auto_takes_its_initial_min_and_max() throws Exception {
    ServerConfig config = ServerConfig.parse("""
        narwhal.concurrency-limit = auto
        narwhal.concurrency-limit-initial = 10
        narwhal.concurrency-limit-min = 2
        narwhal.concurrency-limit-max = 50
        """);
    assertThat(PoolConfig.concurrencyLimit(config)).isEqualTo(ConcurrencyLimit.auto(10, 2, 50));
  }

  @Test
  void auto_whose_bounds_do_not_nest_is_exit_2() {
    ServerConfig config = ServerConfig.parse("""
        narwhal.concurrency-limit = AUTO
        narwhal.concurrency-limit-initial = 100
        narwhal.concurrency-limit-max = 50
        """);
    assertThatThrownBy(() -> PoolConfig.concurrencyLimit(config))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("concurrency-limit-min <= -initial <= -max");
  }

  @Test
  void zero_and_words_other_than_off_and_auto_are_refused() {
    assertThatThrownBy(() -> PoolConfig.concurrencyLimit(ServerConfig.parse("narwhal.concurrency-limit = 0")))
        .isInstanceOf(SettingsException.class).hasMessageContaining("off, auto, or a whole number >= 1");
    assertThatThrownBy(() -> PoolConfig.concurrencyLimit(ServerConfig.parse("narwhal.concurrency-limit = adaptive")))
        .isInstanceOf(SettingsException.class);
  }
}
