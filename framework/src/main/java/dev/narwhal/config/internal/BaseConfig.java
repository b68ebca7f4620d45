package dev.narwhal.config.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;

/**
 * INTERNAL API. Everything below the user's layers: Narwhal's tuning of Pekko over every
 * library's {@code reference.conf}. Each module's tuning has a file of its own
 * ({@code narwhal-pekko.conf} here, {@code narwhal-cluster-pekko.conf} in narwhal-cluster, when it
 * is on the class path; their keys do not overlap): a user's shaded jar keeps one file per name
 * unless its build is told to merge it, and a lost cluster tuning runs a cluster without its Split
 * Brain Resolver. Apart from ConfigLoader so that the defaults ({@code ServerConfig.defaults()},
 * for embedding and tests) do not load the command-line parser, which only the launcher ships.
 */
public final class BaseConfig {
  private static final List<String> TUNING = List.of("narwhal-pekko.conf", "narwhal-cluster-pekko.conf");

  private BaseConfig() {}

  public static Config load() {
    ClassLoader loader = BaseConfig.class.getClassLoader();
    Config tuning = ConfigFactory.empty();
    for (String name : TUNING) {
      tuning = tuning.withFallback(ConfigFactory.parseResources(loader, name));
    }
    return tuning.withFallback(ConfigFactory.defaultReference());
  }
}
