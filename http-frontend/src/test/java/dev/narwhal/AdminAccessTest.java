package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Who may read the admin API: Host names (DNS rebinding), the token for reads with
 * admin-read-auth on, the dashboard's cookie, the limit on thread dumps and the throttled warnings
 * for refused tokens. Real HTTP to a real admin bind on port 0.
 */
class AdminAccessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> READS = List.of("/stats?seconds=0", "/threads", "/metrics", "/");

  static TestServer start(UnaryOperator<ServerConfig> tune) throws ServerStartException {
    return TestServer.start(Application.of(r -> Response.ok("ok")), c -> tune.apply(c.withWorkers(1)));
  }

  /** One GET with the given Host, on a fresh connection: java.net.http will not send a foreign Host. */
  static RawHttp.Reply get(TestServer t, String path, String host, String... headers) throws Exception {
    try (RawHttp raw = new RawHttp(t.server.adminPort())) {
      StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
      for (String h : headers) {
        head.append(h).append("\r\n");
      }
      return raw.send(head.append("Connection: close\r\n\r\n").toString());
    }
  }

  @Test
  void reads_addressed_to_a_foreign_host_name_are_refused_with_421_and_health_stays_open() throws Exception {
    try (TestServer t = start(c -> c)) {
      for (String path : READS) {
        RawHttp.Reply reply = get(t, path, "evil.example:" + t.server.adminPort());
        assertThat(reply.status()).as("%s with Host: evil.example", path).isEqualTo(421);
        assertThat(reply.body()).as(path).contains("admin-allowed-hosts").doesNotContain("\"workers\"");
      }
      assertThat(get(t, "/health/live", "evil.example").status()).isEqualTo(200);
      assertThat(get(t, "/health/ready", "evil.example").status()).isEqualTo(200);
    }
  }

  @Test
  void an_ambiguously_framed_request_to_the_admin_api_is_refused_and_the_bytes_after_it_never_run() throws Exception {
    try (TestServer t = start(c -> c); RawHttp raw = new RawHttp(t.server.adminPort())) {
      // an empty Content-Length: a lenient parser reads no body and serves what follows as a second request
      raw.write("POST /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length:\r\n\r\n"
          + "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      RawHttp.Reply reply = raw.read();
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.headers()).containsEntry("connection", "close");
      assertThatThrownBy(raw::read).as("a second answer").isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void loopback_names_ip_addresses_and_admin_allowed_hosts_are_answered() throws Exception {
    try (TestServer t = start(c -> c.with(Settings.ADMIN_ALLOWED_HOSTS, List.of("admin.example.com", ".internal")))) {
      int port = t.server.adminPort();
      for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost",
          "10.1.2.3:" + port, "admin.example.com:" + port, "pod-7.ns.internal:80", "internal")) {
        assertThat(get(t, "/stats?seconds=0", host).status()).as("Host: %s", host).isEqualTo(200);
      }
      for (String host : List.of("evil.example", "admin.example.com.evil.example", "localhost.evil.example",
          "127.0.0.1.nip.io", "xinternal")) {
        assertThat(get(t, "/stats?seconds=0", host).status()).as("Host: %s", host).isEqualTo(421);
      }
    }
    try (TestServer any = start(c -> c.with(Settings.ADMIN_ALLOWED_HOSTS, List.of("*")))) {
      assertThat(get(any, "/stats?seconds=0", "evil.example").status()).isEqualTo(200);
    }
  }

  @Test
  void with_admin_read_auth_on_reads_need_the_token_and_health_stays_open() throws Exception {
    try (TestServer t = start(c -> c.with(Settings.ADMIN_READ_AUTH, true))) {
      String token = t.token();
      for (String path : READS) {
        HttpResponse<String> none = t.adminGet(path);
        assertThat(none.statusCode()).as("%s without a token", path).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
        assertThat(read(t, path, "Bearer wrong-token-of-some-length").statusCode()).as(path).isEqualTo(401);
      }
      for (String path : READS) {
        assertThat(read(t, path, "Bearer " + token).statusCode()).as("%s with the token", path).isIn(200, 404);
      }
      assertThat(read(t, "/stats?seconds=0", "Bearer " + token).body()).contains("\"workers\"");
      assertThat(t.adminGet("/health/live").statusCode()).isEqualTo(200);
      assertThat(t.adminGet("/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void the_dashboard_trades_its_token_for_a_read_only_cookie_that_its_stats_requests_carry() throws Exception {
    try (TestServer t = start(c -> c.with(Settings.ADMIN_READ_AUTH, true))) {
      String host = "127.0.0.1:" + t.server.adminPort();
      RawHttp.Reply login = get(t, "/?token=" + t.token(), host);
      assertThat(login.status()).isEqualTo(303);
      assertThat(login.headers().get("location")).isEqualTo("./");
      String setCookie = login.headers().get("set-cookie");
      assertThat(setCookie).startsWith("narwhal-admin-").contains("HttpOnly", "SameSite=Strict")
          .doesNotContain(t.token());
      String cookie = "Cookie: " + setCookie.substring(0, setCookie.indexOf(';'));

      RawHttp.Reply page = get(t, "/", host, cookie);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("fetch(\"stats?seconds=");
      RawHttp.Reply stats = get(t, "/stats?seconds=0", host, cookie);
      assertThat(stats.status()).isEqualTo(200);
      assertThat(stats.body()).contains("\"workers\"");

      assertThat(get(t, "/?token=not-the-token-at-all", host).status()).isEqualTo(401);
      assertThat(get(t, "/stats?seconds=0", host, "Cookie: narwhal-admin-x=forged").status()).isEqualTo(401);
      // the cookie reads, it never controls: a cookie rides along on requests a page did not mean to make
      try (RawHttp raw = new RawHttp(t.server.adminPort())) {
        assertThat(raw.send("POST /control/scale?delta=1 HTTP/1.1\r\nHost: " + host + "\r\n" + cookie
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").status()).isEqualTo(401);
      }
    }
  }

  @Test
  void a_second_thread_dump_within_a_second_is_refused_with_429_and_retry_after() throws Exception {
    try (TestServer t = start(c -> c)) {
      boolean refused = false;
      // the limit is one per second: a second request that left later than that may rightly pass,
      // so on a box slow enough to space them out, try again rather than fail
      for (int attempt = 0; attempt < 5 && !refused; attempt++) {
        long first = System.nanoTime();
        HttpResponse<String> dump = t.adminGet("/threads");
        HttpResponse<String> again = t.adminGet("/threads?format=json");
        long apart = System.nanoTime() - first;
        if (again.statusCode() == 429) {
          refused = true;
          assertThat(again.headers().firstValue("Retry-After")).hasValueSatisfying(
              v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
          assertThat(again.body()).contains("one every 1000 ms");
        } else {
          assertThat(apart).as("a second dump %s ms after the first was let through (first: %s)",
              apart / 1_000_000, dump.statusCode()).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        }
      }
      assertThat(refused).as("a second thread dump right after the first was refused").isTrue();
    }
  }

  @Test
  void refused_tokens_are_warned_about_once_and_then_at_most_once_a_minute() throws Exception {
    try (TestServer t = start(c -> c); LogCapture log = new LogCapture("narwhal", Level.WARN)) {
      for (int i = 0; i < 25; i++) {
        assertThat(t.adminPost("/control/scale?delta=1", "guess-number-" + i).statusCode()).isEqualTo(401);
      }
      assertThat(t.adminPost("/control/reload", null).statusCode()).isEqualTo(401);
      List<String> warnings = log.text().lines().filter(l -> l.contains("refused")).toList();
      assertThat(warnings).as("warnings for 26 refused requests").hasSize(1);
      assertThat(warnings.get(0)).contains("control request, wrong token", "at most once a minute")
          .doesNotContain("guess-number");
    }
  }

  static HttpResponse<String> read(TestServer t, String path, String authorization) throws Exception {
    return t.client.send(HttpRequest.newBuilder(t.admin(path)).header("Authorization", authorization)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
