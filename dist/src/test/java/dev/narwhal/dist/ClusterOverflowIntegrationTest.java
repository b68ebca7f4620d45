package dev.narwhal.dist;

import static dev.narwhal.dist.ClusterIntegrationTest.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.dist.ClusterIntegrationTest.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cluster.overflow when the node serving a forwarded request dies in the middle of it: three
 * bin/narwhal processes, A saturated, B serving what A forwarded, C idle. B is killed with
 * SIGKILL while the request runs there. It may have run (its side effects are B's), so A answers
 * 504 and never tries it again, on C or on itself, although C is idle and a retry there would have
 * answered 200. The 504 comes once the cluster has downed and removed B, not after A's whole wait
 * for the answer (its timeout plus 5 s, 35 s here).
 */
class ClusterOverflowIntegrationTest {
  static final Duration THREE_STARTS = Duration.ofMinutes(3);
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Every node's timeout (the default); A's wait for a forwarded answer is this plus 5 s. */
  static final int TIMEOUT_S = 30;

  @TempDir
  Path tmp;

  static CompletableFuture<HttpResponse<String>> getAsync(Node node, String path) {
    return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.process().port + path))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static long busy(Node node) throws Exception {
    JsonNode stats = admin(node, "/stats?seconds=0");
    long busy = 0;
    for (JsonNode w : stats.path("workers")) {
      busy += w.path("current").size();
    }
    return busy;
  }

  @Test
  void a_forwarded_request_whose_node_dies_gets_a_504_and_is_never_run_again_elsewhere() throws Exception {
    int[] clusterPorts = {NarwhalProcess.freePort(), NarwhalProcess.freePort(), NarwhalProcess.freePort()};
    String seeds = String.join(",", IntStream.of(clusterPorts).mapToObj(p -> "127.0.0.1:" + p).toList());
    // A: one worker and a backlog of one, so the third request overflows; B: four idle workers, so
    // it is the node with the most idle capacity and gets the forward; C: one, idle throughout
    String[][] shapes = {{"-w", "1", "--backlog", "1"}, {"-w", "4"}, {"-w", "1"}};
    List<Node> nodes = new ArrayList<>();
    List<Path> accessLogs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        int adminPort = NarwhalProcess.freePort();
        Path accessLog = tmp.resolve("access-" + i + ".log");
        List<String> args = new ArrayList<>(List.of(shapes[i]));
        args.addAll(List.of("--timeout", String.valueOf(TIMEOUT_S), "--metrics", "off",
            "--access-logfile", accessLog.toString(), "--cluster-overflow", "on",
            "--cluster-bind", "127.0.0.1:" + clusterPorts[i], "--cluster-seed-nodes", seeds, "chaos"));
        NarwhalProcess p = NarwhalProcess.serve(tmp.resolve("node-" + i + ".log"),
            Map.of("NARWHAL_ADMIN_BIND", "127.0.0.1:" + adminPort), args.toArray(String[]::new));
        nodes.add(new Node(p, adminPort, "pekko://narwhal@127.0.0.1:" + clusterPorts[i], null));
        accessLogs.add(accessLog);
      }
      nodes.forEach(n -> n.process().awaitOutput("Listening at: http://127.0.0.1:" + n.process().port, THREE_STARTS));
      Node a = nodes.get(0);
      Node b = nodes.get(1);
      Node c = nodes.get(2);
      for (Node node : nodes) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(admin(node, "/stats?scope=cluster").path("members")).hasSize(3)
                .allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("Up")));
      }

      // saturate A: its worker busy, its backlog full, both for longer than the rest of the test needs
      List<CompletableFuture<HttpResponse<String>>> local = new ArrayList<>();
      local.add(getAsync(a, "/sleep?ms=9000&local=1"));
      await().atMost(Duration.ofSeconds(30)).until(() -> busy(a) == 1);
      local.add(getAsync(a, "/sleep?ms=9000&local=2"));
      await().atMost(Duration.ofSeconds(30)).until(() -> admin(a, "/stats?seconds=0").path("backlog").asInt() == 1);

      // the third goes to B, which starts running it; then B dies under it
      long sent = System.nanoTime();
      CompletableFuture<HttpResponse<String>> lost = getAsync(a, "/sleep?ms=8000&lost=1");
      await().atMost(Duration.ofSeconds(10)).until(() -> busy(b) == 1);
      b.process().process.destroyForcibly(); // SIGKILL: bin/narwhal exec'd the JVM

      HttpResponse<String> answer = lost.get(60, TimeUnit.SECONDS);
      System.out.printf("504 for the request on the killed node %d ms after it was sent%n",
          (System.nanoTime() - sent) / 1_000_000);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(504);
      assertThat(answer.body()).contains("the cluster node serving this request did not answer");
      // given up only once B cannot answer any more: downed and removed (the split-brain resolver's
      // 7 s of a stable view after the failure detector saw it go), not at the end of the 35 s wait
      String aLog = a.process().output();
      String gaveUp = "A request forwarded to " + b.address() + " got no answer: " + b.address()
          + " was downed and removed from the cluster";
      assertThat(aLog).contains(gaveUp);
      assertThat(aLog.indexOf("Cluster member " + b.address() + " removed (was Down)"))
          .isNotNegative().isLessThan(aLog.indexOf(gaveUp));

      // never run again: C's access log never sees it, A's has it once, as the 504
      for (CompletableFuture<HttpResponse<String>> r : local) {
        assertThat(r.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> NarwhalProcess.read(accessLogs.get(0)).contains("local=2"));
      assertThat(NarwhalProcess.read(accessLogs.get(2))).doesNotContain("lost=1");
      assertThat(NarwhalProcess.read(accessLogs.get(0)).lines().filter(l -> l.contains("lost=1")))
          .singleElement().asString().contains(" 504 ");
      assertThat(busy(c)).isZero();
      assertThat(admin(c, "/stats?seconds=0").path("totals").path("requests").asLong()).isZero();
    } finally {
      nodes.forEach(n -> n.process().close());
    }
  }
}
