package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.Settings;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The methods of IANA's HTTP Method Registry (WebDAV's PROPFIND, MKCOL, LOCK, ..., and QUERY)
 * reach the application, as gunicorn, Tomcat and Jetty hand them over; a method outside it is
 * still 501 before any worker sees it.
 */
class ExtensionMethodsTest {
  private static final Application ECHO_METHOD =
      Application.of(r -> Response.ok(r.method() + " " + r.path() + " " + r.bodyAsString()));

  @Test
  void webdav_methods_reach_the_application_with_their_bodies() throws Exception {
    try (TestServer t = TestServer.start(ECHO_METHOD, c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      String xml = "<propfind xmlns=\"DAV:\"><allprop/></propfind>";
      RawHttp.Reply propfind = connection.send("PROPFIND /files/ HTTP/1.1\r\nHost: x\r\nDepth: 1\r\n"
          + "Content-Length: " + xml.length() + "\r\n\r\n" + xml);
      assertThat(propfind.status()).isEqualTo(200);
      assertThat(propfind.body()).isEqualTo("PROPFIND /files/ " + xml);
      for (String method : new String[] {"MKCOL", "LOCK", "UNLOCK", "REPORT", "QUERY"}) {
        assertThat(connection.send(method + " /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").body())
            .isEqualTo(method + " /x ");
      }
    }
  }

  @Test
  void a_method_outside_the_registry_is_still_501_and_never_reaches_the_application() throws Exception {
    try (TestServer t = TestServer.start(ECHO_METHOD, c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(501);
    }
  }

  @Test
  void a_webdav_method_over_http2_reaches_the_application_too() throws Exception {
    try (TestServer t = TestServer.start(ECHO_METHOD, c -> c.with(Settings.HTTP2_CLEARTEXT, true));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.requestMethod(1, "PROPFIND", "/files/");
      assertThat(RawHttp2.status(connection.readUntil(RawHttp2.HEADERS, 1))).isEqualTo(200);
      assertThat(new String(connection.readUntil(RawHttp2.DATA, 1).payload(), StandardCharsets.UTF_8))
          .isEqualTo("PROPFIND /files/ ");
    }
  }
}
