package dev.narwhal.server.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * INTERNAL API. A standalone server's actor system makes only the serializers of Pekko's actor
 * modules. Pekko creates every configured serializer and loads every bound class when its
 * serialization starts, and the runnable jar carries remoting, Pekko Cluster and Jackson for the
 * cluster module: without this a server with no cluster would build a Jackson mapper and load
 * ~250 cluster and remoting classes at every start, for messages that never leave the JVM.
 *
 * <p>Pekko lays the configuration it is given over every {@code reference.conf} again, so a
 * serializer cannot be removed, only replaced: each foreign one becomes an {@link UnusedSerializer}
 * and each of its bindings {@code "none"} (Pekko's way to unbind a class).
 */
public final class LocalSerializers {
  private static final String SERIALIZERS = "pekko.actor.serializers";
  private static final String BINDINGS = "pekko.actor.serialization-bindings";
  private static final String UNUSED = UnusedSerializer.class.getName();

  private LocalSerializers() {
  }

  public static Config only(Config source) {
    if (!source.hasPath(SERIALIZERS) || !source.hasPath(BINDINGS)) {
      return source;
    }
    Map<String, Object> serializers = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : source.getConfig(SERIALIZERS).root().entrySet()) {
      String serializer = String.valueOf(e.getValue().unwrapped());
      serializers.put(e.getKey(), local(serializer) ? serializer : UNUSED);
    }
    Map<String, Object> bindings = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : source.getConfig(BINDINGS).root().entrySet()) {
      String alias = String.valueOf(e.getValue().unwrapped());
      bindings.put(e.getKey(), UNUSED.equals(serializers.get(alias)) ? "none" : alias);
    }
    // fromMap takes each key as one key, not a path: binding keys are class names with dots
    return source.withValue(SERIALIZERS, ConfigValueFactory.fromMap(serializers))
        .withValue(BINDINGS, ConfigValueFactory.fromMap(bindings));
  }

  private static boolean local(String serializerClass) {
    return serializerClass.startsWith("org.apache.pekko.actor.")
        || serializerClass.startsWith("org.apache.pekko.serialization.")
        && !serializerClass.startsWith("org.apache.pekko.serialization.jackson.");
  }
}
