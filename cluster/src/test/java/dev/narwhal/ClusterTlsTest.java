package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.TestCerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster port speaks mutual TLS (cluster.certfile, keyfile, ca-certs): only a process with a
 * certificate from the cluster's CA becomes a member or even gets past the handshake, and a plain
 * port on an address other hosts reach is refused unless cluster.insecure says so.
 */
class ClusterTlsTest {
  static final Duration WAIT = Duration.ofSeconds(45);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static ServerConfig node(ServerConfig c, Path[] files, List<BindAddress> seeds) {
    return c.withWorkers(1)
        .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", 0)))
        .with(Settings.CLUSTER_SEED_NODES, seeds)
        .with(Settings.CLUSTER_CA_CERTS, Optional.of(files[0]))
        .with(Settings.CLUSTER_KEYFILE, Optional.of(files[1]))
        .with(Settings.CLUSTER_CERTFILE, Optional.of(files[2]));
  }

  static BindAddress clusterBind(TestServer node) {
    String address = node.server.clusterAddress().orElseThrow();
    return BindAddress.parse(address.substring(address.indexOf('@') + 1));
  }

  static int membersUp(TestServer node) throws Exception {
    JsonNode view = JSON.readTree(node.adminGet("/stats?scope=cluster").body());
    int up = 0;
    for (JsonNode m : view.path("members")) {
      up += m.path("status").asText().equals("Up") ? 1 : 0;
    }
    return view.path("members").size() == up ? up : -view.path("members").size();
  }

  @Test
  void nodes_with_certificates_from_the_cluster_ca_form_a_cluster_and_a_node_from_another_ca_never_joins()
      throws Exception {
    Path[] ca = TestCerts.clusterCa(dir, "ours");
    Path[] stranger = TestCerts.clusterCa(dir, "theirs");
    Path[] aFiles = TestCerts.clusterNode(dir, "a", ca);
    Path[] bFiles = TestCerts.clusterNode(dir, "b", ca);
    Path[] cFiles = TestCerts.clusterNode(dir, "c", stranger);
    Application ok = Application.of(r -> Response.ok("ok"));
    try (TestServer a = TestServer.start(ok, c -> node(c, aFiles, List.of()))) {
      List<BindAddress> seeds = List.of(clusterBind(a));
      try (TestServer b = TestServer.start(ok, c -> node(c, bFiles, seeds))) {
        await().atMost(WAIT).until(() -> membersUp(a) == 2 && membersUp(b) == 2);
        try (TestServer intruder = TestServer.start(ok, c -> node(c, cFiles, seeds))) {
          // it retries its join every 2 s; over several tries it must stay outside
          await().during(Duration.ofSeconds(8)).atMost(WAIT)
              .untilAsserted(() -> assertThat(membersUp(a)).as("members of a").isEqualTo(2));
          assertThat(membersUp(intruder)).as("members the intruder sees").isLessThanOrEqualTo(0);
        }
      }
    }
  }

  @Test
  void the_cluster_port_completes_a_handshake_only_for_a_client_with_a_certificate_from_the_cluster_ca()
      throws Exception {
    Path[] ca = TestCerts.clusterCa(dir, "ours");
    Path[] aFiles = TestCerts.clusterNode(dir, "a", ca);
    Path[] clientFiles = TestCerts.clusterNode(dir, "client", ca);
    try (TestServer a = TestServer.start(Application.of(r -> Response.ok("ok")), c -> node(c, aFiles, List.of()))) {
      BindAddress port = clusterBind(a);
      // with a node certificate the connection stays open, waiting for Artery's first bytes
      try (SSLSocket with = (SSLSocket) context(ca[0], clientFiles).getSocketFactory().createSocket(port.host(), port.port())) {
        with.setSoTimeout(3000);
        with.startHandshake();
        assertThatThrownBy(() -> with.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      }
      // without one the server side ends the handshake (TLS 1.3 reports it at the first read)
      try (SSLSocket without = (SSLSocket) context(ca[0], null).getSocketFactory().createSocket(port.host(), port.port())) {
        without.setSoTimeout(10_000);
        assertThatThrownBy(() -> {
          without.startHandshake();
          without.getOutputStream().write(new byte[] {'A', 'K', 'K', 'A'});
          without.getOutputStream().flush();
          if (without.getInputStream().read() < 0) {
            throw new IOException("closed");
          }
        }).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
      }
    }
  }

  @Test
  void a_plain_cluster_port_on_a_reachable_address_stops_start_up_with_status_2_naming_the_key() {
    // 192.0.2.1 (TEST-NET-1) is never this machine's: the check must come before any bind
    Optional<BindAddress> reachable = Optional.of(new BindAddress("192.0.2.1", 0));
    assertThatThrownBy(() -> TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1)
        .with(Settings.CLUSTER_BIND, reachable)))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("narwhal.cluster.bind")
        .hasMessageContaining("cluster.insecure");
    // cluster.insecure lets it past the check, to the bind, which fails as a bind does (status 1)
    assertThatThrownBy(() -> TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1)
        .with(Settings.CLUSTER_BIND, reachable).with(Settings.CLUSTER_INSECURE, true)))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(1))
        .hasMessageContaining("(cluster.bind)");
  }

  @Test
  void a_cluster_key_pekko_cannot_read_stops_start_up_with_status_2_naming_the_key() throws Exception {
    Path[] ca = TestCerts.clusterCa(dir, "ours");
    Path[] node = TestCerts.clusterNode(dir, "a", ca);
    Path ecKey = TestCerts.server(dir, "ec", TestCerts.KeyKind.EC_PKCS8)[0];
    assertThatThrownBy(() -> TestServer.start(Application.of(r -> Response.ok("ok")),
        c -> node(c, new Path[] {node[0], ecKey, node[2]}, List.of())))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("narwhal.cluster.keyfile")
        .hasMessageContaining("RSA");
    assertThatThrownBy(() -> TestServer.start(Application.of(r -> Response.ok("ok")),
        c -> node(c, node, List.of()).with(Settings.CLUSTER_CA_CERTS, Optional.empty())))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("narwhal.cluster.ca-certs");
  }

  /** Trusts {@code ca}; presents {@code files}' key and certificate when given. */
  static SSLContext context(Path ca, Path[] files) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    try (InputStream in = Files.newInputStream(ca)) {
      trusted.setCertificateEntry("ca", x509.generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    KeyManagerFactory kmf = null;
    if (files != null) {
      String pem = Files.readString(files[1]).replaceAll("-----[A-Z ]+-----", "");
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
      Certificate cert;
      try (InputStream in = Files.newInputStream(files[2])) {
        cert = x509.generateCertificate(in);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("node", key, new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
