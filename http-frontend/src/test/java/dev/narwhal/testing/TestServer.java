package dev.narwhal.testing;

import dev.narwhal.*;

import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.util.Optional;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** A real server on 127.0.0.1:0 and an HTTP/1.1 client aimed at it; closing stops the server. */
public final class TestServer implements AutoCloseable {
  public final Server server;
  /**
   * The client's own threads, a fixed few: its default executor grows a thread per response in
   * flight, and tests that count the JVM's threads (async_holds_no_thread_per_request) would count
   * the client's growth as the server's.
   */
  private final ExecutorService clientThreads = Executors.newFixedThreadPool(4,
      Thread.ofPlatform().daemon().name("test-http-client-", 0).factory());
  public final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .executor(clientThreads)
      .build();

  private TestServer(Server server) {
    this.server = server;
  }

  public static TestServer start(Application app, UnaryOperator<ServerConfig> tune) throws ServerStartException {
    return start(() -> app, tune);
  }

  public static TestServer start(Supplier<? extends Application> app, UnaryOperator<ServerConfig> tune)
      throws ServerStartException {
    return start(app, tune, () -> { });
  }

  /** With the user's server hooks. */
  public static TestServer start(Supplier<? extends Application> app, UnaryOperator<ServerConfig> tune,
      ServerHooks hooks) throws ServerStartException {
    return start(app, tune, hooks, () -> { });
  }

  /** With what SIGUSR1 and /control/reopen-logs run. */
  public static TestServer start(Supplier<? extends Application> app, UnaryOperator<ServerConfig> tune,
      Runnable reopenLogs) throws ServerStartException {
    return start(app, tune, ServerHooks.NONE, reopenLogs);
  }

  private static TestServer start(Supplier<? extends Application> app, UnaryOperator<ServerConfig> tune,
      ServerHooks hooks, Runnable reopenLogs) throws ServerStartException {
    // the admin API on a free port, so tests never fight over 9191; Kamon only where a test asks
    ServerConfig config = tune.apply(ServerConfig.defaults()
        .withBinds(List.of(new BindAddress("127.0.0.1", 0)))
        .with(Settings.ADMIN_BIND, Optional.of(new BindAddress("127.0.0.1", 0)))
        .with(Settings.METRICS, false)
        .withGracefulTimeout(Duration.ofSeconds(10)));
    return new TestServer(Server.start(config, app, hooks,
        server -> server.reload(server.config(), app), reopenLogs));
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  public HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return client.sendAsync(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public URI admin(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.adminPort() + pathAndQuery);
  }

  /** GET on the admin API. */
  public HttpResponse<String> adminGet(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(admin(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST on the admin API, with {@code Authorization: Bearer token} unless token is null. */
  public HttpResponse<String> adminPost(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(admin(pathAndQuery)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The generated control token. */
  public String token() throws Exception {
    return java.nio.file.Files.readString(server.adminTokenFile().orElseThrow()).strip();
  }

  @Override
  public void close() {
    server.stop(Duration.ZERO).toCompletableFuture().join();
    client.close();
    clientThreads.shutdown();
  }
}
