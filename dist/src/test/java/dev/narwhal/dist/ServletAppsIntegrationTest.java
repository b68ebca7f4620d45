package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's servlet, Jakarta REST and Spring MVC commands, as processes: the APP prefixes resolved by the
 * providers merged into the shaded jar's META-INF/services, Jersey booting inside it, and a reload
 * that builds new app instances while logging keeps working (Logback's own servlet initializer
 * would stop it).
 */
class ServletAppsIntegrationTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * Short enough that the 20 s report times out quickly, long enough for a cold worker's first
   * request (Jersey and Spring finish setting up on it) on a loaded 2-core machine: 2 s was not.
   */
  static final String TIMEOUT = "6";

  @TempDir
  Path tmp;

  static HttpResponse<String> send(NarwhalProcess n, String method, String path, String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port + path))
        .header("Content-Type", "application/json").timeout(WAIT)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .build();
    return n.client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * What every framework app gets from the worker model, checked through a slow endpoint: a
   * request past {@code timeout} is answered 504 and its stuck thread's stack, down to the app's
   * own method, is in the error log; then a SIGHUP reload and a graceful stop.
   */
  static void timeoutReloadAndStop(NarwhalProcess n, String workerClass, String slowPath, String frame) throws Exception {
    HttpResponse<String> stuck = n.get(slowPath + "?ms=20000");
    assertThat(stuck.statusCode()).isEqualTo(504);
    n.awaitOutput("WORKER TIMEOUT", WAIT).awaitOutput(frame, WAIT);

    n.signal("HUP");
    n.awaitOutput("Reload complete: every worker is in phase 2", WAIT);
    await().atMost(WAIT).until(() -> n.count("(phase 2, " + workerClass + ")") == 2);
    assertThat(n.get(slowPath + "?ms=1").statusCode()).isEqualTo(200);

    n.signal("TERM");
    assertThat(n.exitStatus(WAIT)).isZero();
    assertThat(n.output()).contains("Shutting down");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "virtual"})
  void bin_narwhal_jaxrs_serves_the_jersey_notes_app_times_out_reloads_and_stops(String workerClass) throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "2", "-k", workerClass,
        "--timeout", TIMEOUT, "jaxrs:dev.narwhal.examples.jaxrs.NotesApplication").awaitReady()) {
      HttpResponse<String> created = send(n, "POST", "/api/notes", "{\"title\":\"From the launcher\"}");
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.body()).contains("\"title\":\"From the launcher\"");
      assertThat(send(n, "POST", "/api/notes", "{\"title\":\"\"}").statusCode()).isEqualTo(400);

      timeoutReloadAndStop(n, workerClass, "/api/report", "dev.narwhal.examples.jaxrs.ReportResource.build");
      // the new phase's Jersey apps answered over the process's store before the stop
    }
  }

  @Test
  void bin_narwhal_servlet_serves_a_plain_servlet_with_its_session_on_virtual_workers() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "2", "-k", "virtual",
        "servlet:dev.narwhal.examples.servlet.HelloServlet").awaitReady()) {
      HttpResponse<String> first = n.get("/hello/Ann");
      assertThat(first.body()).isEqualTo("Hello, Ann! (visit 1)\n");
      String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      HttpRequest again = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port + "/hello/Ann"))
          .header("Cookie", cookie).timeout(WAIT).build();
      assertThat(n.client.send(again, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("Hello, Ann! (visit 2)\n");
      assertThat(n.get("/other").statusCode()).isEqualTo(404);

      n.signal("TERM");
      assertThat(n.exitStatus(WAIT)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "virtual"})
  void bin_narwhal_runs_the_spring_mvc_app_which_times_out_reloads_and_stops(String workerClass) throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "-w", "2", "-k", workerClass,
        "--timeout", TIMEOUT, "dev.narwhal.examples.spring.SpringApp").awaitReady()) {
      HttpResponse<String> greeting = n.get("/greetings/Ann");
      assertThat(greeting.statusCode()).isEqualTo(200);
      assertThat(greeting.body()).contains("\"text\":\"Hello, Ann!\"");
      assertThat(n.get("/ping").body()).isEqualTo("pong");

      timeoutReloadAndStop(n, workerClass, "/report", "dev.narwhal.examples.spring.GreetingController.report");
    }
  }

  @Test
  void an_unknown_servlet_class_fails_at_start_with_the_reason() throws Exception {
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("out.log"), "servlet:com.example.Missing")) {
      assertThat(n.exitStatus(WAIT)).isNotZero();
      assertThat(n.output()).contains("APP 'servlet:com.example.Missing': no class com.example.Missing");
    }
  }
}
