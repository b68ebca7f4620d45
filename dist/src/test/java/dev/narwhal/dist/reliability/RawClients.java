package dev.narwhal.dist.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that misbehave at the socket level, each on a virtual thread: they hold connections the
 * way attackers and broken networks do. Counters say how many did what they meant to.
 */
public final class RawClients implements AutoCloseable {
  private final int port;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean running = true;
  /** Connections that were open when asked (slowloris and slow bodies). */
  public final AtomicInteger connected = new AtomicInteger();
  /** Connection attempts or writes that failed. */
  public final AtomicInteger refused = new AtomicInteger();
  /** Responses abandoned part-way by {@link #leaveMidResponse}. */
  public final AtomicLong leftMidResponse = new AtomicLong();

  public RawClients(int port) {
    this.port = port;
  }

  /**
   * Opens {@code n} connections that send a request head one header line at a time, a line every
   * {@code every}, and never finish it: slowloris.
   */
  public void slowloris(int n, Duration every) {
    for (int i = 0; i < n; i++) {
      int id = i;
      spawn(() -> {
        try (Socket s = connect()) {
          OutputStream out = s.getOutputStream();
          out.write(("GET /slowloris-" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          connected.incrementAndGet();
          for (int line = 0; running; line++) {
            pause(every);
            out.write(("X-Slow-" + line + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        }
      });
    }
  }

  /**
   * Opens {@code n} connections that POST /upload declaring a body of {@code length} bytes and
   * send it one byte per {@code every} (slower than 1 byte/s when every is over a second).
   */
  public void slowBodies(int n, int length, Duration every) {
    for (int i = 0; i < n; i++) {
      spawn(() -> {
        try (Socket s = connect()) {
          OutputStream out = s.getOutputStream();
          out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          connected.incrementAndGet();
          for (int b = 0; running && b < length; b++) {
            pause(every);
            out.write('x');
            out.flush();
          }
        }
      });
    }
  }

  /**
   * {@code n} clients that, until closed, each ask for {@code path} (a large answer), read
   * {@code readBytes} of it and drop the connection, then start again after {@code every}, the
   * clients spread evenly over that period. Half
   * close politely (FIN), half reset (SO_LINGER 0). A 4 KiB receive buffer keeps the server from
   * pushing the whole answer into loopback's large socket buffers first, so it really is still
   * writing when the client leaves.
   */
  public void leaveMidResponse(int n, String path, int readBytes, Duration every) {
    for (int i = 0; i < n; i++) {
      boolean reset = i % 2 == 0;
      // staggered over one period: n clients in lockstep would be a burst every period, a test of
      // the worker count rather than of clients that leave
      Duration offset = every.multipliedBy(i).dividedBy(n);
      spawn(() -> {
        pause(offset);
        while (running) {
          try (Socket s = connect(4096)) {
            if (reset) {
              s.setSoLinger(true, 0);
            }
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            int read = 0;
            byte[] buf = new byte[4096];
            while (read < readBytes) {
              int r = in.read(buf, 0, Math.min(buf.length, readBytes - read));
              if (r < 0) {
                break;
              }
              read += r;
            }
            leftMidResponse.incrementAndGet();
            sockets.remove(s);
          }
          pause(every);
        }
      });
    }
  }

  private Socket connect() throws IOException {
    return connect(0);
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
    }
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    } catch (IOException e) {
      refused.incrementAndGet();
      throw e;
    }
    sockets.add(s);
    return s;
  }

  private interface Body {
    void run() throws IOException;
  }

  private void spawn(Body body) {
    threads.add(Thread.ofVirtual().start(() -> {
      try {
        body.run();
      } catch (IOException e) {
        if (running) {
          refused.incrementAndGet();
        }
      }
    }));
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d); // the client's pacing is the behaviour under test
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** The outcome of one raw exchange: a status, a close without an answer, or silence. */
  public record Outcome(int status, boolean closed, boolean timedOut) {
    public boolean is2xx() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * Sends {@code bytes} on a fresh connection and reads the first status line (or the close, or
   * nothing within {@code timeout}).
   */
  public static Outcome exchange(int port, byte[] bytes, Duration timeout) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout((int) timeout.toMillis());
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
      } catch (IOException e) {
        return new Outcome(0, true, false); // the server closed while we were still writing
      }
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      try {
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
          line.append((char) c);
        }
      } catch (SocketTimeoutException e) {
        return new Outcome(0, false, true);
      } catch (IOException e) {
        return new Outcome(0, true, false); // reset
      }
      String[] parts = line.toString().split(" ");
      if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
        return new Outcome(Integer.parseInt(parts[1].trim()), false, false);
      }
      return new Outcome(0, true, false);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
    for (Thread t : threads) {
      t.interrupt();
      t.join(10_000);
    }
  }
}
