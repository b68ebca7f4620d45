package dev.narwhal.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {
  @Test
  void prints_every_setting_once_in_registry_order() {
    List<String> lines = ConfigPrinter.lines(ServerConfig.defaults());
    assertThat(lines).hasSize(Settings.ALL.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).startsWith(Settings.ALL.get(i).key() + " = ");
    }
    assertThat(lines).contains("timeout = 30s", "keepalive = 2s", "preload-app = off", "pidfile = \"\"",
        "bind = 127.0.0.1:8000", "classpath = []", "raw-env = []");
  }

  @Test
  void renders_values_as_a_config_file_spells_them() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "1");
    env.put("B", "2");
    assertThat(ConfigPrinter.render(Duration.ofSeconds(120))).isEqualTo("120s");
    assertThat(ConfigPrinter.render(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(ConfigPrinter.render(Duration.ZERO)).isEqualTo("off");
    assertThat(ConfigPrinter.render(true)).isEqualTo("on");
    assertThat(ConfigPrinter.render(Optional.empty())).isEqualTo("\"\"");
    assertThat(ConfigPrinter.render(List.of("a", "b"))).isEqualTo("a, b");
    assertThat(ConfigPrinter.render(env)).isEqualTo("A=1, B=2");
    assertThat(ConfigPrinter.render("")).isEqualTo("\"\"");
  }

  @Test
  void secret_settings_print_redacted_the_admin_token_and_the_values_of_raw_env() {
    ServerConfig config = dev.narwhal.config.ConfigLoader.load(
        List.of("-e", "DB_PASSWORD=pa55word-in-env", "--env", "API_KEY=k3y-in-env", "x"),
        Map.of("NARWHAL_ADMIN_TOKEN", "the-admin-token-itself"), java.nio.file.Path.of(".")).config();
    String printed = String.join("\n", ConfigPrinter.lines(config));
    assertThat(printed).doesNotContain("the-admin-token-itself", "pa55word-in-env", "k3y-in-env")
        .contains("admin-token = <redacted>", "raw-env = DB_PASSWORD=<redacted>, API_KEY=<redacted>");
    // empty stays visibly empty: "is a token set?" is still answered
    assertThat(ConfigPrinter.lines(ServerConfig.defaults())).contains("admin-token = \"\"", "raw-env = []");
  }
}
