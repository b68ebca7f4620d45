package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.ServerHooks;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The classes settings name (hooks, supervision policy, worker extension): looked up, then built. */
class ClassSettingsTest {
  static final AtomicInteger BUILT = new AtomicInteger();

  public static final class CountedHooks implements ServerHooks {
    public CountedHooks() {
      BUILT.incrementAndGet();
    }
  }

  public static final class FailingHooks implements ServerHooks {
    public FailingHooks() {
      throw new IllegalStateException("no database");
    }
  }

  private static ServerConfig config(String settings) {
    return ServerConfig.parse("narwhal {\n  " + settings + "\n}\n");
  }

  @Test
  void checking_the_classes_builds_none_of_them() {
    BUILT.set(0);
    AppResolver.checkClasses(config("hooks = \"" + CountedHooks.class.getName() + "\""));

    assertThat(BUILT).hasValue(0);
    assertThat(AppResolver.hooks(config("hooks = \"" + CountedHooks.class.getName() + "\""))).isInstanceOf(CountedHooks.class);
    assertThat(BUILT).hasValue(1);
  }

  @Test
  void hooks_whose_constructor_throws_are_a_settings_error_naming_the_line() {
    assertThatThrownBy(() -> AppResolver.hooks(config("hooks = \"" + FailingHooks.class.getName() + "\"")))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("config text: 2: narwhal.hooks: " + FailingHooks.class.getName() + " constructor failed");
  }

  @Test
  void a_pools_classes_are_checked_and_named_by_the_pools_own_key() {
    assertThatThrownBy(() -> AppResolver.checkClasses(config(
        "pools {\n    reports {\n      routes = [\"/r\"]\n      worker-class = com.example.Nope\n    }\n  }")))
        .hasMessageStartingWith("config text: 5: narwhal.pools.reports.worker-class 'com.example.Nope': no such class");
  }
}
