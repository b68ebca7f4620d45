package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.TestCerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.testing.TestCerts.KeyKind;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path and query the application sees are the request's own on every protocol: a
 * {@code Raw-Request-URI} field the client sends is just a header. Otherwise a proxy that allows
 * {@code /public} lets the client reach {@code /admin/...}, and the access log records the forged path.
 */
class RequestTargetTest {
  private static final Application ECHO = Application.of(r -> Response.ok(r.version() + " " + r.path() + "?" + r.query()
      + " raw=" + r.header("Raw-Request-URI").orElse("-")));
  private static final String FORGED = "raw-request-uri: /admin/secret?x=1";

  @TempDir
  Path dir;

  @Test
  void an_http2_cleartext_client_cannot_pick_the_path_with_a_raw_request_uri_header() throws Exception {
    TestCerts.assumeTool("curl");
    try (LogCapture log = new LogCapture(Loggers.ACCESS, ch.qos.logback.classic.Level.INFO);
        TestServer t = TestServer.start(ECHO, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
            .with(Settings.ACCESSLOG, "-").with(Settings.ACCESS_LOG_FORMAT, "target %(r)s %(s)s"))) {
      String body = curl("--http2-prior-knowledge", "-H", FORGED, "http://127.0.0.1:" + t.server.port() + "/public");
      assertThat(body).isEqualTo("200 2 HTTP/2.0 /public? raw=/admin/secret?x=1");
      await().untilAsserted(() -> assertThat(log.text()).contains("target GET /public HTTP/2.0 200")
          .doesNotContain("admin"));
    }
  }

  @Test
  void an_http2_client_over_tls_cannot_pick_the_path_with_a_raw_request_uri_header() throws Exception {
    TestCerts.assumeTool("curl");
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_PKCS8);
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
        .with(Settings.CERTFILE, Optional.of(pem[1])).with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1")))) {
      String body = curl("--http2", "-k", "-H", FORGED, "https://127.0.0.1:" + t.server.port() + "/public?y=2");
      assertThat(body).isEqualTo("200 2 HTTP/2.0 /public?y=2 raw=/admin/secret?x=1");
    }
  }

  @Test
  void an_http1_client_cannot_pick_the_path_with_a_raw_request_uri_header_on_either_kind_of_bind() throws Exception {
    for (boolean http2 : new boolean[] {false, true}) {
      try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.HTTP2_CLEARTEXT, http2));
          RawHttp connection = new RawHttp(t.server.port())) {
        RawHttp.Reply reply = connection.send("GET /public HTTP/1.1\r\nHost: x\r\nRaw-Request-URI: /admin/secret?x=1\r\n"
            + "raw-request-uri: /admin/other\r\n\r\n");
        assertThat(reply.body()).as("http2-cleartext %s", http2)
            .isEqualTo("HTTP/1.1 /public? raw=/admin/secret?x=1");
      }
    }
  }

  /** curl's status code, HTTP version and body as one line (or its failure). */
  static String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "-w", "\\n%{http_code} %{http_version}"));
    command.addAll(List.of(args));
    TestCerts.Result r = TestCerts.run(command);
    int newline = r.output().lastIndexOf('\n');
    assertThat(r.status()).as("curl: %s", r.output()).isZero();
    return r.output().substring(newline + 1) + " " + r.output().substring(0, newline);
  }
}
