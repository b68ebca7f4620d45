// bench/SlowlorisBench.java: the load generator of bench/slowloris, run as a single-file source
// program (java bench/SlowlorisBench.java PORT ...). JDK 21+, no dependencies.
//
// Measures a normal client on 127.0.0.1:PORT first alone (baseline), then while ATTACKERS
// connections each send one byte of a never-ending request head per second (slowloris). An
// attacker whose connection the server answers or closes reconnects at once, as a real one would,
// so the server faces ATTACKERS trickling connections for the whole attack.
//
// Args: PORT [ATTACKERS=1000] [ATTACK_SECONDS=40] [BASELINE_SECONDS=10] [CLIENTS=4] [PATH=/]
// Prints one "key=value" line per figure (parsed by bench/slowloris) after a human-readable report.

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

public class SlowlorisBench {
  static final String HOST = "127.0.0.1"; // loopback only

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int attackers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int attackSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    int baselineSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int clients = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    String path = args.length > 5 ? args[5] : "/";
    URI uri = URI.create("http://" + HOST + ":" + port + path);

    System.out.printf("slowloris: %s, %d attackers x 1 header byte/s, %d normal clients%n", uri, attackers, clients);
    Stats warm = measure(uri, clients, Math.min(5, baselineSeconds));
    Stats baseline = measure(uri, clients, baselineSeconds);
    System.out.println("baseline (no attack, " + baselineSeconds + " s): " + baseline);

    Attack attack = new Attack(port, attackers);
    attack.start();
    long rampDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (attack.open.get() < attackers && System.nanoTime() < rampDeadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    int openAtStart = attack.open.get();
    System.out.println("attack: " + openAtStart + " of " + attackers + " connections open and trickling");
    Stats during = measure(uri, clients, attackSeconds);
    int openAtEnd = attack.open.get();
    attack.stop();
    System.out.println("during attack (" + attackSeconds + " s): " + during);
    System.out.printf("attackers: %d open at start, %d at end; server answers to trickled heads: %d x 408, "
            + "%d other, %d closed without answer; %d reconnects, %d connect failures%n",
        openAtStart, openAtEnd, attack.answered408.sum(), attack.answeredOther.sum(), attack.closedSilently.sum(),
        attack.reconnects.sum(), attack.connectFailures.sum());

    System.out.println("--- machine-readable");
    baseline.print("baseline");
    during.print("attack");
    System.out.println("attackers_open_start=" + openAtStart);
    System.out.println("attackers_open_end=" + openAtEnd);
    System.out.println("attack_408=" + attack.answered408.sum());
    System.out.println("attack_other=" + attack.answeredOther.sum());
    System.out.println("attack_closed_silently=" + attack.closedSilently.sum());
    System.out.println("attack_connect_failures=" + attack.connectFailures.sum());
    System.out.println("warmup_requests=" + warm.count);
  }

  /** The normal clients: {@code clients} loops of sequential GETs for {@code seconds}. */
  static Stats measure(URI uri, int clients, int seconds) throws Exception {
    ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
    LongAdder errors = new LongAdder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor()) {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
      for (int i = 0; i < clients; i++) {
        loops.submit(() -> {
          while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            try {
              HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
              if (r.statusCode() != 200) {
                errors.increment();
              }
            } catch (IOException e) {
              errors.increment();
            } catch (InterruptedException e) {
              return;
            }
            micros.add((System.nanoTime() - start) / 1_000);
          }
        });
      }
    }
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return new Stats(sorted.size(), errors.sum(), seconds, pct(sorted, 50), pct(sorted, 99),
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  record Stats(long count, long errors, int seconds, long p50us, long p99us, long maxUs) {
    @Override
    public String toString() {
      return String.format("%d requests (%.0f/s), %d errors, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
          count, count / (double) seconds, errors, p50us / 1000.0, p99us / 1000.0, maxUs / 1000.0);
    }

    void print(String prefix) {
      System.out.printf("%s_requests=%d%n%s_rps=%.0f%n%s_errors=%d%n%s_p50_ms=%.2f%n%s_p99_ms=%.2f%n%s_max_ms=%.2f%n",
          prefix, count, prefix, count / (double) seconds, prefix, errors, prefix, p50us / 1000.0,
          prefix, p99us / 1000.0, prefix, maxUs / 1000.0);
    }
  }

  /**
   * The slow clients: one virtual thread each. A thread writes one byte of an endless header, then
   * waits up to a second for the server to answer; a timeout is the pacing, an answer or a close
   * ends the connection and the thread reconnects.
   */
  static final class Attack {
    static final byte[] HEAD_START = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
    final int port;
    final int count;
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger open = new AtomicInteger();
    final LongAdder answered408 = new LongAdder();
    final LongAdder answeredOther = new LongAdder();
    final LongAdder closedSilently = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    Attack(int port, int count) {
      this.port = port;
      this.count = count;
    }

    void start() {
      for (int i = 0; i < count; i++) {
        threads.submit(this::attacker);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      synchronized (sockets) {
        for (Socket s : sockets) {
          try {
            s.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
      }
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    void attacker() {
      boolean first = true;
      while (running.get()) {
        if (!first) {
          reconnects.increment();
        }
        first = false;
        try (Socket socket = new Socket()) {
          sockets.add(socket);
          socket.connect(new InetSocketAddress(HOST, port), 10_000);
          socket.setSoTimeout(1_000);
          open.incrementAndGet();
          try {
            trickle(socket);
          } finally {
            open.decrementAndGet();
            sockets.remove(socket);
          }
        } catch (ConnectException e) {
          connectFailures.increment();
          pause();
        } catch (IOException e) {
          if (running.get()) {
            closedSilently.increment();
          }
        }
      }
    }

    private void trickle(Socket socket) throws IOException {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int sent = 0; running.get(); sent++) {
        out.write(sent < HEAD_START.length ? HEAD_START[sent] : 'a');
        out.flush();
        try {
          int b = in.read();
          if (b < 0) {
            closedSilently.increment();
            return;
          }
          byte[] statusLine = new byte[12]; // "HTTP/1.1 408"
          statusLine[0] = (byte) b;
          int n = 1 + in.readNBytes(statusLine, 1, statusLine.length - 1);
          String status = new String(statusLine, 0, n, StandardCharsets.ISO_8859_1);
          (status.startsWith("HTTP/1.1 408") ? answered408 : answeredOther).increment();
          return;
        } catch (SocketTimeoutException stillWaiting) {
          // one second without an answer: send the next byte
        }
      }
    }

    private void pause() {
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
