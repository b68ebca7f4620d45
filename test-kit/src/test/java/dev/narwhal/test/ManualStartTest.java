package dev.narwhal.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.config.SettingsException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Without the extension: start and close by hand. */
class ManualStartTest {
  @Test
  void a_started_server_serves_until_it_is_closed() throws Exception {
    int port;
    try (NarwhalServer server = NarwhalServer.of(WhoAmI::new).workers(1).start()) {
      port = server.port();
      assertThat(server.get("/").statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void a_bad_setting_fails_the_start_naming_its_key() {
    assertThatThrownBy(() -> NarwhalServer.of(WhoAmI::new).setting("max-requets", 10).start())
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.max-requets: unknown setting; did you mean narwhal.max-requests?");
  }

  @Test
  void asking_a_server_that_is_not_running_says_so() {
    assertThatThrownBy(() -> NarwhalServer.of(WhoAmI::new).port())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running");
  }
}
