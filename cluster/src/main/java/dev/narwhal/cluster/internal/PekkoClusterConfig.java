package dev.narwhal.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Pekko settings that turn an actor system into a cluster node, from Narwhal's cluster
 * settings. Layered over the server's merged configuration only when the cluster is enabled, so a
 * server without it keeps the local provider and opens no remoting port. Everything else about
 * the cluster (Split Brain Resolver, failure detection) is in this module's narwhal-cluster-pekko.conf,
 * its serializer bindings in its reference.conf.
 */
public final class PekkoClusterConfig {
  /** The actor system's name: the same on every node, part of every cluster address. */
  public static final String SYSTEM_NAME = ClusterRole.SYSTEM_NAME;
  /** The remoting address when the cluster is enabled without cluster.bind. */
  public static final BindAddress DEFAULT_BIND = new BindAddress("127.0.0.1", 25520);

  private PekkoClusterConfig() {}

  /**
   * @param bind this node's remoting address (port 0: a free one, for tests)
   * @param seeds the seed nodes' remoting addresses; empty: the node joins itself after start
   * @param roles the node's roles
   */
  public static Config overlay(BindAddress bind, List<BindAddress> seeds, List<String> roles) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", bind.host(),
        "pekko.remote.artery.canonical.port", bind.port(),
        "pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds.stream().map(PekkoClusterConfig::address).toList()),
        "pekko.cluster.roles", ConfigValueFactory.fromIterable(roles)), "narwhal.cluster settings");
  }

  /**
   * How the nodes talk: mutual TLS with cluster.certfile, keyfile and ca-certs (Pekko's
   * RotatingKeysSSLEngineProvider, which reads PEM files and always asks the connecting side for
   * its certificate too), or plain TCP. A plain cluster port lets anyone who reaches it join, reload
   * and down nodes and send requests as a node, so plain TCP on an address other hosts can reach
   * needs cluster.insecure.
   *
   * @throws SettingsException naming the setting when the files come without each other, or when
   *     a non-loopback bind would be plain TCP without cluster.insecure
   */
  public static Config transport(ServerConfig config, BindAddress bind) {
    Optional<Path> cert = config.get(Settings.CLUSTER_CERTFILE);
    Optional<Path> key = config.get(Settings.CLUSTER_KEYFILE);
    Optional<Path> ca = config.get(Settings.CLUSTER_CA_CERTS);
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) {
      if (!loopback(bind.host()) && !config.get(Settings.CLUSTER_INSECURE)) {
        throw config.invalid(Settings.CLUSTER_BIND, "a loopback address unless cluster.certfile, cluster.keyfile and "
            + "cluster.ca-certs set up mutual TLS (or cluster.insecure = on, for a network nothing else can reach)",
            "'" + bind + "' without TLS");
      }
      return ConfigFactory.empty();
    }
    if (cert.isEmpty()) {
      throw config.invalid(Settings.CLUSTER_CERTFILE, "this node's certificate, with cluster.keyfile and cluster.ca-certs",
          "nothing");
    }
    if (key.isEmpty()) {
      throw config.invalid(Settings.CLUSTER_KEYFILE, "the key of cluster.certfile", "nothing");
    }
    if (ca.isEmpty()) {
      throw config.invalid(Settings.CLUSTER_CA_CERTS, "the CA that signs every node's certificate", "nothing");
    }
    if (!rsa(key.get())) {
      // Pekko's engine reads the files only when a first connection is made: an EC key would fail
      // there, in a log line, with the node alone; here it stops start-up instead
      throw config.invalid(Settings.CLUSTER_KEYFILE, "an unencrypted RSA key in PEM (PKCS#8 or PKCS#1): Pekko's "
          + "cluster TLS reads no other kind", "'" + key.get() + "'");
    }
    String engine = "pekko.remote.artery.ssl.rotating-keys-engine.";
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.transport", "tls-tcp",
        "pekko.remote.artery.ssl.ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
        engine + "key-file", key.get().toAbsolutePath().toString(),
        engine + "cert-file", cert.get().toAbsolutePath().toString(),
        engine + "ca-cert-file", ca.get().toAbsolutePath().toString()), "narwhal.cluster TLS settings");
  }

  /** Whether the PEM file holds an RSA private key, PKCS#1 or unencrypted PKCS#8. */
  static boolean rsa(Path file) {
    try {
      String pem = Files.readString(file, StandardCharsets.ISO_8859_1);
      if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
        return true;
      }
      int start = pem.indexOf("-----BEGIN PRIVATE KEY-----");
      int end = pem.indexOf("-----END PRIVATE KEY-----");
      if (start < 0 || end < start) {
        return false;
      }
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + "-----BEGIN PRIVATE KEY-----".length(), end));
      KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
      return true;
    } catch (IOException | IllegalArgumentException | GeneralSecurityException notRsa) {
      return false;
    }
  }

  /** A loopback literal or localhost; a name is never resolved here, so any other one counts as reachable. */
  static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: parsed, not looked up
    } catch (UnknownHostException malformed) {
      return false;
    }
  }

  /** A node's cluster address, {@code pekko://narwhal@HOST:PORT}. */
  public static String address(BindAddress node) {
    String host = node.host().contains(":") ? "[" + node.host() + "]" : node.host();
    return "pekko://" + SYSTEM_NAME + "@" + host + ":" + node.port();
  }
}
