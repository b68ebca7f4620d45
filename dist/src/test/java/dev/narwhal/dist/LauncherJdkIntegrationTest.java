package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How bin/narwhal learns which JDK it has: what each launch pays before the server's JVM starts. */
class LauncherJdkIntegrationTest {
  static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  @Test
  void the_launcher_reads_the_jdks_version_from_its_release_file_and_starts_one_jvm_only() throws Exception {
    Path runs = tmp.resolve("runs.txt");
    Path home = JdkCopy.recording(tmp.resolve("jdk"), runs, true);

    // before: a JVM started just to print its version, 40-60 ms of every launch
    List<String> javaRuns = version(home);
    assertThat(javaRuns).singleElement().asString().contains("-jar ");
    if (!Files.readString(home.resolve("release")).contains("LIBC=\"musl\"")) {
      assertThat(javaRuns.getFirst()).contains("-XX:TrimNativeHeapInterval=5000"); // glibc: the JVM can trim
    }
  }

  @Test
  void a_jdk_built_for_musl_runs_without_the_native_heap_trim_it_would_warn_about_at_every_start() throws Exception {
    Path home = JdkCopy.recording(tmp.resolve("jdk"), tmp.resolve("runs.txt"), true);
    String release = Files.readString(home.resolve("release")).replaceAll("(?m)^LIBC=.*\n", "");
    Files.writeString(home.resolve("release"), release + "LIBC=\"musl\"\n");

    // before: "[warning][trimnative] Native heap trim is not supported on this platform"
    assertThat(version(home)).singleElement().asString().contains("-jar ")
        .doesNotContain("TrimNativeHeapInterval");
  }

  @Test
  void a_jdk_without_a_release_file_is_asked_for_its_version() throws Exception {
    Path runs = tmp.resolve("runs.txt");
    Path home = JdkCopy.recording(tmp.resolve("jdk"), runs, false);

    assertThat(version(home)).hasSize(2).first().asString().contains("-XshowSettings:properties -version");
  }

  /**
   * Runs bin/narwhal --version with {@code home} as JAVA_HOME; returns the arguments of each run of
   * its java but Maven's (a build of a stale jar runs Maven with that java too).
   */
  List<String> version(Path home) throws Exception {
    try (NarwhalProcess n = NarwhalProcess.launch(tmp.resolve("out.log"), Map.of("JAVA_HOME", home.toString()),
        "--version")) {
      assertThat(n.exitStatus(EXIT)).isZero();
      assertThat(n.output()).startsWith("narwhal ");
    }
    return Files.readAllLines(tmp.resolve("runs.txt")).stream().filter(run -> !run.contains("plexus.classworlds"))
        .toList();
  }
}
