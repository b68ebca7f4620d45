package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/container as a user without a registry runs it: prepare-podman, podman build (the jar
 * Maven built for this module, a jlink runtime, the debootstrap base), then containers with a
 * published loopback port: both environments of the entrypoint, the non-root user, PID 1, the
 * HEALTHCHECK, NARWHAL_* and NARWHAL_CMD_ARGS, `podman kill --signal HUP` and `podman stop`.
 */
class ContainerIntegrationTest {
  static final String IMAGE = "localhost/narwhal:it";
  static final Duration WAIT = Duration.ofSeconds(90);
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void image() throws Exception {
    long start = System.nanoTime();
    Podman.buildImage(IMAGE);
    System.out.println("container: prepare-podman and podman build took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  @AfterEach
  void remove() throws Exception {
    for (String name : containers) {
      Podman.remove(name);
    }
  }

  @Test
  void production_runs_conf_narwhal_conf_as_a_non_root_pid_1_healthy_and_reloads_on_podman_kill_hup() throws Exception {
    int port = NarwhalProcess.freePort();
    String name = run(port, "-e", "NARWHAL_WORKERS=3", "-e", "NARWHAL_CMD_ARGS=--name from-cmd-args");
    awaitLog(name, "Listening at: http://0.0.0.0:8000");

    String log = Podman.logs(name);
    assertThat(log).contains("entrypoint: ENVIRONMENT=production", "Config file: /opt/narwhal/conf/narwhal.conf",
        "All 3 workers booted", "[from-cmd-args]", "(3 sync workers, pid 1)", "Blog database /var/lib/narwhal/blog.db");
    assertThat(get(port, "/").statusCode()).isEqualTo(200);
    assertThat(Podman.podman(WAIT, "exec", name, "id", "-un").orFail("id").output().strip()).isEqualTo("narwhal");
    assertThat(Podman.podman(WAIT, "image", "inspect", "--format", "{{.HealthCheck.Test}}", IMAGE).output())
        .contains("/opt/narwhal/bin/healthcheck");
    assertThat(Podman.podman(WAIT, "healthcheck", "run", name).status()).as("podman healthcheck run").isZero();

    Podman.podman(WAIT, "kill", "--signal", "HUP", name).orFail("podman kill --signal HUP");
    awaitLog(name, "Reload complete: every worker is in phase 2");
    assertThat(Podman.logs(name)).contains("Handling SIGHUP", "Reloading: phase 2 replaces workers one at a time");
    assertThat(get(port, "/").statusCode()).isEqualTo(200);
  }

  @Test
  void development_runs_conf_development_conf_with_reload() throws Exception {
    int port = NarwhalProcess.freePort();
    String name = run(port, "-e", "ENVIRONMENT=development");
    awaitLog(name, "Listening at: http://0.0.0.0:8000");
    assertThat(Podman.logs(name)).contains("entrypoint: ENVIRONMENT=development",
        "Config file: /opt/narwhal/conf/development.conf", "Reloading on changes to:", "All 2 workers booted", "[DEBUG]");
    assertThat(get(port, "/").statusCode()).isEqualTo(200);

    String bad = run(NarwhalProcess.freePort(), "-e", "ENVIRONMENT=staging");
    assertThat(Podman.podman(WAIT, "wait", bad).output().strip()).isEqualTo("2");
    assertThat(Podman.logs(bad)).contains("ENVIRONMENT must be production or development, not 'staging'");
  }

  @Test
  void podman_stop_drains_the_requests_in_flight_and_exits_0() throws Exception {
    int port = NarwhalProcess.freePort();
    int admin = NarwhalProcess.freePort();
    // the admin API published too (bound to every interface, as for Kubernetes' probes), to see
    // the requests in flight before the stop
    String name = run(port, List.of("-p", "127.0.0.1:" + admin + ":9191", "-e", "NARWHAL_ADMIN_BIND=0.0.0.0:9191",
        "-e", "NARWHAL_WORKERS=6"), "chaos");
    awaitLog(name, "Listening at: http://0.0.0.0:8000");

    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      slow.add(CLIENT.sendAsync(request(port, "/sleep?ms=3000"), HttpResponse.BodyHandlers.ofString()));
    }
    ObjectMapper json = new ObjectMapper();
    await().atMost(WAIT).until(() -> json.readTree(get(admin, "/stats").body()).path("in_flight").asInt() == 6);
    long start = System.nanoTime();
    Podman.podman(WAIT, "stop", "-t", "40", name).orFail("podman stop");
    long took = (System.nanoTime() - start) / 1_000_000;

    for (CompletableFuture<HttpResponse<String>> response : slow) {
      assertThat(response.join().statusCode()).isEqualTo(200);
    }
    assertThat(Podman.podman(WAIT, "inspect", "--format", "{{.State.ExitCode}}", name).output().strip()).isEqualTo("0");
    assertThat(Podman.logs(name)).contains("Stopping gracefully: 0 waiting, 6 in flight", "Shutdown complete (exit 0)");
    System.out.println("container: podman stop with 6 requests of 3 s in flight took " + took + " ms, all 6 answered 200, exit 0");
  }

  private String run(int port, String... options) throws Exception {
    return run(port, List.of(options));
  }

  /** Starts a container of the image with the application port published on loopback. */
  private String run(int port, List<String> options, String... args) throws Exception {
    String name = "narwhal-it-" + port;
    containers.add(name);
    List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":8000"));
    command.addAll(options);
    command.add(IMAGE);
    command.addAll(List.of(args));
    Podman.podman(WAIT, command.toArray(String[]::new)).orFail("podman run");
    return name;
  }

  private static void awaitLog(String name, String text) {
    await().atMost(WAIT).until(() -> {
      String log = Podman.logs(name);
      if (log.contains("narwhal: error:")) {
        throw new AssertionError("narwhal did not start:\n" + log);
      }
      return log.contains(text);
    });
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(request(port, path), HttpResponse.BodyHandlers.ofString());
  }
}
