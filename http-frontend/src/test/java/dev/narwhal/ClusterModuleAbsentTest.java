package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.TestServer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * http-frontend alone (no narwhal-cluster on its class path, nor Pekko Cluster): a standalone
 * server needs neither, and a config that asks for a cluster is a config error naming the setting.
 */
class ClusterModuleAbsentTest {
  static final Application OK = Application.of(r -> Response.ok("ok"));

  @Test
  void pekko_cluster_is_not_on_the_front_end_s_class_path_and_a_standalone_server_starts() throws Exception {
    assertThatThrownBy(() -> Class.forName("org.apache.pekko.cluster.typed.Cluster"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(ClusterRole.forConfig(ServerConfig.defaults())).isSameAs(ClusterRole.STANDALONE);
    try (TestServer t = TestServer.start(OK, c -> c.withWorkers(1))) {
      assertThat(t.get("/").statusCode()).isEqualTo(200);
      assertThat(t.server.clusterAddress()).isEmpty();
    }
  }

  @Test
  void cluster_bind_without_the_cluster_module_fails_the_start_as_a_config_error() {
    assertThatThrownBy(() -> TestServer.start(OK, c -> c.withWorkers(1)
        .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", 0)))))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessage("narwhal.cluster.bind: the cluster needs the narwhal-cluster module (dev.narwhal:narwhal-cluster) "
            + "on the class path");
  }

  @Test
  void cluster_enabled_without_the_cluster_module_names_cluster_enabled() {
    assertThatThrownBy(() -> TestServer.start(OK, c -> c.withWorkers(1).with(Settings.CLUSTER_ENABLED, true)))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageStartingWith("narwhal.cluster.enabled: the cluster needs the narwhal-cluster module");
  }
}
