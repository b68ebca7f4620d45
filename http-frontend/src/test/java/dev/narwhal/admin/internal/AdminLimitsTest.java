package dev.narwhal.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admin API's limits on a fake clock: the rate gate, the shared cluster view, Host names. */
class AdminLimitsTest {
  final AtomicLong now = new AtomicLong(5_000_000_000L);

  @Test
  void the_rate_gate_lets_one_pass_per_interval_and_says_how_long_to_wait() {
    RateGate gate = new RateGate("a thread dump", Duration.ofSeconds(1), now::get);
    assertThat(gate.tryPass()).isZero();
    now.addAndGet(300_000_000L);
    assertThat(gate.tryPass()).isEqualTo(700_000_000L);
    now.addAndGet(700_000_000L);
    assertThat(gate.tryPass()).isZero();
    assertThat(gate.tryPass()).isEqualTo(1_000_000_000L);
  }

  @Test
  void the_cluster_view_is_asked_for_once_per_interval_however_many_clients_poll() {
    SharedResult<String> views = new SharedResult<>(Duration.ofSeconds(1), now::get);
    AtomicInteger fanOuts = new AtomicInteger();
    CompletableFuture<String> inFlight = new CompletableFuture<>();
    List<CompletionStage<String>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(views.get(() -> {
        fanOuts.incrementAndGet();
        return inFlight;
      }));
      now.addAndGet(10_000_000L);
    }
    assertThat(fanOuts).hasValue(1);
    assertThat(answers).allMatch(a -> a == inFlight);
    now.addAndGet(500_000_000L);
    views.get(() -> {
      fanOuts.incrementAndGet();
      return CompletableFuture.completedFuture("fresh");
    });
    assertThat(fanOuts).hasValue(2);
  }

  @Test
  void host_values_lose_their_port_brackets_trailing_dot_and_case() {
    assertThat(AdminAccess.hostName("LocalHost:9191")).isEqualTo("localhost");
    assertThat(AdminAccess.hostName("[::1]:9191")).isEqualTo("::1");
    assertThat(AdminAccess.hostName("[::1]")).isEqualTo("::1");
    assertThat(AdminAccess.hostName("example.com.:80")).isEqualTo("example.com");
    assertThat(AdminAccess.hostName("10.0.0.5")).isEqualTo("10.0.0.5");
  }

  @Test
  void names_pass_when_loopback_an_ip_literal_or_allowed_and_others_do_not() {
    AdminAccess access = new AdminAccess("t".repeat(32), false, List.of("admin.internal", ".svc.local"),
        new RefusalLog());
    assertThat(List.of("localhost", "app.localhost", "127.0.0.1", "::1", "10.1.2.3", "fd00::5", "admin.internal",
        "svc.local", "narwhal.ns.svc.local")).allMatch(access::allowed);
    assertThat(List.of("evil.example", "admin.internal.evil.example", "localhost.evil.example", "xsvc.local", "*",
        "10.0.0.0/8", "")).noneMatch(access::allowed);
  }

  @Test
  void refusals_after_the_first_are_summed_up_at_most_once_a_minute() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("narwhal");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      RefusalLog refusals = new RefusalLog(Duration.ofMinutes(1), now::get);
      refusals.refused("control request, wrong token");
      for (int i = 0; i < 10; i++) {
        now.addAndGet(5_000_000_000L);
        refusals.refused("read request, no token");
      }
      assertThat(appender.list).hasSize(1);
      now.addAndGet(11_000_000_000L);
      refusals.refused("control request, wrong token");
      assertThat(appender.list).hasSize(2);
      assertThat(appender.list.get(1).getFormattedMessage())
          .isEqualTo("Admin API: refused 11 request(s) since the warning 61 s ago (latest: control request, wrong token)");
    } finally {
      logger.detachAppender(appender);
    }
  }
}
