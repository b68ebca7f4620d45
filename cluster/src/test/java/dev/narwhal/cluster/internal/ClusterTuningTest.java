package dev.narwhal.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.config.internal.BaseConfig;
import org.junit.jupiter.api.Test;

/**
 * The cluster module's Pekko tuning reaches the server's base layer: its narwhal-cluster-pekko.conf merged
 * with framework's (over Pekko Cluster's own reference.conf), its serializer bindings added.
 */
class ClusterTuningTest {
  @Test
  void the_base_layer_holds_the_cluster_modules_tuning_over_pekko_clusters_defaults() {
    Config base = BaseConfig.load();
    assertThat(base.getString("pekko.cluster.downing-provider-class"))
        .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
    assertThat(base.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds()).isEqualTo(7);
    assertThat(base.getDuration("pekko.cluster.retry-unsuccessful-join-after").toSeconds()).isEqualTo(2);
    // framework's narwhal-pekko.conf is still there
    assertThat(base.getString("pekko.http.server.server-header")).isEqualTo("narwhal");
  }

  @Test
  void both_cross_node_kinds_are_bound_to_jackson_cbor() {
    Config bindings = BaseConfig.load().getConfig("pekko.actor.serialization-bindings");
    assertThat(bindings.getString("\"dev.narwhal.cluster.internal.CborSerializable\"")).isEqualTo("jackson-cbor");
    assertThat(bindings.getString("\"dev.narwhal.cluster.NodeReport\"")).isEqualTo("jackson-cbor");
  }

  @Test
  void a_pekko_block_in_the_users_config_still_wins() {
    Config merged = ConfigFactory.parseString("pekko.cluster.split-brain-resolver.stable-after = 30s")
        .withFallback(BaseConfig.load());
    assertThat(merged.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds()).isEqualTo(30);
  }
}
