package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.testing.TestServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * shutdown-delay: a graceful stop first tells load balancers (readiness 503) while it still serves
 * as before, so requests routed in the meantime are answered instead of refused.
 */
class ShutdownDelayTest {
  static final Application HELLO = request -> Response.ok("hello");

  @Test
  void during_the_delay_readiness_is_503_and_requests_are_served_then_the_graceful_stop_runs() throws Exception {
    TestServer t = TestServer.start(HELLO, c -> c.with(Settings.SHUTDOWN_DELAY, Duration.ofSeconds(3)));
    int port = t.server.port();
    assertThat(t.adminGet("/health/ready").statusCode()).isEqualTo(200);

    long asked = System.nanoTime();
    CompletionStage<Integer> stopped = t.server.stop(Duration.ofSeconds(10));

    assertThat(t.adminGet("/health/ready").statusCode()).isEqualTo(503);
    for (int i = 0; i < 5; i++) {
      assertThat(t.get("/").statusCode()).as("served during the delay").isEqualTo(200);
    }
    assertThat(stopped.toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("the stop waited for the delay")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void a_quick_stop_during_the_delay_does_not_wait_for_it() throws Exception {
    TestServer t = TestServer.start(HELLO, c -> c.with(Settings.SHUTDOWN_DELAY, Duration.ofMinutes(10)));
    t.server.stop(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> t.adminGet("/health/ready").statusCode() == 503);

    CompletionStage<Integer> quick = t.server.stop(Duration.ZERO);

    assertThat(quick.toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void without_a_delay_a_graceful_stop_closes_the_listener_at_once() throws Exception {
    TestServer t = TestServer.start(HELLO, c -> c);
    int port = t.server.port();

    t.server.stop(Duration.ofSeconds(10)).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
        .isInstanceOf(ConnectException.class);
  }
}
