package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies over body-spool-threshold go to a file in worker-tmp-dir, which is gone once answered. */
class BodySpoolTest {
  @TempDir
  Path tmp;

  /** What the handler saw: the spool files present while it ran, and the body as it read it. */
  private final AtomicReference<List<Path>> filesDuringRequest = new AtomicReference<>();
  private final AtomicInteger handled = new AtomicInteger();

  private final Application inspect = Application.of(r -> {
    handled.incrementAndGet();
    filesDuringRequest.set(spoolFiles());
    long streamed = 0;
    long sum = 0;
    byte[] buffer = new byte[8192];
    try (InputStream in = r.bodyStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        streamed += n;
        for (int i = 0; i < n; i++) {
          sum += buffer[i] & 0xff;
        }
      }
    }
    return Response.ok(r.bodySpooled() + " " + r.bodySize() + " " + streamed + " " + sum + " " + r.body().length);
  });

  @Test
  void a_5_mib_upload_is_spooled_in_worker_tmp_dir_while_it_runs_and_deleted_after() throws Exception {
    byte[] body = pattern(5 << 20);
    try (TestServer t = TestServer.start(inspect, c -> c.with(Settings.WORKER_TMP_DIR, tmp))) {
      HttpResponse<String> response = post(t, HttpRequest.BodyPublishers.ofByteArray(body));
      assertThat(response.body()).isEqualTo("true " + body.length + " " + body.length + " " + sum(body) + " " + body.length);
      assertThat(filesDuringRequest.get()).singleElement().satisfies(f -> {
        assertThat(f.getFileName().toString()).startsWith("narwhal-body-" + ProcessHandle.current().pid() + "-").endsWith(".tmp");
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
    }
  }

  @Test
  void a_chunked_body_is_spooled_once_it_passes_the_threshold() throws Exception {
    byte[] body = pattern(300_000);
    try (TestServer t = TestServer.start(inspect, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 100_000L))) {
      // an InputStream publisher has no length: java.net.http sends it chunked
      HttpResponse<String> response = post(t, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
      assertThat(response.body()).startsWith("true " + body.length + " " + body.length + " " + sum(body));
      assertThat(filesDuringRequest.get()).hasSize(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
    }
  }

  @Test
  void a_body_under_the_threshold_stays_in_memory() throws Exception {
    byte[] body = pattern(50_000);
    try (TestServer t = TestServer.start(inspect, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 100_000L))) {
      assertThat(post(t, HttpRequest.BodyPublishers.ofByteArray(body)).body()).startsWith("false 50000 50000");
      assertThat(filesDuringRequest.get()).isEmpty();
    }
  }

  @Test
  void a_spooled_body_that_stops_arriving_leaves_no_file_behind() throws Exception {
    try (TestServer t = TestServer.start(inspect, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 1_000L).with(Settings.BODY_TIMEOUT, Duration.ofMillis(500)));
        RawHttp connection = new RawHttp(t.server.port())) {
      OutputStream out = connection.socket.getOutputStream();
      out.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.write(new byte[20_000]);
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> !spoolFiles().isEmpty());
      assertThat(connection.read().status()).isEqualTo(408);
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_spooled_body_of_a_request_that_times_out_is_deleted_too() throws Exception {
    Application stuck = Application.of(r -> {
      filesDuringRequest.set(spoolFiles());
      Thread.sleep(60_000);
      return Response.ok("late");
    });
    try (TestServer t = TestServer.start(stuck, c -> c.with(Settings.WORKER_TMP_DIR, tmp)
        .with(Settings.BODY_SPOOL_THRESHOLD, 1_000L).with(Settings.TIMEOUT, Duration.ofMillis(700)))) {
      assertThat(post(t, HttpRequest.BodyPublishers.ofByteArray(pattern(2 << 20))).statusCode()).isEqualTo(504);
      assertThat(filesDuringRequest.get()).hasSize(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> spoolFiles().isEmpty());
    }
  }

  @Test
  void spool_files_of_a_server_no_longer_running_are_deleted_at_start_and_live_ones_kept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path orphan = Files.writeString(tmp.resolve("narwhal-body-" + gone.pid() + "-123.tmp"), "left by kill -9");
    Path live = Files.writeString(tmp.resolve("narwhal-body-" + ProcessHandle.current().pid() + "-456.tmp"), "in use");
    Path other = Files.writeString(tmp.resolve("narwhal-body-notes.tmp"), "not a spool file");
    try (TestServer t = TestServer.start(inspect, c -> c.with(Settings.WORKER_TMP_DIR, tmp))) {
      assertThat(orphan).doesNotExist();
      assertThat(live).exists();
      assertThat(other).exists();
    }
  }

  private List<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("narwhal-body-")).toList();
    }
  }

  private static HttpResponse<String> post(TestServer t, HttpRequest.BodyPublisher body) throws Exception {
    return t.client.send(HttpRequest.newBuilder(t.uri("/")).timeout(Duration.ofSeconds(30)).POST(body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + (i >> 8));
    }
    return bytes;
  }

  private static long sum(byte[] bytes) {
    long sum = 0;
    for (byte b : bytes) {
      sum += b & 0xff;
    }
    return sum;
  }
}
