package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** narwhal.pools: each pool's settings over the top-level ones, its routes, and errors with file and line. */
class PoolsSettingTest {
  @TempDir
  Path dir;

  ServerConfig file(String text) throws Exception {
    Path conf = dir.resolve("narwhal.conf");
    Files.writeString(conf, text);
    return ServerConfig.load(conf);
  }

  @Test
  void no_pools_by_default() {
    assertThat(ServerConfig.defaults().get(Settings.POOLS)).isEmpty();
  }

  @Test
  void a_pool_takes_what_it_sets_and_inherits_the_rest_from_the_top_level() throws Exception {
    ServerConfig config = file("""
        narwhal {
          workers = 3
          max-requests = 100
          pools {
            reports { workers = 2, timeout = 60s, backlog = 16, routes = ["/reports", "POST /exports", "header:X-Heavy=1"] }
          }
        }
        """);
    List<NamedPool> pools = config.get(Settings.POOLS);
    assertThat(pools).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("reports");
      assertThat(p.routes()).extracting(PoolRoute::text).containsExactly("/reports", "POST /exports",
          "header:x-heavy=1");
    });
    // what --print-config shows
    assertThat(pools.get(0)).hasToString("reports { workers = 2, timeout = 60s, backlog = 16, routes = "
        + "[\"/reports\", \"POST /exports\", \"header:x-heavy=1\"] }");
    ServerConfig reports = pools.get(0).applyTo(config);
    assertThat(reports.workers()).isEqualTo(2);
    assertThat(reports.get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
    assertThat(reports.backlog()).isEqualTo(16);
    assertThat(reports.get(Settings.MAX_REQUESTS)).isEqualTo(100);
    assertThat(config.workers()).isEqualTo(3);
    assertThat(config.get(Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void pools_come_in_name_order_and_default_may_only_route_back() throws Exception {
    ServerConfig config = file("""
        narwhal.pools {
          zeta { routes = "/z" }
          alpha { worker-class = gthread, threads = 4, routes = ["/a"] }
          default { routes = ["/a/health"] }
        }
        """);
    assertThat(config.get(Settings.POOLS)).extracting(NamedPool::name).containsExactly("alpha", "default", "zeta");
    assertThat(PoolRoutes.of(config.get(Settings.POOLS)).poolFor("GET", "/a/health", n -> java.util.Optional.empty()))
        .isEqualTo("default");
  }

  @Test
  void an_unknown_pool_setting_names_the_file_and_line() {
    assertThatThrownBy(() -> file("""
        narwhal.pools {
          reports {
            workers = 2
            keepalive = 5
          }
        }
        """)).isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.conf:4: narwhal.pools.reports.keepalive: unknown pool setting")
        .hasMessageContaining("max-requests");
  }

  @Test
  void a_bad_value_is_refused_by_the_same_reader_as_the_top_level_setting_with_file_and_line() {
    assertThatThrownBy(() -> file("""
        narwhal.pools {
          reports {
            timeout = soon
          }
        }
        """)).isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(dir.resolve("narwhal.conf") + ":3: narwhal.pools.reports.timeout: expected "
            + "a duration such as 30, 30s or 500ms");
    assertThatThrownBy(() -> file("narwhal.pools.r { workers = 0 }"))
        .hasMessageContaining("narwhal.pools.r.workers: expected a whole number >= 1, or 'auto'");
  }

  @Test
  void a_bad_route_is_refused_with_the_grammar_and_the_line() {
    assertThatThrownBy(() -> file("""
        narwhal.pools {
          reports {
            routes = ["/ok", "reports"]
          }
        }
        """)).isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.conf:3: narwhal.pools.reports.routes: expected a route such as")
        .hasMessageContaining("got \"reports\" (");
  }

  @Test
  void the_same_route_in_two_pools_is_refused() {
    assertThatThrownBy(() -> file("""
        narwhal.pools {
          a { routes = ["/x"] }
          b { routes = ["/x/"] }
        }
        """)).isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.conf:3: narwhal.pools.b.routes")
        .hasMessageContaining("also a route of pool 'a'");
  }

  @Test
  void the_default_pool_takes_only_routes_and_pool_names_are_plain() {
    assertThatThrownBy(() -> file("narwhal.pools.default { workers = 4 }"))
        .hasMessageContaining("narwhal.pools.default.workers: the default pool takes the top-level settings");
    assertThatThrownBy(() -> file("narwhal.pools { \"a.b\" { routes = [\"/x\"] } }"))
        .hasMessageContaining("expected pool names of letters");
    assertThatThrownBy(() -> file("narwhal.pools = [1]"))
        .hasMessageContaining("narwhal.pools: expected an object of pools");
  }
}
