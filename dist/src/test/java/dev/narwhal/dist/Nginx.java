package dev.narwhal.dist;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Debian's nginx in the foreground as a child process, on a free loopback port, with
 * deploy/nginx/narwhal.conf as its site (only the upstream address and the listen line
 * replaced) and everything else (pid, logs, temporary files) in {@code dir}. Its access log has one
 * line per request: {@code $msec $request_time $status "$upstream_status" $request_uri}.
 */
final class Nginx implements AutoCloseable {
  static final Path SITE = NarwhalProcess.ROOT.resolve("deploy/nginx/narwhal.conf");

  final Process process;
  final Path dir;
  final int port;
  final int tlsPort;

  private Nginx(Process process, Path dir, int port, int tlsPort) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /** Fails with what to do when a program the deploy tests run is not installed. */
  static void requireInstalled(String... programs) throws IOException, InterruptedException {
    for (String program : programs) {
      Process which = new ProcessBuilder("sh", "-c", "command -v " + program).start();
      if (!which.waitFor(10, TimeUnit.SECONDS) || which.exitValue() != 0) {
        throw new AssertionError(program + " is not installed: .ci/run installs it (Debian's nginx and "
            + "apache2-utils: apt-get install nginx apache2-utils)");
      }
    }
  }

  /** Starts nginx in front of Narwhal on {@code upstreamPort}; with {@code tls}, an HTTPS listener too. */
  static Nginx start(Path dir, int upstreamPort, boolean tls) throws Exception {
    requireInstalled("nginx");
    Files.createDirectories(dir.resolve("tmp"));
    int port = NarwhalProcess.freePort();
    int tlsPort = tls ? NarwhalProcess.freePort() : 0;
    String listen = "listen 127.0.0.1:" + port + ";";
    if (tls) {
      selfSignedCertificate(dir);
      listen += "\n  listen 127.0.0.1:" + tlsPort + " ssl;\n  ssl_certificate " + dir.resolve("cert.pem")
          + ";\n  ssl_certificate_key " + dir.resolve("key.pem") + ";";
    }
    String site = Files.readString(SITE);
    if (!site.contains("server 127.0.0.1:8000 ") || !site.contains("listen 80;")) {
      throw new AssertionError(SITE + " no longer has the 'server 127.0.0.1:8000' and 'listen 80;' lines this test replaces");
    }
    String ours = site.replace("server 127.0.0.1:8000 ", "server 127.0.0.1:" + upstreamPort + " ")
        .replace("listen 80;", listen);
    Files.writeString(dir.resolve("site.conf"), ours);
    Files.writeString(dir.resolve("nginx.conf"), main(dir));
    Process process = new ProcessBuilder("nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    Nginx nginx = new Nginx(process, dir, port, tlsPort);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError("nginx exited " + process.exitValue() + ":\n" + NarwhalProcess.read(dir.resolve("nginx.out"))
              + NarwhalProcess.read(dir.resolve("error.log")));
        }
        return accepts(port);
      });
    } catch (RuntimeException | AssertionError e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  private static String main(Path dir) {
    // user root: as root, nginx's workers would otherwise run as nobody, who cannot write the
    // temporary directories this test made
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    return user + """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        events { worker_connections 1024; }
        http {
          log_format narwhal '$msec $request_time $status "$upstream_status" $request_uri';
          access_log %1$s/access.log narwhal;
          client_body_temp_path %1$s/tmp/body;
          proxy_temp_path %1$s/tmp/proxy;
          fastcgi_temp_path %1$s/tmp/fastcgi;
          uwsgi_temp_path %1$s/tmp/uwsgi;
          scgi_temp_path %1$s/tmp/scgi;
          include %1$s/site.conf;
        }
        """.formatted(dir);
  }

  private static void selfSignedCertificate(Path dir) throws Exception {
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=localhost", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.out").toFile()).start();
    if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      throw new AssertionError("openssl failed: " + NarwhalProcess.read(dir.resolve("openssl.out")));
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** One access-log line. {@code start} is when nginx read the request, in epoch milliseconds. */
  record Logged(double start, double end, int status, String upstreamStatus) {}

  List<Logged> accessLog() {
    return NarwhalProcess.read(dir.resolve("access.log")).lines().map(line -> {
      String[] f = line.split(" ");
      double end = Double.parseDouble(f[0]) * 1000;
      return new Logged(end - Double.parseDouble(f[1]) * 1000, end, Integer.parseInt(f[2]), f[3]);
    }).toList();
  }

  /** How many requests ended with each status, from the access log. */
  static Map<Integer, Long> statuses(List<Logged> log) {
    return log.stream().collect(Collectors.groupingBy(Logged::status, TreeMap::new, Collectors.counting()));
  }

  /** The error log's messages without time, pid and connection number, counted. */
  Map<String, Long> errors() {
    Function<String, String> message = line -> line.replaceFirst("^.*?\\*\\d+ ", "").replaceFirst(", client: .*", "");
    return NarwhalProcess.read(dir.resolve("error.log")).lines().filter(l -> l.contains("[error]"))
        .collect(Collectors.groupingBy(message, TreeMap::new, Collectors.counting()));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: nginx's fast shutdown
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
