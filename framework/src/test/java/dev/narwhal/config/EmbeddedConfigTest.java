package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings given in code, by the names the config file uses: what an embedder writes. */
class EmbeddedConfigTest {
  @TempDir
  Path dir;

  @Test
  void settings_by_their_file_names_override_the_defaults() {
    ServerConfig config = ServerConfig.of(Map.of("workers", 3, "bind", "127.0.0.1:0",
        "timeout", Duration.ofSeconds(7), "worker-class", "gthread", "threads", 4));

    assertThat(config.workers()).isEqualTo(3);
    assertThat(config.binds()).containsExactly(new BindAddress("127.0.0.1", 0));
    assertThat(config.get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.get(Settings.WORKER_CLASS)).isEqualTo("gthread");
    assertThat(config.get(Settings.MAX_REQUESTS)).isEqualTo(ServerConfig.defaults().get(Settings.MAX_REQUESTS));
  }

  @Test
  void a_list_and_a_dotted_group_key_are_accepted() {
    ServerConfig config = ServerConfig.of(Map.of("bind", List.of("127.0.0.1:0", "127.0.0.1:1"),
        "cluster.roles", List.of("web")));

    assertThat(config.binds()).hasSize(2);
    assertThat(config.get(Settings.CLUSTER_ROLES)).containsExactly("web");
  }

  @Test
  void an_unknown_key_is_named_with_the_nearest_known_one() {
    assertThatThrownBy(() -> ServerConfig.of(Map.of("wrokers", 2)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.wrokers: unknown setting; did you mean narwhal.workers?");
  }

  @Test
  void a_bad_value_names_its_key() {
    assertThatThrownBy(() -> ServerConfig.of(Map.of("timeout", "soon")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.timeout");
  }

  @Test
  void config_text_reads_like_a_config_file() {
    ServerConfig config = ServerConfig.parse("""
        narwhal {
          workers = 2
          max-requests = 100
        }
        """);

    assertThat(config.workers()).isEqualTo(2);
    assertThat(config.get(Settings.MAX_REQUESTS)).isEqualTo(100);
  }

  @Test
  void a_config_file_error_names_the_file_and_line() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "narwhal {\n  workers = 2\n  timout = 5s\n}\n");

    assertThatThrownBy(() -> ServerConfig.load(file))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("app.conf:3")
        .hasMessageContaining("narwhal.timout: unknown setting; did you mean narwhal.timeout?");
  }

  @Test
  void a_missing_config_file_is_named() {
    assertThatThrownBy(() -> ServerConfig.load(dir.resolve("none.conf")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("none.conf: config file not found");
  }
}
