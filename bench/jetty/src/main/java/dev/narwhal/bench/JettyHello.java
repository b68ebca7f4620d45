package dev.narwhal.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A peer in bench/run: Jetty 12.1's core API (no servlets), the way a Java user would write a
 * small blocking service on it, with the endpoints of Narwhal's BenchApp and bench/bare-pekko.
 *
 * <pre>
 * java -jar bench/jetty/target/jetty-hello.jar [HOST] [PORT] [platform|virtual]   # 127.0.0.1 8000 platform
 * GET / or /hello  200 text/plain "Hello, World!"
 * GET /sleep10      the same after Thread.sleep(10): blocks the thread that runs the handler
 * GET /cpu1         the same after 1 ms of CPU busy-loop
 * </pre>
 *
 * <p>{@code platform}: Jetty's default {@code QueuedThreadPool} (8 to 200 platform threads) runs
 * the handler. {@code virtual}: the same pool for selectors and acceptors, with a
 * {@code VirtualThreadPool} for handlers, the set-up Jetty's programming guide recommends. The
 * handler is blocking (Jetty's default invocation type), since /sleep10 blocks; everything else is
 * Jetty's defaults except the listen backlog, which is Narwhal's 2048.
 */
public final class JettyHello {
  private static final int BACKLOG = 2048;
  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final PreEncodedHttpField TEXT_PLAIN =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");

  private JettyHello() {}

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
    String threads = args.length > 2 ? args[2] : "platform";
    QueuedThreadPool pool = new QueuedThreadPool();
    switch (threads) {
      case "platform" -> { }
      case "virtual" -> pool.setVirtualThreadsExecutor(new VirtualThreadPool());
      default -> throw new IllegalArgumentException("threads: platform or virtual, not " + threads);
    }
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(BACKLOG);
    server.addConnector(connector);
    server.setHandler(new Hello());
    server.start();
    System.out.println("jetty-" + threads + ": listening at http://" + host + ":" + connector.getLocalPort());
    server.join();
  }

  private static final class Hello extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (!"GET".equals(request.getMethod())) {
        Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
        return true;
      }
      switch (request.getHttpURI().getPath()) {
        case "/", "/hello" -> { }
        case "/sleep10" -> Thread.sleep(10);
        case "/cpu1" -> {
          long end = System.nanoTime() + 1_000_000;
          while (System.nanoTime() < end) {
            Thread.onSpinWait();
          }
        }
        default -> {
          Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
          return true;
        }
      }
      response.getHeaders().put(TEXT_PLAIN);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, HELLO.length);
      response.write(true, ByteBuffer.wrap(HELLO), callback);
      return true;
    }
  }
}
