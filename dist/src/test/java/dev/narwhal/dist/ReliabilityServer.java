package dev.narwhal.dist;

import dev.narwhal.dist.reliability.Load;
import dev.narwhal.dist.reliability.ServerProbe;
import dev.narwhal.dist.reliability.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bin/narwhal started for a reliability scenario: a free port for the application and one for the
 * admin API (for /stats), and a {@link ServerProbe} on the process. Closing kills whatever is left
 * and keeps the server's log in {@code target/reliability/NAME.server.log}.
 *
 * <p>The server's keep-alive is {@value #KEEPALIVE} s, longer than the JDK client's own idle timeout
 * (30 s), as docs/settings.md advises behind a load balancer. With the default 2 s, a pooled client
 * connection can be reused at the instant the server closes it for idleness: the request is written
 * to a closing socket and fails with "header parser received no bytes". That is HTTP/1.1's
 * keep-alive race (the server never saw the request), not a request the server lost, and it would
 * make every scenario's error count depend on the client's pooling rather than on the server.
 */
final class ReliabilityServer implements AutoCloseable {
  static final String KEEPALIVE = "75";

  final NarwhalProcess process;
  final ServerProbe probe;
  final int adminPort;
  final String name;
  private final List<Load> loads = new ArrayList<>();

  private ReliabilityServer(String name, NarwhalProcess process, int adminPort) {
    this.name = name;
    this.process = process;
    this.adminPort = adminPort;
    this.probe = new ServerProbe(process.process.pid(), adminPort);
  }

  /** Starts {@code app} with {@code args} and waits until it listens and its admin API is up. */
  static ReliabilityServer start(String name, Path log, Map<String, String> environment, String app, String... args)
      throws IOException {
    int adminPort = NarwhalProcess.freePort();
    List<String> all = new ArrayList<>(List.of("--admin-bind", "127.0.0.1:" + adminPort, "--keep-alive", KEEPALIVE));
    all.addAll(List.of(args));
    all.add(app);
    NarwhalProcess n = NarwhalProcess.serve(log, environment, all.toArray(String[]::new));
    n.awaitReady().awaitOutput("Admin API at: http://127.0.0.1:" + adminPort, Duration.ofSeconds(60));
    return new ReliabilityServer(name, n, adminPort);
  }

  int port() {
    return process.port;
  }

  /** A load against this server, closed with it. */
  Load load(double rate, List<Target> mix) {
    Load load = new Load(process.port, rate, mix);
    loads.add(load);
    return load;
  }

  boolean alive() {
    return process.process.isAlive();
  }

  @Override
  public void close() {
    loads.forEach(Load::close);
    probe.close();
    process.close();
    try {
      // the server's own account of the run, next to the scenario's figures
      Path dir = java.nio.file.Files.createDirectories(Path.of("target", "reliability"));
      java.nio.file.Files.copy(process.log, dir.resolve(name + ".server.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println("could not keep the server log: " + e);
    }
  }
}
