package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What bounds request bodies as a whole (max-body-buffer, body-total-timeout) and what happens to a
 * queued request whose client has gone. The hazard: body-timeout and limit-request-body bound one
 * body's pauses and size, not the sum over clients nor its total time, so slow clients could pin
 * any amount of memory or spool space, and requests nobody waits for could still take workers.
 */
class BodyBudgetTest {
  @TempDir
  Path tmp;

  private final AtomicInteger handled = new AtomicInteger();
  private final Application echoLength = Application.of(r -> {
    handled.incrementAndGet();
    return Response.ok(String.valueOf(r.bodySize()));
  });

  @Test
  void a_body_the_full_budget_cannot_take_gets_503_at_once_while_the_one_holding_it_is_served() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 1_000L).with(Settings.MAX_BODY_BUFFER, 300_000L)
        .with(Settings.BODY_TIMEOUT, Duration.ofSeconds(3)));
        RawHttp first = new RawHttp(t.server.port());
        RawHttp second = new RawHttp(t.server.port())) {
      first.write(post(200_000));
      first.socket.getOutputStream().write(new byte[100_000]);
      await().atMost(Duration.ofSeconds(10)).until(() -> !spoolFiles().isEmpty());

      second.write(post(200_000)); // fits limit-request-body, not what is left of the budget
      RawHttp.Reply refused = second.read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers()).containsKey("retry-after").containsEntry("connection", "close");
      await().atMost(Duration.ofSeconds(5)).until(second::closedByServer);

      first.socket.getOutputStream().write(new byte[100_000]);
      RawHttp.Reply served = first.read();
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("200000");
      assertThat(handled).hasValue(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> stats(t).get("body_bytes_buffered").asLong() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
    }
  }

  @Test
  void a_chunked_body_that_outgrows_what_is_left_of_the_budget_gets_503_as_soon_as_it_does() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.MAX_BODY_BUFFER, 300_000L)
        .with(Settings.BODY_TIMEOUT, Duration.ofSeconds(3)));
        RawHttp holder = new RawHttp(t.server.port());
        RawHttp chunked = new RawHttp(t.server.port())) {
      holder.write(post(290_000));
      await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("body_bytes_buffered").asLong() == 290_000);

      // no last chunk: only the budget can end this body before body-timeout does
      chunked.write("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4e20\r\n" + "z".repeat(20_000) + "\r\n");
      RawHttp.Reply refused = chunked.read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers()).containsKey("retry-after").containsEntry("connection", "close");
      await().atMost(Duration.ofSeconds(5)).until(() -> stats(t).get("body_bytes_buffered").asLong() == 290_000);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_body_larger_than_the_whole_budget_gets_413_unread() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.MAX_BODY_BUFFER, 100_000L)
        .with(Settings.BODY_TIMEOUT, Duration.ofSeconds(3)));
        RawHttp client = new RawHttp(t.server.port())) {
      client.write(post(100_001));
      assertThat(client.read().status()).isEqualTo(413);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void the_budget_is_back_to_zero_after_served_refused_timed_out_failed_and_abandoned_bodies() throws Exception {
    Application mixed = Application.of(r -> {
      if (r.path().equals("/fail")) {
        throw new IllegalStateException("the application's own failure");
      }
      if (r.path().equals("/slow")) {
        Thread.sleep(5_000);
      }
      return Response.ok(String.valueOf(r.bodySize()));
    });
    try (TestServer t = TestServer.start(mixed, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 1_000L).with(Settings.MAX_BODY_BUFFER, 1_000_000L)
        .with(Settings.BODY_TIMEOUT, Duration.ofMillis(500)).with(Settings.TIMEOUT, Duration.ofMillis(800)))) {
      try (RawHttp ok = new RawHttp(t.server.port())) {
        ok.write("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "1000\r\n" + "a".repeat(4096)
            + "\r\n0\r\n\r\n");
        assertThat(ok.read().body()).isEqualTo("4096");
      }
      try (RawHttp failed = new RawHttp(t.server.port())) {
        failed.write(post("/fail", 3_000) + "b".repeat(3_000));
        assertThat(failed.read().status()).isEqualTo(500);
      }
      try (RawHttp slow = new RawHttp(t.server.port())) {
        slow.write(post("/slow", 3_000) + "c".repeat(3_000));
        assertThat(slow.read().status()).isEqualTo(504);
      }
      try (RawHttp stalled = new RawHttp(t.server.port())) {
        stalled.write(post(50_000) + "d".repeat(10_000));
        assertThat(stalled.read().status()).isEqualTo(408);
      }
      try (RawHttp refused = new RawHttp(t.server.port())) {
        refused.write(post(2_000_000));
        assertThat(refused.read().status()).isEqualTo(413);
      }
      try (RawHttp gone = new RawHttp(t.server.port())) {
        gone.write(post(50_000) + "e".repeat(10_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> !spoolFiles().isEmpty());
      } // the client hangs up mid-body
      await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("body_bytes_buffered").asLong() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
    }
  }

  @Test
  void a_body_trickling_in_within_body_timeout_but_past_body_total_timeout_gets_408_and_its_file_deleted()
      throws Exception {
    AtomicBoolean answered = new AtomicBoolean();
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 1_000L).with(Settings.BODY_TIMEOUT, Duration.ofSeconds(5))
        .with(Settings.BODY_TOTAL_TIMEOUT, Duration.ofSeconds(1)));
        RawHttp client = new RawHttp(t.server.port())) {
      client.write(post(100_000) + "x".repeat(5_000));
      await().atMost(Duration.ofSeconds(5)).until(() -> !spoolFiles().isEmpty());
      // a byte every 200 ms: never a pause body-timeout would notice, for as long as it takes
      CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = client.socket.getOutputStream();
          for (int i = 0; i < 95_000 && !answered.get(); i++) {
            out.write('y');
            out.flush();
            TimeUnit.MILLISECONDS.sleep(200);
          }
        } catch (IOException | InterruptedException closed) {
          // the server closed the connection: what the test expects
        }
      });
      RawHttp.Reply reply = client.read();
      answered.set(true);
      assertThat(reply.status()).isEqualTo(408);
      assertThat(reply.headers()).containsEntry("connection", "close");
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
      assertThat(handled).hasValue(0);
      trickle.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_queued_request_whose_client_disconnects_is_never_run() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger queuedRuns = new AtomicInteger();
    Application app = blockingUntil(release, queuedRuns);
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(1))) {
      CompletableFuture<java.net.http.HttpResponse<String>> blocker = t.getAsync("/block");
      await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("in_flight").asInt() == 1
          && stats(t).get("backlog").asInt() == 0);
      try (RawHttp gone = new RawHttp(t.server.port())) {
        gone.write("POST /queued HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("backlog").asInt() == 1);
      } // gives up while it waits for a worker
      await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("abandoned_requests").asLong() == 1);
      assertThat(stats(t).get("backlog").asInt()).isZero();

      // Connection: close ends the request stream too, but this client still waits for its answer
      try (RawHttp closing = new RawHttp(t.server.port())) {
        closing.write("GET /closing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("backlog").asInt() == 1);
        release.countDown();
        assertThat(blocker.get(20, TimeUnit.SECONDS).body()).isEqualTo("/block");
        assertThat(closing.read().body()).isEqualTo("/closing");
      }
      // one worker serves the backlog in order: had /queued still been there, it would have run by now
      assertThat(t.get("/after").body()).isEqualTo("/after");
      assertThat(queuedRuns).hasValue(0);
      assertThat(handled).hasValue(3);
      assertThat(stats(t).get("abandoned_requests").asLong()).isEqualTo(1);
      assertThat(stats(t).get("body_bytes_buffered").asLong()).isZero();
    }
  }

  @Test
  void a_queued_http2_request_whose_connection_closes_is_never_run() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger queuedRuns = new AtomicInteger();
    Application app = blockingUntil(release, queuedRuns);
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(1).with(Settings.HTTP2_CLEARTEXT, true))) {
      CompletableFuture<java.net.http.HttpResponse<String>> blocker = t.getAsync("/block");
      await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("in_flight").asInt() == 1);
      try (RawHttp2 gone = new RawHttp2(t.server.port())) {
        gone.request(1, "GET", "/queued", -1, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("backlog").asInt() == 1);
      } // the connection closes while its stream waits for a worker
      await().atMost(Duration.ofSeconds(10)).until(() -> stats(t).get("abandoned_requests").asLong() == 1);
      release.countDown();
      assertThat(blocker.get(20, TimeUnit.SECONDS).body()).isEqualTo("/block");
      assertThat(t.get("/after").body()).isEqualTo("/after");
      assertThat(queuedRuns).hasValue(0);
    }
  }

  /** {@code /block} waits for {@code release}; {@code /queued} counts its runs; every request counts in handled. */
  private Application blockingUntil(CountDownLatch release, AtomicInteger queuedRuns) {
    return Application.of(r -> {
      switch (r.path()) {
        case "/block" -> release.await(30, TimeUnit.SECONDS);
        case "/queued" -> queuedRuns.incrementAndGet();
        default -> { }
      }
      handled.incrementAndGet();
      return Response.ok(r.path());
    });
  }

  private static JsonNode stats(TestServer t) throws Exception {
    return new ObjectMapper().readTree(t.adminGet("/stats?seconds=0").body());
  }

  private static String post(int length) {
    return post("/", length);
  }

  private static String post(String path, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n";
  }

  private List<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("narwhal-body-")).toList();
    }
  }
}
