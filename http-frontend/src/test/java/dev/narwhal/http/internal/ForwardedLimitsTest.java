package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.config.ServerConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A forwarded request runs only when this node's timeout answers well within the forwarding node's
 * wait: one that ran and whose answer came after that wait would reach the client as a failure
 * although its effects happened.
 */
class ForwardedLimitsTest {
  static final Request GET = Request.builder("GET", "/").build();

  /** A request routed to a pool whose timeout is {@code timeout}, on a node with the default settings. */
  static Optional<Response> refusal(Duration timeout, Duration wait) {
    return ForwardedLimits.refusal(GET, ServerConfig.defaults(), timeout, wait);
  }

  @Test
  void a_request_runs_when_the_timeout_answers_within_the_forwarding_node_s_wait() {
    assertThat(refusal(Duration.ofSeconds(30), Duration.ofSeconds(35))).isEmpty();
  }

  @Test
  void a_pool_timeout_longer_than_the_forwarding_node_s_wait_refuses_the_request_unrun_with_503() {
    assertThat(refusal(Duration.ofSeconds(60), Duration.ofSeconds(35)))
        .hasValueSatisfying(r -> assertThat(r.statusCode()).isEqualTo(503));
  }

  @Test
  void a_pool_without_a_timeout_refuses_forwarded_requests_unrun() {
    assertThat(refusal(Duration.ZERO, Duration.ofMinutes(5)))
        .hasValueSatisfying(r -> assertThat(r.statusCode()).isEqualTo(503));
  }
}
