package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/narwhal in a cgroup limited to 256 MiB, as in a container with that limit, with the
 * launcher's default memory sizing (bin/lib/memory.sh): the JVM sees the limit, the launcher sizes
 * the heap from it, and the server serves several clients' bodies for seconds without being
 * OOM-killed or failing a request.
 */
class MemoryLimitIntegrationTest {
  static final long LIMIT = 256L * 1024 * 1024;
  static final int CLIENTS = 8;
  static final int BODY = 256 * 1024;
  static final Duration LOAD = Duration.ofSeconds(8);

  @TempDir
  Path dir;

  @Test
  void the_server_in_a_256_mib_cgroup_sizes_its_heap_from_the_limit_and_serves_bodies_without_being_killed()
      throws Exception {
    try (MemoryCgroup cgroup = MemoryCgroup.create(LIMIT);
        NarwhalProcess n = NarwhalProcess.serveWrapped(dir.resolve("narwhal.log"),
            // the JVM's own report of what it sees and what heap it chose
            Map.of("JAVA_OPTS", "-XshowSettings:system -Xlog:gc+init"), cgroup.wrapper(), "-w", "4", "echo")) {
      n.awaitReady();
      assertThat(n.output()).contains("Memory Limit: 256.00M");
      long heapMib = heapMaxMib(n.output());
      // the launcher's heap for a 256 MiB limit: 96 MiB, the rest for metaspace, code, threads, JIT
      // (with the JVM's own 126 MiB this load was OOM-killed at 260 MiB of anonymous memory)
      assertThat(heapMib).as(n.output()).isBetween(64L, 110L);

      Map<String, Long> statuses = load(n.port);

      assertThat(statuses.keySet()).as("answers (count): %s; log:%n%s", statuses, n.output()).containsOnly("200");
      assertThat(statuses.get("200")).as("requests answered").isGreaterThan(CLIENTS);
      assertThat(n.process.isAlive()).as(n.output()).isTrue();
      assertThat(cgroup.oomKills()).as("OOM kills in the cgroup; peak %d bytes", cgroup.peak()).isZero();
      assertThat(n.output()).doesNotContain("OutOfMemoryError");
      System.out.printf("MemoryLimitIntegrationTest: %s over %s, heap %d MiB, cgroup peak %d MiB of %d%n",
          statuses, LOAD, heapMib, cgroup.peak() >> 20, LIMIT >> 20);
    }
  }

  /** {@code Heap Max Capacity: 128M} from -Xlog:gc+init, in MiB. */
  static long heapMaxMib(String output) {
    Matcher m = Pattern.compile("Heap Max Capacity: (\\d+)([KMG])").matcher(output);
    assertThat(m.find()).as("the gc+init log line in:%n%s", output).isTrue();
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "G" -> value * 1024;
      case "K" -> value / 1024;
      default -> value;
    };
  }

  /** CLIENTS clients POST random BODY-byte bodies to the echo app for LOAD; statuses (or exceptions) counted. */
  private static Map<String, Long> load(int port) throws InterruptedException {
    ConcurrentMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
    long end = System.nanoTime() + LOAD.toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int seed = c;
      clients.add(Thread.ofPlatform().start(() -> {
        byte[] body = new byte[BODY];
        new Random(seed).nextBytes(body);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
          HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
              .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          while (System.nanoTime() < end) {
            String status;
            try {
              status = Integer.toString(client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (Exception noAnswer) {
              status = noAnswer.toString();
            }
            counts.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
          }
        }
      }));
    }
    for (Thread client : clients) {
      client.join(LOAD.plusSeconds(60).toMillis());
    }
    Map<String, Long> result = new java.util.TreeMap<>();
    counts.forEach((status, count) -> result.put(status, count.get()));
    return result;
  }
}
