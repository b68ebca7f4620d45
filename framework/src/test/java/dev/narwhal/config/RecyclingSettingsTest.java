package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recycling by age and heap, and the supervision policy: how they are spelled, read and refused. */
class RecyclingSettingsTest {
  @TempDir
  Path dir;

  ServerConfig load(String... args) {
    return ConfigLoader.load(List.of(args), Map.of(), dir).config();
  }

  @Test
  void recycling_by_age_and_heap_is_off_by_default_and_the_policy_built_in() {
    ServerConfig c = load("x");

    assertThat(c.get(Settings.MAX_WORKER_LIFETIME)).isZero();
    assertThat(c.get(Settings.MAX_WORKER_LIFETIME_JITTER)).isZero();
    assertThat(c.get(Settings.HEAP_RECYCLE_THRESHOLD)).isZero();
    assertThat(c.get(Settings.HEAP_RECYCLE_COLLECTIONS)).isEqualTo(3);
    assertThat(c.get(Settings.SUPERVISION_POLICY)).isEmpty();
  }

  @Test
  void lifetimes_are_durations_and_the_threshold_a_share_or_a_percentage() {
    ServerConfig c = load("--max-worker-lifetime", "6h", "--max-worker-lifetime-jitter", "30m",
        "--heap-recycle-threshold", "85%", "--heap-recycle-collections", "5",
        "--supervision-policy", "com.example.Policy", "x");

    assertThat(c.get(Settings.MAX_WORKER_LIFETIME)).isEqualTo(Duration.ofHours(6));
    assertThat(c.get(Settings.MAX_WORKER_LIFETIME_JITTER)).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.get(Settings.HEAP_RECYCLE_THRESHOLD)).isEqualTo(0.85);
    assertThat(c.get(Settings.HEAP_RECYCLE_COLLECTIONS)).isEqualTo(5);
    assertThat(c.get(Settings.SUPERVISION_POLICY)).isEqualTo("com.example.Policy");
    assertThat(load("--heap-recycle-threshold", "0.7", "x").get(Settings.HEAP_RECYCLE_THRESHOLD)).isEqualTo(0.7);
  }

  @Test
  void a_threshold_of_the_whole_heap_or_more_is_refused_with_file_and_line() throws IOException {
    Path conf = Files.writeString(dir.resolve("n.conf"), "narwhal {\n  heap-recycle-threshold = 1.2\n}\n");

    assertThatThrownBy(() -> load("-c", conf.toString(), "x")).isInstanceOf(SettingsException.class)
        .hasMessageContaining("n.conf:2").hasMessageContaining("heap-recycle-threshold")
        .hasMessageContaining("a share of the heap");
  }

  @Test
  void zero_heap_recycle_collections_is_refused() {
    assertThatThrownBy(() -> load("--heap-recycle-collections", "0", "x")).isInstanceOf(SettingsException.class);
  }
}
