package dev.narwhal.http.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * INTERNAL API. The TLS side of the binds: the server's key and certificate chain from
 * {@code keyfile} and {@code certfile} (PEM, read with BouncyCastle, which knows every common key
 * encoding: PKCS#8, PKCS#1 RSA and SEC1 EC), and client certificates per {@code cert-reqs}
 * checked against {@code ca-certs}.
 *
 * <p>Everything is read and checked once, at start-up, so a wrong file stops the server with a
 * message naming the setting (status 2) instead of failing every handshake later. A key that does
 * not belong to the certificate is caught by signing a probe with the key and verifying it with
 * the certificate's public key.
 */
public final class Tls {
  /** The keystore entry's password: the keystore never leaves memory, so it protects nothing. */
  private static final char[] IN_MEMORY = "narwhal".toCharArray();
  private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  static {
    // A client may ask a TLS 1.2 server to renegotiate as often as it likes, each time a full
    // handshake's CPU for the server, and RFC 9113 forbids it on HTTP/2. JSSE reads the property
    // when its first handshake starts, which is after this class is loaded: the narwhal command
    // (TlsFiles.check) and every server start (Transport) load it before anything else does TLS,
    // a cluster's included. A -D given explicitly wins.
    if (System.getProperty(REJECT_RENEGOTIATION) == null) {
      System.setProperty(REJECT_RENEGOTIATION, "true");
    }
  }

  private final SSLContext context;
  private final String clientCertificates;

  private Tls(SSLContext context, String clientCertificates) {
    this.context = context;
    this.clientCertificates = clientCertificates;
  }

  /**
   * The TLS setup the config asks for; empty when no certfile is set (plain HTTP).
   *
   * @throws SettingsException naming the setting, its file and line, when a file cannot be used
   */
  public static Optional<Tls> from(ServerConfig config) {
    Optional<Path> certfile = config.get(Settings.CERTFILE);
    Optional<Path> keyfile = config.get(Settings.KEYFILE);
    String certReqs = config.get(Settings.CERT_REQS);
    if (certfile.isEmpty()) {
      if (keyfile.isPresent()) {
        throw config.invalid(Settings.KEYFILE, "a key together with certfile, its certificate chain",
            "'" + keyfile.get() + "', but certfile is not set");
      }
      if (!certReqs.equals("none")) {
        throw config.invalid(Settings.CERT_REQS, "0 (none) without certfile", "'" + certReqs + "'");
      }
      return Optional.empty();
    }
    Setting<Optional<Path>> keySetting = keyfile.isPresent() ? Settings.KEYFILE : Settings.CERTFILE;
    PrivateKey key = readKey(config, keySetting, keyfile.orElse(certfile.get()));
    List<X509Certificate> chain = readCertificates(config, Settings.CERTFILE, certfile.get());
    checkPair(config, keySetting, key, chain.get(0));
    Optional<Path> ca = config.get(Settings.CA_CERTS);
    if (!certReqs.equals("none") && ca.isEmpty()) {
      throw config.invalid(Settings.CERT_REQS, "0 (none) unless ca-certs names the CAs client certificates are "
          + "checked against", "'" + certReqs + "' with no ca-certs");
    }
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", key, IN_MEMORY, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, IN_MEMORY);
      TrustManagerFactory tmf = null;
      if (ca.isPresent()) {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (X509Certificate c : readCertificates(config, Settings.CA_CERTS, ca.get())) {
          trusted.setCertificateEntry("ca-" + i++, c);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), new SecureRandom());
      return Optional.of(new Tls(context, certReqs));
    } catch (GeneralSecurityException | IOException e) {
      throw config.invalid(Settings.CERTFILE, "a key and certificate the JDK's TLS accepts",
          "'" + certfile.get() + "' (" + e.getMessage() + ")");
    }
  }

  /**
   * Pekko's HTTPS context: a fresh server-side engine per connection, from whichever {@code Tls}
   * {@code current} gives at that moment, asking for client certificates as configured.
   */
  static HttpsConnectionContext connectionContext(Supplier<Tls> current) {
    return ConnectionContext.httpsServer(() -> current.get().engine());
  }

  private SSLEngine engine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    switch (clientCertificates) {
      case "required" -> engine.setNeedClientAuth(true);
      case "optional" -> engine.setWantClientAuth(true);
      default -> { }
    }
    return engine;
  }

  private static PrivateKey readKey(ServerConfig config, Setting<Optional<Path>> setting, Path file) {
    String expected = "a PEM private key (PKCS#8, RSA or EC), unencrypted";
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
         PEMParser pem = new PEMParser(reader)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw config.invalid(setting, expected, "'" + file + "', whose key is encrypted "
              + "(decrypt it with: openssl pkey -in KEY -out KEY.plain)");
        }
      }
      throw config.invalid(setting, expected, "'" + file + "', which holds no private key");
    } catch (IOException | RuntimeException e) {
      if (e instanceof SettingsException s) {
        throw s;
      }
      throw config.invalid(setting, expected, "'" + file + "', whose key cannot be read (" + e.getMessage() + ")");
    }
  }

  private static List<X509Certificate> readCertificates(ServerConfig config, Setting<Optional<Path>> setting, Path file) {
    String expected = "PEM certificates";
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
         PEMParser pem = new PEMParser(reader)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw config.invalid(setting, expected, "'" + file + "', whose certificates cannot be read (" + e.getMessage() + ")");
    }
    if (certificates.isEmpty()) {
      throw config.invalid(setting, expected, "'" + file + "', which holds no certificate");
    }
    return certificates;
  }

  /** Signs a probe with the key and verifies it with the certificate: they belong together, or start-up stops. */
  private static void checkPair(ServerConfig config, Setting<Optional<Path>> keySetting, PrivateKey key,
      X509Certificate certificate) {
    PublicKey pub = certificate.getPublicKey();
    String mismatch = "'" + config.get(keySetting).orElseThrow() + "', whose key does not match the certificate in "
        + "certfile (" + certificate.getSubjectX500Principal() + ")";
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      throw config.invalid(keySetting, "the private key of certfile's certificate", mismatch);
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] probe = "narwhal key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw config.invalid(keySetting, "the private key of certfile's certificate", mismatch);
      }
    } catch (GeneralSecurityException e) {
      throw config.invalid(keySetting, "the private key of certfile's certificate", mismatch + ": " + e.getMessage());
    }
  }
}
