package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three servers in one JVM as one cluster (remoting on port 0): the cluster view on every admin
 * API and in narwhal ctl, a cluster-wide rolling reload under load, and a stopping node leaving.
 * The last test stops a node, so the order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterServerTest {
  static final Duration WAIT = Duration.ofSeconds(45);
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<TestServer> nodes = new ArrayList<>();

  @BeforeAll
  static void startThreeNodes() throws Exception {
    List<BindAddress> seeds = List.of();
    for (int i = 0; i < 3; i++) {
      List<BindAddress> seedList = seeds;
      nodes.add(TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2)
          .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", 0)))
          .with(Settings.CLUSTER_SEED_NODES, seedList)));
      if (i == 0) {
        String first = nodes.get(0).server.clusterAddress().orElseThrow(); // pekko://narwhal@127.0.0.1:PORT
        seeds = List.of(BindAddress.parse(first.substring(first.indexOf('@') + 1)));
      }
    }
  }

  @AfterAll
  static void stopNodes() {
    nodes.forEach(TestServer::close);
  }

  static JsonNode clusterView(TestServer node) throws Exception {
    HttpResponse<String> response = node.adminGet("/stats?scope=cluster");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  @Order(1)
  void every_node_s_admin_api_lists_three_members_up_and_each_node_s_workers() throws Exception {
    for (TestServer node : nodes) {
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode view = clusterView(node);
        assertThat(view.path("members")).hasSize(3).allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("Up"));
        assertThat(view.path("nodes")).hasSize(3).allSatisfy(n -> {
          assertThat(n.path("workers")).hasSize(2);
          assertThat(n.path("binds")).hasSize(1);
        });
        assertThat(view.path("totals").path("workers").asInt()).isEqualTo(6);
      });
    }
  }

  @Test
  @Order(2)
  void a_cluster_reload_reloads_the_nodes_one_at_a_time_without_a_failed_request() throws Exception {
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicInteger mostReloadingAtOnce = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (TestServer node : nodes) {
      threads.add(Thread.ofVirtual().start(() -> {
        while (loading.get()) {
          try {
            (node.get("/").statusCode() == 200 ? ok : failed).incrementAndGet();
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      }));
    }
    threads.add(Thread.ofVirtual().start(() -> {
      while (loading.get()) {
        int reloading = (int) nodes.stream().filter(n -> reloading(n.server.stats())).count();
        mostReloadingAtOnce.accumulateAndGet(reloading, Math::max);
      }
    }));
    // what `narwhal ctl reload --cluster` sends (the ctl and its printing are tested in the launcher)
    TestServer entry = nodes.get(2);
    HttpResponse<String> started = entry.adminPost("/control/reload?scope=cluster", entry.token());
    assertThat(started.statusCode()).as(started.body()).isIn(200, 202);
    assertThat(JSON.readTree(started.body()).path("reload_id").asText()).isNotEmpty();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(nodes).allSatisfy(n -> {
      Stats stats = n.server.stats();
      assertThat(stats.phase()).isEqualTo(2);
      assertThat(reloading(stats)).isFalse();
    }));
    loading.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30));
    }
    assertThat(failed.get()).as("requests that were not 200 during the cluster reload").isZero();
    assertThat(ok.get()).isPositive();
    assertThat(mostReloadingAtOnce.get()).as("nodes reloading at the same moment").isEqualTo(1);
  }

  /** Some worker not (yet) of the node's current phase, or not booted. */
  static boolean reloading(Stats stats) {
    return stats.workers().stream().anyMatch(w -> w.phase() != stats.phase() || !(w.state() == WorkerState.IDLE
        || w.state() == WorkerState.BUSY)) || stats.workers().size() < stats.targetWorkers();
  }

  @Test
  @Order(3)
  void a_stopping_node_leaves_the_cluster_and_drops_out_of_the_others_view() throws Exception {
    TestServer leaving = nodes.remove(2);
    String address = leaving.server.clusterAddress().orElseThrow();
    leaving.server.stop(Duration.ofSeconds(10)).toCompletableFuture().get();
    for (TestServer node : nodes) {
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode view = clusterView(node);
        assertThat(view.path("members")).hasSize(2);
        assertThat(view.path("nodes")).hasSize(2);
        assertThat(view.toString()).doesNotContain(address);
      });
      assertThat(node.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Order(4)
  void a_server_without_the_cluster_answers_404_for_the_cluster_scope() throws Exception {
    try (TestServer single = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1))) {
      assertThat(single.server.clusterAddress()).isEmpty();
      assertThat(single.adminGet("/stats?scope=cluster").statusCode()).isEqualTo(404);
      assertThat(single.adminPost("/control/reload?scope=cluster", single.token()).statusCode()).isEqualTo(404);
      assertThat(single.adminGet("/stats?scope=node").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Order(5)
  void a_taken_cluster_port_fails_the_start_with_one_line_naming_cluster_bind() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1)
          .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", taken.getLocalPort())))))
          .isInstanceOf(ServerStartException.class)
          .hasMessageContaining("(cluster.bind)")
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
  }
}
