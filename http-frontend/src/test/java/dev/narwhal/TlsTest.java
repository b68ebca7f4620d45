package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.TestCerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.testing.TestCerts.KeyKind;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTPS from keyfile and certfile, HTTP/2 over TLS and in cleartext, client certificates, and bad key files. */
class TlsTest {
  /** Answers with what the application saw of the transport. */
  static final Application ECHO = Application.of(r -> Response.ok(r.scheme() + " " + r.version()
      + (r.query().isEmpty() ? "" : " " + r.path() + "?" + r.query() + " host=" + r.header("Host").orElse("-"))));

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(KeyKind.class)
  void https_serves_with_each_kind_of_pem_key(KeyKind kind) throws Exception {
    Path[] pem = TestCerts.server(dir, "server", kind);
    try (LogCapture log = new LogCapture("narwhal", ch.qos.logback.classic.Level.INFO); // the ready line
        TestServer t = TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
            .with(Settings.CERTFILE, Optional.of(pem[1])));
        HttpClient client = HttpClient.newBuilder().sslContext(TestCerts.trusting(pem[1])).build()) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(https(t, "/")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as("h1 only by default, even to a client that prefers HTTP/2").isEqualTo("https HTTP/1.1");
      assertThat(r.headers().firstValue("server")).contains("narwhal");
      assertThat(log.text()).contains("Listening at: https://127.0.0.1:" + t.server.port());
    }
  }

  @Test
  void a_key_given_inside_certfile_alone_is_used() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_PKCS8);
    Path both = Files.writeString(dir.resolve("both.pem"), Files.readString(pem[1]) + Files.readString(pem[0]));
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.CERTFILE, Optional.of(both)));
        HttpClient client = HttpClient.newBuilder().sslContext(TestCerts.trusting(pem[1])).build()) {
      assertThat(client.send(HttpRequest.newBuilder(https(t, "/")).build(), HttpResponse.BodyHandlers.ofString()).body())
          .startsWith("https");
    }
  }

  @Test
  void h2_in_http_protocols_gives_curl_http2_over_tls_and_keeps_http1_for_others() throws Exception {
    TestCerts.assumeTool("curl");
    Path[] pem = TestCerts.server(dir, "server", KeyKind.RSA_PKCS8);
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
            .with(Settings.CERTFILE, Optional.of(pem[1])).with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1")));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(TestCerts.trusting(pem[1])).build()) {
      TestCerts.Result h2 = curl("--http2", "-k", "https://127.0.0.1:" + t.server.port() + "/a%20b?x=1");
      assertThat(h2.output()).isEqualTo("200 2 https HTTP/2.0 /a%20b?x=1 host=127.0.0.1:" + t.server.port());
      HttpResponse<String> h1 = client.send(HttpRequest.newBuilder(https(t, "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(h1.body()).isEqualTo("https HTTP/1.1");
      assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }

  @Test
  void http2_cleartext_serves_prior_knowledge_h2c_and_still_http1_on_the_same_bind() throws Exception {
    TestCerts.assumeTool("curl");
    try (LogCapture log = new LogCapture(Loggers.ACCESS, ch.qos.logback.classic.Level.INFO);
        TestServer t = TestServer.start(ECHO, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
            .with(Settings.ACCESSLOG, "-").with(Settings.ACCESS_LOG_FORMAT, "%(H)s %(r)s %(s)s"))) {
      TestCerts.Result h2c = curl("--http2-prior-knowledge", "http://127.0.0.1:" + t.server.port() + "/a%20b?x=1");
      assertThat(h2c.output()).isEqualTo("200 2 http HTTP/2.0 /a%20b?x=1 host=127.0.0.1:" + t.server.port());
      assertThat(t.get("/").body()).isEqualTo("http HTTP/1.1");
      org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(log.text())
          .contains("HTTP/2.0 GET /a%20b?x=1 HTTP/2.0 200").contains("HTTP/1.1 GET / HTTP/1.1 200"));
    }
  }

  @Test
  void an_http2_bind_still_applies_the_framing_checks_and_keepalive_off_to_http1_requests() throws Exception {
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
            .with(Settings.KEEPALIVE, Duration.ZERO));
        RawHttp smuggler = new RawHttp(t.server.port());
        RawHttp plain = new RawHttp(t.server.port())) {
      RawHttp.Reply refused = smuggler.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \"chunked\"\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n");
      assertThat(refused.status()).isEqualTo(400);
      org.awaitility.Awaitility.await().until(smuggler::closedByServer);
      RawHttp.Reply ok = plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(ok.headers()).containsEntry("connection", "close");
      org.awaitility.Awaitility.await().until(plain::closedByServer);
    }
  }

  @Test
  void http2_cleartext_off_answers_a_prior_knowledge_client_with_http1_only() throws Exception {
    TestCerts.assumeTool("curl");
    try (TestServer t = TestServer.start(ECHO, c -> c)) {
      TestCerts.Result h2c = curl("--http2-prior-knowledge", "http://127.0.0.1:" + t.server.port() + "/");
      assertThat(h2c.output()).doesNotStartWith("200 2");
    }
  }

  @Test
  void cert_reqs_required_refuses_a_client_without_a_certificate_and_serves_one_with() throws Exception {
    TestCerts.assumeTool("curl");
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_SEC1);
    Path[] ca = TestCerts.clientCa(dir);
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
        .with(Settings.CERTFILE, Optional.of(pem[1])).with(Settings.CA_CERTS, Optional.of(ca[0]))
        .with(Settings.CERT_REQS, "required"))) {
      String url = "https://127.0.0.1:" + t.server.port() + "/";
      TestCerts.Result without = curl("-k", url);
      assertThat(without.status()).as("curl without a client certificate: %s", without.output()).isNotZero();
      assertThat(without.output()).doesNotStartWith("200");
      TestCerts.Result with = curl("-k", "--cert", ca[2].toString(), "--key", ca[1].toString(), url);
      assertThat(with.output()).isEqualTo("200 1.1 https HTTP/1.1");
    }
  }

  @Test
  void the_certificate_a_client_presents_reaches_the_application_over_http1_and_http2() throws Exception {
    TestCerts.assumeTool("curl");
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_SEC1);
    Path[] ca = TestCerts.clientCa(dir);
    Application subject = Application.of(r -> Response.ok(r.clientCertificates().isEmpty() ? "none"
        : r.clientCertificates().get(0).getSubjectX500Principal().getName()));
    try (TestServer t = TestServer.start(subject, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
        .with(Settings.CERTFILE, Optional.of(pem[1])).with(Settings.CA_CERTS, Optional.of(ca[0]))
        .with(Settings.CERT_REQS, "optional").with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1")))) {
      String url = "https://127.0.0.1:" + t.server.port() + "/";
      String[] client = {"--cert", ca[2].toString(), "--key", ca[1].toString()};
      assertThat(curl("-k", "--http1.1", client[0], client[1], client[2], client[3], url).output())
          .isEqualTo("200 1.1 CN=client");
      assertThat(curl("-k", "--http2", client[0], client[1], client[2], client[3], url).output())
          .isEqualTo("200 2 CN=client");
      assertThat(curl("-k", "--http1.1", url).output()).isEqualTo("200 1.1 none");
    }
  }

  @Test
  void a_client_cannot_make_the_server_renegotiate_tls_1_2() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_PKCS8);
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
        .with(Settings.CERTFILE, Optional.of(pem[1])));
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TestCerts.trusting(pem[1]).getSocketFactory()
            .createSocket("127.0.0.1", t.server.port())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setSoTimeout(10_000);
      socket.startHandshake();

      // a second handshake on the same connection is the renegotiation: the server refuses it
      assertThatThrownBy(() -> {
        socket.startHandshake();
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        if (socket.getInputStream().read() < 0) {
          throw new java.io.EOFException("closed");
        }
      }).isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void a_key_file_that_is_not_a_key_stops_start_up_with_status_2() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_SEC1);
    Path garbage = Files.writeString(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(garbage))
        .with(Settings.CERTFILE, Optional.of(pem[1]))))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("narwhal.keyfile: expected a PEM private key")
        .hasMessageContaining("whose key cannot be read");
  }

  @Test
  void cert_reqs_without_ca_certs_is_a_config_error() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_SEC1);
    assertThatThrownBy(() -> TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
        .with(Settings.CERTFILE, Optional.of(pem[1])).with(Settings.CERT_REQS, "required")))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("narwhal.cert-reqs: expected 0 (none) unless ca-certs names the CAs");
  }

  @Test
  void a_reload_serves_renewed_certificates_to_new_connections_and_keeps_the_old_on_a_bad_key() throws Exception {
    Path[] first = TestCerts.server(dir, "first", KeyKind.EC_SEC1);
    Path[] renewed = TestCerts.server(dir, "renewed", KeyKind.RSA_PKCS8);
    Path garbage = Files.writeString(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(first[0]))
        .with(Settings.CERTFILE, Optional.of(first[1])))) {
      assertThat(getOverTls(t, first[1])).isEqualTo("https HTTP/1.1");

      assertThatThrownBy(() -> t.server.reload(t.server.config().with(Settings.KEYFILE, Optional.of(garbage)), () -> ECHO))
          .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2));
      assertThat(getOverTls(t, first[1])).as("a bad key leaves the served certificate alone").isEqualTo("https HTTP/1.1");

      t.server.reload(t.server.config().with(Settings.KEYFILE, Optional.of(renewed[0]))
          .with(Settings.CERTFILE, Optional.of(renewed[1])), () -> ECHO);
      assertThat(getOverTls(t, renewed[1])).isEqualTo("https HTTP/1.1");
      assertThatThrownBy(() -> getOverTls(t, first[1])).as("the old certificate is no longer served")
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  /** A GET on a new connection from a client that trusts only {@code certificate}. */
  private static String getOverTls(TestServer t, Path certificate) throws Exception {
    try (HttpClient client = HttpClient.newBuilder().sslContext(TestCerts.trusting(certificate)).build()) {
      return client.send(HttpRequest.newBuilder(https(t, "/")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  @Test
  void a_keyfile_without_certfile_is_a_config_error() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_SEC1);
    assertThatThrownBy(() -> TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))))
        .isInstanceOfSatisfying(ServerStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
        .hasMessageContaining("narwhal.keyfile: expected a key together with certfile")
        .hasMessageContaining("but certfile is not set");
  }

  private static URI https(TestServer t, String path) {
    return URI.create("https://127.0.0.1:" + t.server.port() + path);
  }

  /** curl's exit status, and its status code, HTTP version and the body as one line. */
  private static TestCerts.Result curl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "--max-time", "20",
        "-w", "\\n%{http_code} %{http_version}"));
    command.addAll(List.of(args));
    TestCerts.Result r = TestCerts.run(command);
    int newline = r.output().lastIndexOf('\n');
    if (r.status() != 0 || newline < 0) {
      return r;
    }
    return new TestCerts.Result(0, r.output().substring(newline + 1) + " " + r.output().substring(0, newline));
  }
}
