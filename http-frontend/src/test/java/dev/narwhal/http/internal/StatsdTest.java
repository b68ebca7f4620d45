package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.Application;
import dev.narwhal.LogCounts;
import dev.narwhal.Response;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.TestServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Gunicorn's statsd metrics, as a statsd server on loopback receives them. */
class StatsdTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Pattern LINE = Pattern.compile("(?<name>[^:|]+):(?<value>-?[0-9.]+)\\|(?<type>c|ms|g)(\\|#(?<tags>.*))?");
  static final Application APP = request -> request.path().equals("/missing") ? Response.text(404, "no\n") : Response.ok("ok");

  /** One statsd line as sent. */
  record Metric(String name, double value, String type, String tags) {}

  /** A statsd server: every line of every datagram that reaches it. */
  static final class Listener implements AutoCloseable {
    final DatagramSocket socket;
    final ConcurrentLinkedQueue<Metric> received = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unparsed = new ConcurrentLinkedQueue<>();

    Listener() throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread reader = new Thread(this::read, "statsd-listener");
      reader.setDaemon(true);
      reader.start();
    }

    void read() {
      byte[] buffer = new byte[65536];
      while (!socket.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (java.io.IOException closed) {
          return;
        }
        for (String line : new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).split("\n")) {
          Matcher m = LINE.matcher(line);
          if (m.matches()) {
            received.add(new Metric(m.group("name"), Double.parseDouble(m.group("value")), m.group("type"), m.group("tags")));
          } else {
            unparsed.add(line);
          }
        }
      }
    }

    List<Metric> named(String name) {
      return received.stream().filter(m -> m.name().equals(name)).toList();
    }

    long sum(String name) {
      return Math.round(named(name).stream().mapToDouble(Metric::value).sum());
    }

    UnaryOperator<ServerConfig> target(String prefix, String tags) {
      return c -> c.withWorkers(2).with(Settings.METRICS, false)
          .with(Settings.STATSD_HOST, Optional.of(new BindAddress("127.0.0.1", socket.getLocalPort())))
          .with(Settings.STATSD_PREFIX, prefix).with(Settings.DOGSTATSD_TAGS, tags);
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  static void load(TestServer t, int ok, int missing) {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < ok; i++) {
      sent.add(t.getAsync("/"));
    }
    for (int i = 0; i < missing; i++) {
      sent.add(t.getAsync("/missing"));
    }
    sent.forEach(CompletableFuture::join);
  }

  @Test
  void every_gunicorn_metric_arrives_with_its_type_the_prefix_and_the_tags() throws Exception {
    try (Listener statsd = new Listener();
         TestServer t = TestServer.start(APP, statsd.target("svc.app...", "app:web,env:test"))) {
      load(t, 20, 5);
      for (LogCounts.Kind kind : LogCounts.Kind.values()) {
        LogCounts.count(kind); // what the launcher's Logback appender does for each event
      }
      String p = "svc.app.gunicorn.";
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(statsd.sum(p + "requests")).isEqualTo(25);
        assertThat(statsd.sum(p + "request.status.200")).isEqualTo(20);
        assertThat(statsd.sum(p + "request.status.404")).isEqualTo(5);
        assertThat(statsd.named(p + "request.duration")).hasSize(25);
        assertThat(statsd.named(p + "workers")).isNotEmpty();
        for (LogCounts.Kind kind : LogCounts.Kind.values()) {
          assertThat(statsd.sum("svc.app." + kind.metric())).as(kind.metric()).isGreaterThanOrEqualTo(1);
        }
      });
      assertThat(statsd.unparsed).isEmpty();
      assertThat(statsd.received).allSatisfy(m -> {
        assertThat(m.name()).startsWith("svc.app.gunicorn.");
        assertThat(m.tags()).isEqualTo("app:web,env:test");
      });
      assertThat(statsd.named(p + "requests")).extracting(Metric::type).containsOnly("c");
      assertThat(statsd.named(p + "request.status.200")).extracting(Metric::type).containsOnly("c");
      assertThat(statsd.named(p + "request.duration")).extracting(Metric::type).containsOnly("ms");
      assertThat(statsd.named(p + "request.duration")).allSatisfy(m -> assertThat(m.value()).isPositive());
      assertThat(statsd.named(p + "workers")).allSatisfy(m -> {
        assertThat(m.type()).isEqualTo("g");
        assertThat(m.value()).isEqualTo(2);
      });
      assertThat(statsd.named("svc.app.gunicorn.log.error")).extracting(Metric::type).containsOnly("c");
    }
  }

  @Test
  void the_workers_gauge_counts_every_pool_s_workers_and_each_pool_has_its_own_gauge() throws Exception {
    ServerConfig pools = ServerConfig.parse("narwhal.pools { reports { workers = 3, routes = [\"/reports\"] } }");
    try (Listener statsd = new Listener(); TestServer t = TestServer.start(APP,
        c -> statsd.target("", "").apply(c).with(Settings.POOLS, pools.get(Settings.POOLS)))) {
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(statsd.named("gunicorn.workers")).last().satisfies(m -> assertThat(m.value()).isEqualTo(5));
        assertThat(statsd.named("narwhal.pool.reports.workers")).last().satisfies(m -> {
          assertThat(m.type()).isEqualTo("g");
          assertThat(m.value()).isEqualTo(3);
        });
        assertThat(statsd.named("narwhal.pool.default.workers")).last().satisfies(m -> assertThat(m.value()).isEqualTo(2));
      });
    }
  }

  @Test
  void with_named_pools_each_pool_counts_the_requests_its_workers_ran() throws Exception {
    ServerConfig pools = ServerConfig.parse("narwhal.pools { reports { workers = 1, routes = [\"/reports\"] } }");
    try (Listener statsd = new Listener(); TestServer t = TestServer.start(APP,
        c -> statsd.target("svc", "").apply(c).with(Settings.POOLS, pools.get(Settings.POOLS)))) {
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        sent.add(t.getAsync("/reports/" + i));
      }
      for (int i = 0; i < 6; i++) {
        sent.add(t.getAsync("/"));
      }
      sent.forEach(CompletableFuture::join);
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(statsd.sum("svc.narwhal.pool.reports.requests")).isEqualTo(4);
        assertThat(statsd.sum("svc.narwhal.pool.default.requests")).isEqualTo(6);
        assertThat(statsd.sum("svc.gunicorn.requests")).isEqualTo(10);
      });
      assertThat(statsd.named("svc.narwhal.pool.reports.requests")).extracting(Metric::type).containsOnly("c");
    }
  }

  @Test
  void without_prefix_or_tags_the_names_are_gunicorns_alone() throws Exception {
    try (Listener statsd = new Listener(); TestServer t = TestServer.start(APP, statsd.target("", ""))) {
      load(t, 3, 0);
      await().atMost(WAIT).untilAsserted(() -> assertThat(statsd.sum("gunicorn.requests")).isEqualTo(3));
      assertThat(statsd.received).allSatisfy(m -> {
        assertThat(m.name()).startsWith("gunicorn.");
        assertThat(m.tags()).isNull();
      });
    }
  }

  @Test
  void the_prefix_joins_with_exactly_one_dot_as_in_gunicorn() {
    assertThat(Statsd.prefix("")).isEmpty();
    assertThat(Statsd.prefix("service.app")).isEqualTo("service.app.");
    assertThat(Statsd.prefix("service.app..")).isEqualTo("service.app.");
  }

  @Test
  void a_recorder_that_is_not_drained_drops_timings_instead_of_growing() {
    StatsdRecorder recorder = new StatsdRecorder();
    for (int i = 0; i < StatsdRecorder.MAX_PENDING_TIMINGS + 10; i++) {
      recorder.answered(200, 1_000_000);
    }
    assertThat(recorder.dropped()).isEqualTo(10);
    List<String> lines = recorder.drain();
    assertThat(lines).contains("gunicorn.requests:" + (StatsdRecorder.MAX_PENDING_TIMINGS + 10) + "|c",
        "gunicorn.request.duration:1.000|ms");
    assertThat(lines.stream().filter(l -> l.startsWith("gunicorn.request.duration"))).hasSize(StatsdRecorder.MAX_PENDING_TIMINGS);
    assertThat(recorder.drain()).isEmpty();
  }
}
