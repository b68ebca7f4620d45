package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** raw-env (-e KEY=VALUE) reaches the application through Environment, over the real environment. */
class RawEnvTest {
  static final Application ECHO_ENV = Application.of(r ->
      Response.ok(Environment.get(r.queryParam("name").orElseThrow()).orElse("(unset)")));

  @Test
  void the_application_reads_raw_env_entries_through_environment() throws Exception {
    try (TestServer t = TestServer.start(ECHO_ENV, c -> c.with(Settings.RAW_ENV, Map.of("GREETING", "Howdy")))) {
      assertThat(t.get("/?name=GREETING").body()).isEqualTo("Howdy");
      assertThat(t.get("/?name=NARWHAL_SURELY_UNSET").body()).isEqualTo("(unset)");
    }
  }

  @Test
  void raw_env_overrides_the_process_environment_and_falls_back_to_it() throws Exception {
    String path = System.getenv("PATH");
    try (TestServer t = TestServer.start(ECHO_ENV, c -> c.with(Settings.RAW_ENV, Map.of("HOME", "/srv/blog")))) {
      assertThat(t.get("/?name=HOME").body()).isEqualTo("/srv/blog");
      assertThat(t.get("/?name=PATH").body()).isEqualTo(path);
      assertThat(Environment.asMap()).containsEntry("HOME", "/srv/blog").containsEntry("PATH", path);
    }
  }
}
