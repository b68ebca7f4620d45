package dev.narwhal.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class LocalSerializersTest {

  @Test
  void a_standalone_system_keeps_the_actor_modules_serializers_and_nulls_and_unbinds_remoting_cluster_and_jackson() {
    Config source = ConfigFactory.parseString("""
        pekko.actor.serializers {
          java = "org.apache.pekko.serialization.JavaSerializer"
          typed-misc = "org.apache.pekko.actor.typed.internal.MiscMessageSerializer"
          pekko-cluster = "org.apache.pekko.cluster.protobuf.ClusterMessageSerializer"
          pekko-misc = "org.apache.pekko.remote.serialization.MiscMessageSerializer"
          jackson-cbor = "org.apache.pekko.serialization.jackson.JacksonCborSerializer"
        }
        pekko.actor.serialization-bindings {
          "java.io.Serializable" = java
          "org.apache.pekko.actor.typed.ActorRef" = typed-misc
          "org.apache.pekko.cluster.ClusterMessage" = pekko-cluster
          "org.apache.pekko.Done" = pekko-misc
          "dev.narwhal.cluster.internal.CborSerializable" = jackson-cbor
        }
        pekko.actor.other = kept
        """);

    Config local = LocalSerializers.only(source);

    assertThat(local.getConfig("pekko.actor.serializers").root().unwrapped()).containsOnly(
        entry("java", "org.apache.pekko.serialization.JavaSerializer"),
        entry("typed-misc", "org.apache.pekko.actor.typed.internal.MiscMessageSerializer"),
        entry("pekko-cluster", UnusedSerializer.class.getName()),
        entry("pekko-misc", UnusedSerializer.class.getName()),
        entry("jackson-cbor", UnusedSerializer.class.getName()));
    assertThat(local.getConfig("pekko.actor.serialization-bindings").root().unwrapped()).containsOnly(
        entry("java.io.Serializable", "java"),
        entry("org.apache.pekko.actor.typed.ActorRef", "typed-misc"),
        entry("org.apache.pekko.cluster.ClusterMessage", "none"),
        entry("org.apache.pekko.Done", "none"),
        entry("dev.narwhal.cluster.internal.CborSerializable", "none"));
    assertThat(local.getString("pekko.actor.other")).isEqualTo("kept");
  }

  @Test
  void a_config_without_serializers_is_left_as_it_is() {
    Config source = ConfigFactory.parseString("a = 1");
    assertThat(LocalSerializers.only(source)).isSameAs(source);
  }
}
