package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three bin/narwhal processes on loopback as one Pekko Cluster: they form a cluster, serve through
 * a cluster-wide rolling reload without a failed request, and the two left after a kill -9 keep
 * serving while the Split Brain Resolver downs the dead node and it drops out of the view.
 */
class ClusterIntegrationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration THREE_STARTS = Duration.ofMinutes(3);
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;

  record Node(NarwhalProcess process, int admin, String address, Path token) {}

  static JsonNode admin(Node node, String path) throws Exception {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.admin() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static int post(Node node, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.admin() + path))
        .header("Authorization", "Bearer " + Files.readString(node.token()).strip())
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Keeps GET / going against {@code targets} from a virtual thread each; counts answers by status. */
  static final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong ok = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final List<Thread> threads = new ArrayList<>();

    Load(List<Node> targets) {
      for (Node node : targets) {
        threads.add(Thread.ofVirtual().start(() -> {
          while (running.get()) {
            try {
              int status = node.process().get("/").statusCode();
              if (status / 100 == 2) {
                ok.incrementAndGet();
              } else {
                failures.add(node.address() + ": " + status);
              }
            } catch (Exception e) {
              failures.add(node.address() + ": " + e);
            }
          }
        }));
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(70));
      }
    }
  }

  @Test
  void three_processes_form_a_cluster_reload_node_by_node_and_survive_a_kill_9() throws Exception {
    int[] clusterPorts = {NarwhalProcess.freePort(), NarwhalProcess.freePort(), NarwhalProcess.freePort()};
    String seeds = String.join(",", IntStream.of(clusterPorts).mapToObj(p -> "127.0.0.1:" + p).toList());
    List<Node> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        int admin = NarwhalProcess.freePort();
        Path token = tmp.resolve("admin-" + i + ".token");
        NarwhalProcess p = NarwhalProcess.serve(tmp.resolve("node-" + i + ".log"),
            Map.of("NARWHAL_ADMIN_BIND", "127.0.0.1:" + admin), "-w", "2", "--metrics", "off",
            "--admin-token-file", token.toString(),
            "--cluster-bind", "127.0.0.1:" + clusterPorts[i], "--cluster-seed-nodes", seeds, "hello");
        nodes.add(new Node(p, admin, "pekko://narwhal@127.0.0.1:" + clusterPorts[i], token));
      }
      // three JVMs booting at once on a small shared machine: more than one server's usual minute
      nodes.forEach(n -> n.process().awaitOutput("Listening at: http://127.0.0.1:" + n.process().port, THREE_STARTS));

      // 1. every node lists 3 members Up and each node's workers, within 15 s of the last node serving
      long readyAt = System.nanoTime();
      for (Node node : nodes) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          JsonNode view = admin(node, "/stats?scope=cluster");
          assertThat(view.path("members")).hasSize(3)
              .allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("Up"));
          assertThat(view.path("nodes")).hasSize(3).allSatisfy(n -> assertThat(n.path("workers")).hasSize(2));
        });
      }
      System.out.printf("cluster of 3 seen by every node %d ms after the last node was ready%n",
          (System.nanoTime() - readyAt) / 1_000_000);

      // 2. a cluster rolling reload under load on every node: nothing but 2xx
      try (Load load = new Load(nodes)) {
        assertThat(post(nodes.get(0), "/control/reload?scope=cluster")).isEqualTo(202);
        for (Node node : nodes) {
          await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            JsonNode stats = admin(node, "/stats?seconds=0");
            assertThat(stats.path("server").path("phase").asInt()).isEqualTo(2);
            assertThat(stats.path("workers")).hasSize(2).allSatisfy(w -> assertThat(w.path("phase").asInt()).isEqualTo(2));
          });
        }
        load.close();
        assertThat(load.failures).as("non-2xx answers during the cluster reload").isEmpty();
        assertThat(load.ok.get()).isPositive();
        System.out.printf("cluster reload under load: %d requests, 0 failed%n", load.ok.get());
      }

      // 3. kill -9 of the third node: the others keep serving, and it leaves their view within 30 s
      Node dead = nodes.get(2);
      List<Node> alive = nodes.subList(0, 2);
      try (Load load = new Load(alive)) {
        long killedAt = System.nanoTime();
        dead.process().process.destroyForcibly(); // SIGKILL: bin/narwhal exec'd the JVM
        for (Node node : alive) {
          await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = admin(node, "/stats?scope=cluster");
            assertThat(view.path("members")).hasSize(2);
            assertThat(view.toString()).doesNotContain(dead.address());
          });
        }
        System.out.printf("killed node removed from both views after %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
        load.close();
        assertThat(load.failures).as("failed requests to the surviving nodes").isEmpty();
        assertThat(load.ok.get()).isPositive();
      }
    } finally {
      nodes.forEach(n -> n.process().close());
    }
  }
}
