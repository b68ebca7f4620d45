package dev.narwhal.cluster.internal;

/**
 * Marks every message that crosses nodes: Pekko serializes it with Jackson CBOR (the binding is in
 * this module's reference.conf). Java serialization stays off, so a cross-node message without this marker
 * fails loudly in the in-JVM serialization test rather than silently in production.
 */
public interface CborSerializable {}
