package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestServer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The application sees the fields the client sent, and none that Pekko adds for its own use: a
 * made-up field the client never sent would pass for one it did, and the client can send a field of
 * that name too.
 */
class InternalHeadersTest {
  private static final Application FIELDS = Application.of(r -> Response.ok(r.headers().stream()
      .map(h -> h.name() + "=" + h.value()).collect(Collectors.joining(";"))));

  @Test
  void a_websocket_handshake_reaches_the_app_without_pekkos_upgrade_field() throws Exception {
    try (TestServer t = TestServer.start(FIELDS, c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

      assertThat(reply.body()).doesNotContainIgnoringCase("UpgradeToWebSocket").contains("Sec-WebSocket-Key=");
    }
  }

  @Test
  void a_field_the_client_names_like_pekkos_is_the_clients_own() throws Exception {
    try (TestServer t = TestServer.start(FIELDS, c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send("GET / HTTP/1.1\r\nHost: x\r\nUpgradeToWebSocket: forged\r\n\r\n");

      assertThat(reply.body()).contains("UpgradeToWebSocket=forged");
    }
  }
}
