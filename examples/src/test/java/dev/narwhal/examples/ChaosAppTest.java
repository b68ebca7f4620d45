package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Request;
import org.junit.jupiter.api.Test;

class ChaosAppTest {
  final ChaosApp app = new ChaosApp();

  static Request get(String path, String query) {
    return Request.builder("GET", path).query(query).build();
  }

  @Test
  void sleep_blocks_for_the_given_milliseconds() throws Exception {
    long start = System.nanoTime();
    assertThat(app.handle(get("/sleep", "ms=50")).statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(50);
  }

  @Test
  void boom_throws() {
    assertThatThrownBy(() -> app.handle(get("/boom", ""))).hasMessageContaining("boom");
  }

  @Test
  void status_answers_with_the_requested_code() throws Exception {
    assertThat(app.handle(get("/status/418", "")).statusCode()).isEqualTo(418);
  }

  @Test
  void hang_ignores_interrupts() throws Exception {
    Thread t = new Thread(() -> {
      try {
        app.handle(get("/hang", ""));
      } catch (Exception ignored) {
        // never reached
      }
    });
    t.setDaemon(true);
    t.start();
    t.interrupt();
    t.join(200);
    assertThat(t.isAlive()).isTrue();
  }
}
