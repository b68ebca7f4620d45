package dev.narwhal.testing;

import dev.narwhal.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway keys and certificates made by openssl at test time (no key material lives in the
 * repository): a server certificate for 127.0.0.1 and localhost in the key encoding asked for, and
 * a small CA with a client certificate for the client-certificate tests.
 */
public final class TestCerts {
  /** The PEM encodings a keyfile may come in. */
  public enum KeyKind {
    RSA_PKCS1, RSA_PKCS8, EC_SEC1, EC_PKCS8
  }

  private TestCerts() {}

  /** Skips the test where an outside tool (openssl, curl, haproxy) is not installed; fails it in CI. */
  public static void assumeTool(String tool) {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      found |= Files.isExecutable(Path.of(dir, tool));
    }
    // in CI a missing tool is a broken machine, not a reason to skip: .ci/run installs every one
    if (!found && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(tool + " is not installed; .ci/run installs it");
    }
    assumeTrue(found, tool + " is not installed");
  }

  /** A key of {@code kind} and a self-signed certificate for it, as {@code NAME.key} and {@code NAME.pem}. */
  public static Path[] server(Path dir, String name, KeyKind kind) throws Exception {
    assumeTool("openssl");
    Path key = dir.resolve(name + ".key");
    Path cert = dir.resolve(name + ".pem");
    Path raw = dir.resolve(name + ".raw.key");
    switch (kind) {
      case RSA_PKCS1 -> openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
      case RSA_PKCS8 -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
      case EC_SEC1 -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
      case EC_PKCS8 -> {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", raw.toString());
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", raw.toString(), "-out", key.toString());
      }
    }
    openssl("req", "-new", "-x509", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    String header = Files.readString(key);
    assertThat(header).contains(switch (kind) {
      case RSA_PKCS1 -> "BEGIN RSA PRIVATE KEY";
      case EC_SEC1 -> "BEGIN EC PRIVATE KEY";
      default -> "BEGIN PRIVATE KEY";
    });
    return new Path[] {key, cert};
  }

  /** A CA ({@code ca.pem}) and a client key and certificate it signed ({@code client.key}, {@code client.pem}). */
  public static Path[] clientCa(Path dir) throws Exception {
    Path caKey = dir.resolve("ca.key");
    Path ca = dir.resolve("ca.pem");
    Path clientKey = dir.resolve("client.key");
    Path csr = dir.resolve("client.csr");
    Path client = dir.resolve("client.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", caKey.toString());
    openssl("req", "-new", "-x509", "-key", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=Test CA");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", clientKey.toString());
    openssl("req", "-new", "-key", clientKey.toString(), "-out", csr.toString(), "-subj", "/CN=client");
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", client.toString(), "-days", "2");
    return new Path[] {ca, clientKey, client};
  }

  /**
   * A cluster CA ({@code NAME-ca.pem}) and one node's RSA key and certificate it signed
   * ({@code NAME.key}, {@code NAME.pem}). Pekko's PEM engine wants RSA and a certificate issued by
   * the root itself, and the nodes' certificates to share a subject name: every node gets
   * CN=narwhal-cluster, so only the CA tells two clusters' nodes apart.
   */
  public static Path[] clusterNode(Path dir, String name, Path[] ca) throws Exception {
    assumeTool("openssl");
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".pem");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
    openssl("req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=narwhal-cluster");
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca[0].toString(), "-CAkey", ca[1].toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "2");
    return new Path[] {ca[0], key, cert};
  }

  /** A cluster CA: {@code NAME-ca.pem} and its RSA key {@code NAME-ca.key}. */
  public static Path[] clusterCa(Path dir, String name) throws Exception {
    assumeTool("openssl");
    Path key = dir.resolve(name + "-ca.key");
    Path ca = dir.resolve(name + "-ca.pem");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
    openssl("req", "-new", "-x509", "-key", key.toString(), "-out", ca.toString(), "-days", "2",
        "-subj", "/CN=" + name + " cluster CA");
    return new Path[] {ca, key};
  }

  /** The client certificate (CN=client) of a new {@link #clientCa}, read as the JDK reads it. */
  public static X509Certificate clientCertificate(Path dir) throws Exception {
    assumeTool("openssl");
    try (InputStream in = Files.newInputStream(clientCa(dir)[2])) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** An SSLContext that trusts exactly {@code certificate} (the test server's self-signed one). */
  public static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** Runs a command to completion (bounded), returning its exit status and combined output. */
  public static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Result(p.exitValue(), new String(out));
  }

  public record Result(int status, String output) {}

  private static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Result r = run(command);
    assertThat(r.status()).as("openssl %s: %s", args[0], r.output()).isZero();
  }
}
