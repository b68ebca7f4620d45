package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import dev.narwhal.testing.TestCerts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestInfoTest {
  private final Bridge bridge = new Bridge();

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    bridge.close();
  }

  private ServletApp describe() throws Exception {
    return bridge.start(ServletApp.builder().servlet("d", Bridge.servlet((req, resp) -> {
      req.setAttribute("a", 1);
      req.setAttribute("a", null);
      resp.getWriter().print(req.getMethod() + " " + req.getScheme() + " " + req.isSecure() + " "
          + req.getRemoteAddr() + ":" + req.getRemotePort() + " " + req.getServerName() + ":" + req.getServerPort()
          + " " + req.getRequestURL() + " " + req.getProtocol() + " " + req.getLocale().toLanguageTag() + " "
          + Collections.list(req.getLocales()) + " " + req.getAttribute("a"));
    }), "/*"));
  }

  @Test
  void scheme_secure_flag_and_client_address_come_from_narwhal_s_request_forwarded_headers_applied() throws Exception {
    Request request = Request.builder("GET", "/orders").query("x=1").header("Host", "shop.example")
        .header("Accept-Language", "fr-CH, en;q=0.5, de;q=0.8")
        .remoteAddress(new InetSocketAddress("10.0.0.1", 40000))
        .clientAddress(new InetSocketAddress("203.0.113.7", 0))
        .scheme("https").build();

    assertThat(describe().handle(request).bodyAsString()).isEqualTo(
        "GET https true 203.0.113.7:0 shop.example:443 https://shop.example/orders HTTP/1.1 fr-CH [fr_CH, de, en] null");
  }

  @Test
  void the_client_s_certificate_chain_is_the_standard_x509_attribute_and_absent_without_one() throws Exception {
    X509Certificate client = TestCerts.clientCertificate(dir);
    ServletApp app = bridge.start(ServletApp.builder().servlet("c", Bridge.servlet((req, resp) -> {
      Object chain = req.getAttribute("jakarta.servlet.request.X509Certificate");
      resp.getWriter().print(chain instanceof X509Certificate[] certs
          ? certs.length + " " + certs[0].getSubjectX500Principal().getName()
          : String.valueOf(chain));
    }), "/*"));

    Request withCertificate = Request.builder("GET", "/").header("Host", "x").scheme("https")
        .clientCertificates(List.of(client)).build();
    assertThat(app.handle(withCertificate).bodyAsString()).isEqualTo("1 CN=client");
    assertThat(app.handle(Request.builder("GET", "/").header("Host", "x").build()).bodyAsString()).isEqualTo("null");
  }

  @Test
  void without_a_proxy_the_peer_is_the_client_and_the_host_header_gives_name_and_port() throws Exception {
    Request request = Request.builder("POST", "/").header("Host", "[::1]:8443")
        .remoteAddress(new InetSocketAddress("127.0.0.1", 51000)).build();

    assertThat(describe().handle(request).bodyAsString()).isEqualTo(
        "POST http false 127.0.0.1:51000 [::1]:8443 http://[::1]:8443/ HTTP/1.1 " + Locale.getDefault().toLanguageTag()
            + " [" + Locale.getDefault() + "] null");
  }
}
