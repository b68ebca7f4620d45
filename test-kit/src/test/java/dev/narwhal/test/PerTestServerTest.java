package dev.narwhal.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In an instance field, each test gets a server of its own, stopped when the test ends. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestServerTest {
  static final List<Integer> PORTS = new ArrayList<>();

  @RegisterExtension
  final NarwhalServer server = NarwhalServer.of(WhoAmI::new).workers(1);

  @Test
  @Order(1)
  void the_first_test_has_a_server() throws Exception {
    assertThat(server.get("/").statusCode()).isEqualTo(200);
    PORTS.add(server.port());
  }

  @Test
  @Order(2)
  void the_next_test_has_another_and_the_first_one_is_stopped() throws Exception {
    assertThat(server.get("/").statusCode()).isEqualTo(200);
    assertThat(PORTS).hasSize(1).doesNotContain(server.port());
    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", PORTS.get(0)), 2_000))
        .isInstanceOf(ConnectException.class);
  }
}
