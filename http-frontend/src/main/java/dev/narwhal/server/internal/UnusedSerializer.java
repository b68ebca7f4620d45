package dev.narwhal.server.internal;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/**
 * INTERNAL API. What {@link LocalSerializers} puts in place of a remoting, cluster or Jackson
 * serializer in a standalone server: nothing is bound to it, so it never runs, and making it loads
 * nothing. Pekko wants every serializer's identifier unique, so each takes one from its name.
 */
public final class UnusedSerializer extends JSerializer {
  private final String name;
  private final int identifier;

  /** The constructor Pekko calls with the serializer's name in {@code pekko.actor.serializers}. */
  public UnusedSerializer(ExtendedActorSystem system, String name) {
    this.name = name;
    // negative: never one of Pekko's (0-40) nor a user's positive identifier
    this.identifier = -1 - Math.floorMod(name.hashCode(), 1 << 30);
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    throw new UnsupportedOperationException("serializer '" + name + "' is off: this server has no cluster");
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    throw new UnsupportedOperationException("serializer '" + name + "' is off: this server has no cluster");
  }
}
