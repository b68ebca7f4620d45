package dev.narwhal.config.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * INTERNAL API. Everything below the user's layers: Narwhal's tuning of Pekko
 * ({@code narwhal-pekko.conf}) over every library's {@code reference.conf}. Every
 * {@code narwhal-pekko.conf} on the class path is merged (framework's, and the narwhal-cluster
 * module's tuning of Pekko Cluster when it is there; their keys do not overlap). Apart from
 * ConfigLoader so that the defaults ({@code ServerConfig.defaults()}, for embedding and tests) do
 * not load the command-line parser, which only the launcher ships.
 */
public final class BaseConfig {
  private BaseConfig() {}

  public static Config load() {
    return ConfigFactory.parseResources(BaseConfig.class.getClassLoader(), "narwhal-pekko.conf")
        .withFallback(ConfigFactory.defaultReference());
  }
}
