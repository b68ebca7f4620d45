package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real nginx with deploy/nginx/narwhal.conf in front of bin/narwhal, all on loopback: the
 * guide's `ab -n 1000 -c 10` through it, the client address and scheme nginx forwards as the
 * application sees them, and what nginx answers across a SIGHUP and a SIGTERM to Narwhal under
 * load. Narwhal runs with keepalive 75s, as the site file tells users to (longer than nginx's
 * upstream keepalive_timeout). Each test prints what it measured; docs/deploy.md quotes it.
 */
class NginxIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Duration MARGIN = Duration.ofMillis(100);

  @TempDir
  Path tmp;

  @BeforeAll
  static void tools() throws Exception {
    Nginx.requireInstalled("nginx", "ab", "curl", "openssl");
  }

  @Test
  void ab_through_nginx_to_the_blog_has_0_failed_and_a_sighup_under_load_gives_no_non_2xx() throws Exception {
    try (NarwhalProcess n = blog();
         Nginx nginx = Nginx.start(tmp.resolve("nginx"), n.port, false)) {
      Ab plain = Ab.run(tmp.resolve("ab.txt"), "-n", "1000", "-c", "10", nginx.url("/"));
      System.out.println("nginx: ab -n 1000 -c 10 through nginx: " + plain + ", statuses at nginx "
          + Nginx.statuses(nginx.accessLog()));
      assertThat(plain.complete()).isEqualTo(1000);
      assertThat(plain.failed()).isZero();
      assertThat(plain.non2xx()).isZero();

      int before = nginx.accessLog().size();
      Process load = Ab.start(tmp.resolve("ab-hup.txt"), "-n", "4000", "-c", "10", nginx.url("/"));
      await().atMost(WAIT).until(() -> nginx.accessLog().size() >= before + 300);
      n.signal("HUP");
      n.awaitOutput("Reload complete", WAIT);
      int atReloaded = nginx.accessLog().size() - before;
      Ab hup = Ab.finish(load, tmp.resolve("ab-hup.txt"));
      List<Nginx.Logged> during = nginx.accessLog().subList(before, nginx.accessLog().size());
      System.out.println("nginx: SIGHUP during ab -n 4000 -c 10 (reload complete after " + atReloaded
          + " requests): " + hup + ", statuses at nginx " + Nginx.statuses(during));
      assertThat(atReloaded).as("the reload finished while the load ran").isLessThan(4000);
      assertThat(hup.complete()).isEqualTo(4000);
      assertThat(hup.failed()).isZero();
      assertThat(hup.non2xx()).isZero();
      assertThat(Nginx.statuses(during)).containsOnlyKeys(200);
      assertThat(nginx.errors()).isEmpty();
    }
  }

  @Test
  void the_app_sees_the_client_address_and_the_scheme_nginx_forwarded() throws Exception {
    Path classes = WhoAmI.compile(tmp);
    // Narwhal trusts exactly nginx's address; the client comes from another loopback address
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "--forwarded-allow-ips", "127.0.0.1",
        "--classpath", classes.toString(), "WhoAmI").awaitReady();
         Nginx nginx = Nginx.start(tmp.resolve("nginx"), n.port, true)) {
      String http = curl("--interface", "127.0.0.2", nginx.url("/who"));
      String https = curl("-k", "--interface", "127.0.0.3", "https://127.0.0.1:" + nginx.tlsPort + "/who");
      String direct = curl("--interface", "127.0.0.4", "http://127.0.0.1:" + n.port + "/who");
      System.out.println("nginx: through http: " + http + "; through https: " + https + "; direct: " + direct);
      assertThat(http).isEqualTo("client=127.0.0.2 scheme=http peer=127.0.0.1");
      assertThat(https).isEqualTo("client=127.0.0.3 scheme=https peer=127.0.0.1");
      assertThat(direct).isEqualTo("client=127.0.0.4 scheme=http peer=127.0.0.4");
    }
  }

  /**
   * When to send the signal: after 50 answers, at a moment when the requests in flight started
   * more than MARGIN ago. ab's ten clients run in step (equal 300 ms requests end together and
   * are sent again together), so right after a batch ends every request in flight is younger than
   * MARGIN and counts as arriving with the signal: one CI run signalled there and found nothing
   * "in flight". When the clients are not in step, some request is always old enough.
   */
  private static boolean aBatchIsHalfway(List<Nginx.Logged> log) {
    if (log.size() < 50) {
      return false;
    }
    List<Double> ends = log.subList(log.size() - 20, log.size()).stream().map(Nginx.Logged::end).sorted().toList();
    double widestGap = 0;
    for (int i = 1; i < ends.size(); i++) {
      widestGap = Math.max(widestGap, ends.get(i) - ends.get(i - 1));
    }
    // in step, the answers come in bursts 300 ms apart; out of step, one every 30 ms or so
    boolean inStep = widestGap > 200;
    double sinceLastEnd = System.currentTimeMillis() - ends.get(ends.size() - 1);
    return !inStep || (sinceLastEnd > MARGIN.toMillis() + 50 && sinceLastEnd < 250);
  }

  @Test
  void a_sigterm_under_load_answers_every_request_nginx_passed_on_before_it() throws Exception {
    // slow requests (300 ms), so that about ten are in flight in Narwhal when the signal comes
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "10", "--keep-alive", "75s", "chaos")
        .awaitReady();
         Nginx nginx = Nginx.start(tmp.resolve("nginx"), n.port, false)) {
      Process load = Ab.start(tmp.resolve("ab-term.txt"), "-r", "-n", "400", "-c", "10", nginx.url("/sleep?ms=300"));
      await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> aBatchIsHalfway(nginx.accessLog()));
      double signalled = System.currentTimeMillis();
      n.terminate();
      assertThat(n.exitStatus(WAIT)).isZero();
      Ab term = Ab.finish(load, tmp.resolve("ab-term.txt"));

      List<Nginx.Logged> log = nginx.accessLog();
      // nginx's clock (ms) and this JVM's are one clock, but a request nginx read a moment before
      // the signal may reach Narwhal after it: those in the last MARGIN are counted with the later ones
      double cut = signalled - MARGIN.toMillis();
      List<Nginx.Logged> before = log.stream().filter(l -> l.start() < cut).toList();
      List<Nginx.Logged> inFlight = before.stream().filter(l -> l.end() > signalled).toList();
      List<Nginx.Logged> after = log.stream().filter(l -> l.start() >= cut).toList();
      System.out.println("nginx: SIGTERM during ab -n 400 -c 10 of 300 ms requests: " + term + "; received before the "
          + "signal (less " + MARGIN.toMillis() + " ms) " + Nginx.statuses(before) + " (in flight at it: " + inFlight.size() + ", "
          + Nginx.statuses(inFlight) + "); received after it " + Nginx.statuses(after) + "; nginx's errors "
          + nginx.errors());
      assertThat(inFlight).as("requests in flight at the signal").isNotEmpty();
      assertThat(Nginx.statuses(before)).containsOnlyKeys(200);
      // after the stop nothing listens: nginx answers the rest itself, 502 Bad Gateway
      assertThat(Nginx.statuses(after).keySet()).isSubsetOf(200, 502);
      assertThat(n.output()).contains("Shutdown complete (exit 0)");
    }
  }

  private NarwhalProcess blog() throws Exception {
    Map<String, String> env = Map.of("BLOG_DATA_DIR", tmp.resolve("data").toString());
    return NarwhalProcess.serve(tmp.resolve("out.log"), env, "-w", "5", "--keep-alive", "75s", "blog").awaitReady();
  }

  private String curl(String... args) throws Exception {
    Path out = Files.createTempFile(tmp, "curl", ".out");
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
    command.addAll(List.of(args));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(curl.exitValue()).as(NarwhalProcess.read(out)).isZero();
    return Files.readString(out).strip();
  }

  /** ApacheBench's summary: complete and failed requests, and non-2xx answers. */
  record Ab(int complete, int failed, int non2xx, String failures) {
    static Process start(Path out, String... args) throws Exception {
      List<String> command = new java.util.ArrayList<>(List.of("ab"));
      command.addAll(List.of(args));
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    static Ab run(Path out, String... args) throws Exception {
      return finish(start(out, args), out);
    }

    static Ab finish(Process ab, Path out) throws Exception {
      assertThat(ab.waitFor(3, TimeUnit.MINUTES)).as("ab finished").isTrue();
      String text = NarwhalProcess.read(out);
      assertThat(ab.exitValue()).as(text).isZero();
      Matcher failures = Pattern.compile("Failed requests:\\s+\\d+\\s+(\\(.*\\))").matcher(text);
      return new Ab(number(text, "Complete requests"), number(text, "Failed requests"), number(text, "Non-2xx responses"),
          failures.find() ? failures.group(1) : "");
    }

    private static int number(String text, String label) {
      Matcher m = Pattern.compile(label + ":\\s+(\\d+)").matcher(text);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Override
    public String toString() {
      return complete + " complete, " + failed + " failed " + failures + ", " + non2xx + " non-2xx";
    }
  }
}
