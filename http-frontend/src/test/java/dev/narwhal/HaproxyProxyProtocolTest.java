package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Debian's real haproxy in front of a server with proxy-protocol on, sending the header as its
 * {@code send-proxy} (v1) and {@code send-proxy-v2} do: the application and the access log see the
 * client haproxy saw, not haproxy. The client connects from 127.0.0.2, so its address cannot be
 * mistaken for haproxy's own (127.0.0.1), and from a port of its own, which must come through too.
 * haproxy runs in TCP mode, so an HTTP/2 (h2c) client goes through it unchanged.
 */
class HaproxyProxyProtocolTest {
  private static final InetAddress CLIENT = address("127.0.0.2");

  /** remote address | client address, as the application saw them. */
  static final Application WHO = Application.of(r -> Response.ok(ProxyProtocolTest.address(r.remoteAddress().orElseThrow())
      + " | " + ProxyProtocolTest.address(r.clientAddress().orElseThrow())));

  @TempDir
  Path dir;

  @ParameterizedTest(name = "haproxy {0} to proxy-protocol {1}")
  @CsvSource({"send-proxy, v1", "send-proxy-v2, v2", "send-proxy, auto", "send-proxy-v2, auto"})
  void the_application_and_the_access_log_see_the_client_haproxy_saw(String sendProxy, String mode) throws Exception {
    TestCerts.assumeTool("haproxy");
    try (LogCapture access = new LogCapture(Loggers.ACCESS, Level.INFO);
        TestServer t = TestServer.start(WHO, c -> c.with(Settings.PROXY_PROTOCOL, mode).with(Settings.ACCESSLOG, "-")
            .with(Settings.ACCESS_LOG_FORMAT, "%(h)s %({REMOTE_PORT}e)s %(U)s %(s)s"));
        Haproxy haproxy = Haproxy.start(dir, t.server.port(), sendProxy)) {
      for (int request = 0; request < 2; request++) { // two connections, each with its own header
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), haproxy.port, CLIENT, 0);
            RawHttp connection = new RawHttp(socket)) {
          String client = "127.0.0.2:" + socket.getLocalPort();
          RawHttp.Reply reply = connection.send("GET /through-haproxy HTTP/1.1\r\nHost: x\r\n\r\n");
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.body()).isEqualTo(client + " | " + client);
          assertThat(connection.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n").body()).as("keep-alive")
              .isEqualTo(client + " | " + client);
          await().until(() -> access.text().contains("127.0.0.2 " + socket.getLocalPort() + " /through-haproxy 200"));
        }
      }
    }
  }

  @Test
  void an_http2_client_through_haproxy_is_seen_as_itself_too() throws Exception {
    TestCerts.assumeTool("haproxy");
    TestCerts.assumeTool("curl");
    try (TestServer t = TestServer.start(WHO, c -> c.with(Settings.PROXY_PROTOCOL, "v2")
            .with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1")).with(Settings.HTTP2_CLEARTEXT, true));
        Haproxy haproxy = Haproxy.start(dir, t.server.port(), "send-proxy-v2")) {
      TestCerts.Result curl = TestCerts.run(List.of("curl", "-sS", "--http2-prior-knowledge", "--interface", "127.0.0.2",
          "-w", " %{http_version}", "http://127.0.0.1:" + haproxy.port + "/h2"));
      assertThat(curl.status()).as(curl.output()).isZero();
      assertThat(curl.output()).matches("127\\.0\\.0\\.2:\\d+ \\| 127\\.0\\.0\\.2:\\d+ 2");
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** haproxy in the foreground (-db) on a free loopback port, in TCP mode: one backend connection per client. */
  private record Haproxy(Process process, int port, Path output) implements AutoCloseable {
    static Haproxy start(Path dir, int backendPort, String sendProxy) throws Exception {
      int port;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
          "global",
          "  maxconn 64",
          "defaults",
          "  mode tcp",
          "  timeout connect 5s",
          "  timeout client 30s",
          "  timeout server 30s",
          "frontend clients",
          "  bind 127.0.0.1:" + port,
          "  default_backend narwhal",
          "backend narwhal",
          "  server narwhal 127.0.0.1:" + backendPort + " " + sendProxy,
          ""));
      Path output = dir.resolve("haproxy.out");
      Process process = new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      Haproxy haproxy = new Haproxy(process, port, output);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          assertThat(process.isAlive()).as("haproxy: %s", Files.readString(output)).isTrue();
          try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
      } catch (RuntimeException | Error e) {
        haproxy.close();
        throw e;
      }
      return haproxy;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
