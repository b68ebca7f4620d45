package dev.narwhal.examples.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Server;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The blog behind a real server with 5 workers, over HTTP: health, and concurrent writers. */
class BlogServerTest {
  static final int WORKERS = 5;

  @TempDir
  Path dir;

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  Server start(UnaryOperator<ServerConfig> tune) throws Exception {
    ServerConfig config = ServerConfig.defaults().withBinds(List.of(new BindAddress("127.0.0.1", 0)))
        .withWorkers(WORKERS).withGracefulTimeout(Duration.ofSeconds(10))
        .with(Settings.ADMIN_BIND, Optional.empty()); // the default 9191 is taken by any other server running
    return Server.start(tune.apply(config), () -> new BlogApp(BlogConfig.in(dir)));
  }

  HttpResponse<String> send(Server server, HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder get(Server server, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }

  static HttpRequest.Builder postJson(Server server, String path, String json) {
    return get(server, path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
  }

  @ParameterizedTest(name = "preload-app {0}")
  @ValueSource(booleans = {false, true})
  void health_is_200_healthy_while_the_database_answers_and_503_on_every_worker_once_the_file_is_replaced(
      boolean preload) throws Exception {
    try (Server server = start(c -> c.with(Settings.PRELOAD_APP, preload))) {
      HttpResponse<String> healthy = send(server, get(server, "/health/"));
      assertThat(healthy.statusCode()).isEqualTo(200);
      assertThat(healthy.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(healthy.body()).isEqualTo("{\"status\": \"healthy\"}");

      DatabaseTest.replaceWithDirectory(dir.resolve("blog.db"));
      // more requests than workers, several at once, so every worker's own pool is checked
      List<Future<HttpResponse<String>>> checks = new ArrayList<>();
      for (int i = 0; i < 4 * WORKERS; i++) {
        checks.add(client.sendAsync(get(server, "/health/").build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (Future<HttpResponse<String>> check : checks) {
        HttpResponse<String> response = check.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(503);
        // the reason (the file's absolute path, SQLite's error) is logged, never told to the caller
        assertThat(response.body()).isEqualTo("{\"status\": \"unhealthy\"}");
      }
    }
  }

  /**
   * Issue 8's acceptance: posts created concurrently by 8 clients against 5 workers are all there
   * afterwards, none twice. Without preload every worker writes through its own pool, and workers
   * recycle mid-run (max-requests), closing and opening pools while the others write.
   */
  @ParameterizedTest(name = "preload-app {0}")
  @ValueSource(booleans = {false, true})
  void posts_created_concurrently_by_8_clients_against_5_workers_are_all_present_once(boolean preload)
      throws Exception {
    int clients = 8;
    int postsPerClient = 25;
    try (Server server = start(c -> c.with(Settings.PRELOAD_APP, preload)
        .with(Settings.MAX_REQUESTS, 30).with(Settings.MAX_REQUESTS_JITTER, 10))) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        results.add(pool.submit(() -> {
          go.await();
          List<Integer> statuses = new ArrayList<>();
          for (int p = 0; p < postsPerClient; p++) {
            String json = "{\"title\": \"client " + client + " post " + p + "\", \"body\": \"concurrent\"}";
            statuses.add(send(server, postJson(server, "/api/posts", json)).statusCode());
          }
          return statuses;
        }));
      }
      go.countDown();
      for (Future<List<Integer>> result : results) {
        assertThat(result.get(120, TimeUnit.SECONDS)).containsOnly(201);
      }
      pool.shutdown();
      assertThat(send(server, get(server, "/api/posts")).body())
          .contains("\"total\":" + (4 + clients * postsPerClient));
    }

    Map<String, Integer> copies = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("blog.db"));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT title FROM posts WHERE body = 'concurrent'")) {
        while (rs.next()) {
          copies.merge(rs.getString(1), 1, Integer::sum);
        }
      }
      try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
    }
    assertThat(copies).hasSize(clients * postsPerClient);
    assertThat(copies.values()).containsOnly(1);
    for (int c = 0; c < clients; c++) {
      for (int p = 0; p < postsPerClient; p++) {
        assertThat(copies).containsKey("client " + c + " post " + p);
      }
    }
  }
}
