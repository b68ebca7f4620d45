// bench/OverloadBench.java: the load generator of bench/overload, run as a single-file source
// program (java bench/OverloadBench.java MODE URL ...). JDK 21+, no dependencies.
//
// Two modes:
//   closed URL CLIENTS SECONDS   CLIENTS loops of sequential GETs: with as many clients as the
//                                server has workers, its capacity (req/s) and its unloaded latency.
//   open URL RATE SECONDS [CONNECTIONS [WARMUP]]
//                                an open loop: a GET is sent every 1/RATE s whatever the server
//                                answers, each on its own virtual thread, so the offered load is
//                                RATE however slow the answers are or how fast the 503s come back;
//                                after WARMUP seconds of the same load, unrecorded.
//
// Each request goes over a plain blocking socket, reusing a kept-alive connection when one is free
// and opening one otherwise; with CONNECTIONS, at most that many, all opened before the clock starts.
//
// Why not wrk: wrk is a closed loop (a connection sends its next request when the previous one is
// answered), so the offered load follows the server: it cannot offer 4 x capacity, and a server
// that sheds makes it send faster. wrk2 (constant rate) is not packaged. Latency here is measured
// from the time a request was due to be sent, not from when it was sent, so a generator that falls
// behind does not hide the wait (coordinated omission); "late_ms" says how far behind it fell.
//
// Prints one "key=value" line per figure: sent, ok, shed (503), errors, connections (opened while
// measuring), goodput (2xx per second of the first send to the last answer), p50_ms, p99_ms, max_ms
// (of 2xx only), late_ms (the most the sender fell behind).

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

public class OverloadBench {
  final ConcurrentLinkedQueue<Long> okNanos = new ConcurrentLinkedQueue<>();
  final LongAdder sent = new LongAdder();
  final LongAdder shed = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder connects = new LongAdder();
  // Kept-alive connections not in use. The first version sent through the JDK's HttpClient, whose
  // one selector thread serves every connection: at 1,200 req/s on the server's two cores it fell
  // behind and its own queueing swamped the server's p99. A blocking socket per request on a
  // virtual thread costs a fraction of that and reads each answer as soon as it arrives.
  final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  // At most this many connections, opened before the clock starts, as a proxy's upstream pool
  // keeps them (nginx's keepalive, haproxy's http-reuse). A request that finds every one busy
  // waits for one, and that wait counts in its latency. Without the cap, a stall of a few tens
  // of milliseconds made the generator open hundreds of connections at once, and what it then
  // measured was the cost of accepting them (see docs/admission.md), not admission.
  Semaphore connections = new Semaphore(Integer.MAX_VALUE);
  InetSocketAddress address;
  byte[] request;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    URI uri = URI.create(args[1]);
    double amount = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    OverloadBench bench = new OverloadBench();
    bench.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    bench.request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    if (args.length > 4) {
      int pool = Integer.parseInt(args[4]);
      bench.connections = new Semaphore(pool);
      for (int i = 0; i < pool; i++) {
        bench.idle.add(bench.connect());
      }
    }
    if (mode.equals("open") && args.length > 5) {
      // the same rate, unrecorded: the generator's own code is interpreted for its first seconds and
      // fell tens of milliseconds behind its schedule there, which counted against the server
      bench.open(amount, Integer.parseInt(args[5]));
      bench.reset();
    }
    long start = System.nanoTime();
    long late = mode.equals("open") ? bench.open(amount, seconds) : bench.closed((int) amount, seconds);
    bench.report(System.nanoTime() - start, late);
    for (Conn c : bench.idle) {
      c.close();
    }
  }

  /** Sends at a fixed rate for the duration, then waits for every answer; returns the most it fell behind. */
  long open(double rate, int seconds) throws InterruptedException {
    long interval = (long) (1e9 / rate);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long maxLate = 0;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long due = start; due < end; due += interval) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else {
          maxLate = Math.max(maxLate, -wait);
        }
        long dueAt = due;
        threads.execute(() -> send(dueAt));
      }
    } // waits for every request to be answered (or to time out)
    return maxLate;
  }

  /** CLIENTS sequential loops for the duration. */
  long closed(int clients, int seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < clients; i++) {
        threads.execute(() -> {
          while (System.nanoTime() < end) {
            send(System.nanoTime());
          }
        });
      }
    }
    return 0;
  }

  void send(long dueNanos) {
    sent.increment();
    connections.acquireUninterruptibly();
    try {
      exchange(dueNanos);
    } finally {
      connections.release();
    }
  }

  void exchange(long dueNanos) {
    Conn conn = idle.pollFirst();
    boolean reused = conn != null;
    try {
      if (conn == null) {
        conn = connect();
      }
      int status;
      try {
        status = conn.exchange(request);
      } catch (IOException stale) {
        // a kept-alive connection the server closed while it sat idle: nothing was sent on it that
        // the server read, so one retry on a fresh connection is what a browser does too
        conn.close();
        if (!reused) {
          throw stale;
        }
        conn = connect();
        status = conn.exchange(request);
      }
      long took = System.nanoTime() - dueNanos;
      if (conn.keepAlive) {
        idle.offerFirst(conn);
      } else {
        conn.close();
      }
      if (status / 100 == 2) {
        okNanos.add(took);
      } else if (status == 503) {
        shed.increment();
      } else {
        errors.increment();
      }
    } catch (IOException | RuntimeException e) {
      if (conn != null) {
        conn.close();
      }
      errors.increment();
    }
  }

  void reset() {
    okNanos.clear();
    sent.reset();
    shed.reset();
    errors.reset();
    connects.reset();
  }

  Conn connect() throws IOException {
    connects.increment();
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 10_000);
    socket.setSoTimeout(60_000);
    return new Conn(socket);
  }

  /** One HTTP/1.1 connection: writes a request, reads one answer (Content-Length or chunked) whole. */
  static final class Conn {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean keepAlive;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      this.out = socket.getOutputStream();
    }

    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      keepAlive = statusLine.startsWith("HTTP/1.1");
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim().toLowerCase();
        String value = header.substring(colon + 1).trim().toLowerCase();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> keepAlive = !value.contains("close");
          default -> { }
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          skip(size);
          line();
        }
        while (!line().isEmpty()) {
          // trailer fields
        }
      } else if (length >= 0) {
        skip(length);
      } else {
        keepAlive = false;
        in.transferTo(OutputStream.nullOutputStream());
      }
      return status;
    }

    private String line() throws IOException {
      StringBuilder text = new StringBuilder(64);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed mid-answer");
        }
        if (b != '\r') {
          text.append((char) b);
        }
      }
      return text.toString();
    }

    private void skip(long n) throws IOException {
      in.skipNBytes(n); // an EOFException if the connection ends first
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is all that was wanted
      }
    }
  }

  void report(long elapsedNanos, long lateNanos) {
    List<Long> ok = new ArrayList<>(okNanos);
    Collections.sort(ok);
    System.out.println("sent=" + sent.sum());
    System.out.println("ok=" + ok.size());
    System.out.println("shed=" + shed.sum());
    System.out.println("errors=" + errors.sum());
    System.out.println("connections=" + connects.sum());
    // per second from the first send to the last answer: a backlog still draining after the
    // sending phase stretches the time its answers took
    System.out.printf("goodput=%.1f%n", ok.size() / (elapsedNanos / 1e9));
    System.out.printf("p50_ms=%.3f%n", pct(ok, 50));
    System.out.printf("p99_ms=%.3f%n", pct(ok, 99));
    System.out.printf("max_ms=%.3f%n", ok.isEmpty() ? 0.0 : ok.get(ok.size() - 1) / 1e6);
    System.out.printf("late_ms=%.3f%n", lateNanos / 1e6);
    System.out.printf("elapsed_s=%.1f%n", elapsedNanos / 1e9);
  }

  static double pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }
}
