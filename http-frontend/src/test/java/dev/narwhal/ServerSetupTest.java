package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerSetupTest {
  private static final ServerConfig CONFIG = ServerConfig.defaults()
      .withBinds(List.of(new BindAddress("127.0.0.1", 0)))
      .with(Settings.ADMIN_BIND, Optional.empty())
      .with(Settings.METRICS, false)
      .withGracefulTimeout(Duration.ofSeconds(5));

  @Test
  void create_then_start_serves_and_runs_the_hooks_and_log_reopener_it_was_given() throws Exception {
    AtomicInteger ready = new AtomicInteger();
    AtomicInteger reopened = new AtomicInteger();
    ServerHooks hooks = new ServerHooks() {
      @Override
      public void whenReady() {
        ready.incrementAndGet();
      }
    };
    try (Server server = Server.create(() -> Application.of(r -> Response.ok("set up")), CONFIG)
        .hooks(hooks).reopenLogs(reopened::incrementAndGet).start()) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
              .timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("set up");
      assertThat(ready).hasValue(1);
      server.reopenLogs();
      assertThat(reopened).hasValue(1);
      assertThat(server.isReady()).isTrue();
    }
  }

  @Test
  void a_setup_is_a_value_so_varying_it_leaves_the_original_as_it_was() throws Exception {
    ServerSetup plain = Server.create(() -> Application.of(r -> Response.ok("plain")), CONFIG);
    AtomicInteger reopened = new AtomicInteger();
    ServerSetup varied = plain.reopenLogs(reopened::incrementAndGet);
    assertThat(varied).isNotSameAs(plain);
    try (Server server = plain.start()) {
      server.reopenLogs();
      assertThat(reopened).hasValue(0);
    }
  }
}
