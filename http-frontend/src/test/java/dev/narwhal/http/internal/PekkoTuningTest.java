package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.internal.BaseConfig;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.Duration;

/** What Narwhal's tuning of Pekko HTTP (narwhal-pekko.conf) gives the server's binds. */
class PekkoTuningTest {
  @Test
  void pekkos_request_timeout_is_off_not_infinite_which_is_what_drops_its_timeout_stage() {
    // "infinite" would still run the stage (it only skips Duration.Zero), copying every request
    // twice; workers answer timeouts themselves (504)
    ServerSettings settings = ServerSettings.create(BaseConfig.load());

    assertThat(settings.getTimeouts().requestTimeout()).isEqualTo(Duration.Zero());
  }
}
