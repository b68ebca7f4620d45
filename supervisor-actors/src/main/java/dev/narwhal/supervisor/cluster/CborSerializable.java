package dev.narwhal.supervisor.cluster;

/**
 * Marks every message that crosses nodes: Pekko serializes it with Jackson CBOR (the binding is in
 * narwhal-pekko.conf). Java serialization stays off, so a cross-node message without this marker
 * fails loudly in the in-JVM serialization test rather than silently in production.
 */
public interface CborSerializable {}
