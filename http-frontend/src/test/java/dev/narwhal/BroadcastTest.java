package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Server.broadcast goes through the arbiter to every worker's application instance, once each. */
class BroadcastTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** Each instance (one per worker) records the messages it got. */
  static final class Listening implements Application {
    static final AtomicInteger instances = new AtomicInteger();
    final int id = instances.incrementAndGet();
    final Map<Integer, List<Object>> received;

    Listening(Map<Integer, List<Object>> received) {
      this.received = received;
    }

    @Override
    public void onStart() {
      received.put(id, new CopyOnWriteArrayList<>());
    }

    @Override
    public void onMessage(Object message) {
      received.get(id).add(message);
    }

    @Override
    public Response handle(Request request) {
      return Response.ok("worker " + id);
    }
  }

  @Test
  void a_broadcast_reaches_every_worker_exactly_once() throws Exception {
    Map<Integer, List<Object>> received = new ConcurrentHashMap<>();
    try (TestServer t = TestServer.start(() -> new Listening(received), c -> c.withWorkers(3))) {
      t.server.broadcast("drop-your-cache");

      await().atMost(WAIT).untilAsserted(() -> assertThat(received).hasSize(3)
          .allSatisfy((id, messages) -> assertThat(messages).containsExactly("drop-your-cache")));
      for (int i = 0; i < 20; i++) {
        assertThat(t.get("/").statusCode()).isEqualTo(200); // requests in between deliver nothing twice
      }
      assertThat(received).allSatisfy((id, messages) -> assertThat(messages).containsExactly("drop-your-cache"));
    }
  }

  @Test
  void a_broadcast_reaches_busy_workers_between_their_requests() throws Exception {
    Map<Integer, List<Object>> received = new ConcurrentHashMap<>();
    try (TestServer t = TestServer.start(() -> new Listening(received), c -> c.withWorkers(2))) {
      AtomicBoolean sent = new AtomicBoolean();
      // the load goes on until every worker has the message: it must not wait for an idle moment
      List<Integer> statuses = RecyclingByAgeAndHeapTest.underLoad(t, 4, () -> {
        if (sent.compareAndSet(false, true)) {
          t.server.broadcast(42);
        }
        return received.size() == 2 && received.values().stream().allMatch(m -> !m.isEmpty());
      });

      await().atMost(WAIT).untilAsserted(() -> assertThat(received).hasSize(2)
          .allSatisfy((id, messages) -> assertThat(messages).containsExactly(42)));
      assertThat(statuses).containsOnly(200);
    }
  }
}
