package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster settings: off by default, flags, the nested cluster { } block of a file. */
class ClusterSettingsTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  ServerConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(List.of(args), env, dir).config();
  }

  @Test
  void the_cluster_is_off_by_default() {
    ServerConfig config = load(Map.of(), "x");
    assertThat(config.get(Settings.CLUSTER_ENABLED)).isFalse();
    assertThat(config.get(Settings.CLUSTER_BIND)).isEmpty();
    assertThat(config.get(Settings.CLUSTER_SEED_NODES)).isEmpty();
    assertThat(config.get(Settings.CLUSTER_ROLES)).isEmpty();
    assertThat(config.get(Settings.CLUSTER_OVERFLOW)).isFalse();
  }

  @Test
  void flags_take_a_bind_comma_separated_seed_nodes_and_roles() {
    ServerConfig config = load(Map.of(), "--cluster-bind", "127.0.0.1:25521",
        "--cluster-seed-nodes", "127.0.0.1:25520, 127.0.0.1:25521", "--cluster-roles", "web,eu-1",
        "--cluster-overflow", "on", "x");
    assertThat(config.get(Settings.CLUSTER_BIND)).contains(new BindAddress("127.0.0.1", 25521));
    assertThat(config.get(Settings.CLUSTER_SEED_NODES))
        .containsExactly(new BindAddress("127.0.0.1", 25520), new BindAddress("127.0.0.1", 25521));
    assertThat(config.get(Settings.CLUSTER_ROLES)).containsExactly("web", "eu-1");
    assertThat(config.get(Settings.CLUSTER_OVERFLOW)).isTrue();
  }

  @Test
  void a_seed_node_without_a_port_is_refused_naming_the_key() {
    assertThatThrownBy(() -> load(Map.of(), "--cluster-seed-nodes", "127.0.0.1", "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.cluster.seed-nodes")
        .hasMessageContaining("'127.0.0.1'");
  }

  @Test
  void environment_variables_reach_the_dotted_keys() {
    ServerConfig config = load(Map.of("NARWHAL_CLUSTER_ENABLED", "on"), "x");
    assertThat(config.get(Settings.CLUSTER_ENABLED)).isTrue();
  }

  @Test
  void a_file_sets_them_in_a_cluster_block_and_a_typo_there_names_the_file_and_line() throws Exception {
    Path file = dir.resolve("narwhal.conf");
    Files.writeString(file, "narwhal {\n  cluster {\n    seed-nodes = [\"10.0.0.1:25520\"]\n    overflow = on\n  }\n}\n");
    ServerConfig config = load(Map.of(), "-c", file.toString(), "x");
    assertThat(config.get(Settings.CLUSTER_SEED_NODES)).containsExactly(new BindAddress("10.0.0.1", 25520));
    assertThat(config.get(Settings.CLUSTER_OVERFLOW)).isTrue();

    Files.writeString(file, "narwhal {\n  cluster {\n    seed-node = []\n  }\n}\n");
    assertThatThrownBy(() -> load(Map.of(), "-c", file.toString(), "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.conf:3")
        .hasMessageContaining("narwhal.cluster.seed-node: unknown setting; did you mean narwhal.cluster.seed-nodes?");
  }

  @Test
  void conf_cluster_conf_loads_without_warnings() {
    ConfigLoader.Invocation invocation = ConfigLoader.load(List.of("-c", "conf/cluster.conf", "x"), Map.of(), ROOT);
    assertThat(invocation.warnings()).isEmpty();
    assertThat(invocation.config().get(Settings.CLUSTER_ENABLED)).isTrue();
    assertThat(invocation.config().get(Settings.CLUSTER_SEED_NODES)).hasSize(3);
  }
}
