package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/narwhal on JDK 25+: the first launch trains an AOT cache beside the jar, later ones start
 * from it, and nothing of that shows in the server's output.
 */
class AotCacheIntegrationTest {
  static final Path JAR = NarwhalProcess.ROOT.resolve("dist/target/narwhal.jar");
  static final Path CACHE = NarwhalProcess.ROOT.resolve("dist/target/narwhal.aot");
  static final Duration TRAINING_AND_START = Duration.ofMinutes(4);

  @TempDir
  Path dir;

  @Test
  void the_container_image_runs_with_the_jvm_options_bin_narwhal_runs_with() throws Exception {
    // the image trains its cache and starts with deploy/container/jvm-options; a drift between the
    // two files would give the image other GC or JIT behaviour than the measured one
    String script = Files.readString(NarwhalProcess.ROOT.resolve("bin/lib/jdk.sh"));
    java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("(?m)^NARWHAL_JVM_OPTS_DEFAULT=\"([^\"]*)\"")
        .matcher(script);
    assertThat(defaults.find()).as("NARWHAL_JVM_OPTS_DEFAULT in bin/lib/jdk.sh").isTrue();
    assertThat(Files.readString(NarwhalProcess.ROOT.resolve("deploy/container/jvm-options")).strip())
        .isEqualTo(defaults.group(1));
  }

  @Test
  void the_first_launch_trains_a_cache_and_the_server_starts_from_it_silently() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    Files.deleteIfExists(CACHE);

    try (NarwhalProcess n = NarwhalProcess.serve(dir.resolve("narwhal.log"), Map.of("NARWHAL_AOT", "on"),
        "-w", "2", "hello")) {
      // the training run is a whole start, 300 requests and a stop before the real start begins:
      // on a loaded machine that alone can take longer than a normal start's budget
      n.awaitOutput("Listening at: http://127.0.0.1:" + n.port, TRAINING_AND_START);
      assertThat(n.get("/").body()).isEqualTo("Hello, World!");
      assertThat(CACHE).isRegularFile();
      assertThat(Files.getLastModifiedTime(CACHE)).isGreaterThan(Files.getLastModifiedTime(JAR));
      assertThat(n.process.info().arguments().map(java.util.List::of).orElse(java.util.List.of()))
          .anyMatch(a -> a.equals("-XX:AOTCache=" + CACHE));
      assertThat(n.output()).doesNotContain("[aot]").doesNotContain("[cds]").doesNotContain("warning");
      n.terminate();
      assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void a_training_run_killed_while_it_writes_its_cache_leaves_no_files_behind_and_the_server_starts_without_one()
      throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    Files.deleteIfExists(CACHE);

    try (NarwhalProcess n = NarwhalProcess.serve(dir.resolve("narwhal.log"), Map.of("NARWHAL_AOT", "on"),
        "-w", "2", "hello")) {
      ProcessHandle training = awaitServingTrainingRun(n);
      // SIGTERM: as it exits, the JVM writes its training data (about 60 MB) and starts assembling
      // the cache; killed then (a kill -9, the OOM killer, a pkill of every java), it finishes neither
      training.destroy();
      await().atMost(Duration.ofMinutes(1)).until(() -> !leftovers().isEmpty() || !training.isAlive());
      assertThat(leftovers()).as("the training data, seen before the kill").isNotEmpty();
      kill("STOP", Long.toString(training.pid())); // no assembling child forked between the two kills
      training.descendants().forEach(ProcessHandle::destroyForcibly);
      training.destroyForcibly();

      n.awaitOutput("Listening at: http://127.0.0.1:" + n.port, TRAINING_AND_START);
      assertThat(n.get("/").body()).isEqualTo("Hello, World!");
      assertThat(leftovers()).isEmpty();
      n.terminate();
      assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void ctrl_c_during_the_training_ends_the_launcher_and_the_training_with_nothing_left_behind() throws Exception {
    // as from a terminal: a process group of its own, SIGINT not ignored (whatever this JVM inherited);
    // a script's background job ignores SIGINT: left alone, the training served on and kept the lock
    stopDuringTraining(List.of("env", "--default-signal=INT", "setsid"),
        n -> kill("INT", "-" + n.process.pid()), 130); // the whole process group, as Ctrl-C
  }

  @Test
  void a_term_to_the_launcher_alone_during_the_training_ends_the_training_too() throws Exception {
    // the launcher alone died of it before: the training served on and installed its cache later
    stopDuringTraining(List.of(),
        n -> kill("TERM", Long.toString(n.process.pid())), 143); // kill PID, as an operator or a supervisor would
  }

  /** A signal to a first launch, sent by a test once the training serves. */
  interface Signal {
    void send(NarwhalProcess launch) throws Exception;
  }

  /**
   * A first launch (started by {@code wrapper}) gets {@code signal} while it trains its cache: the
   * launcher ends with {@code exitStatus}, and the training with it, leaving no files and no cache.
   */
  void stopDuringTraining(List<String> wrapper, Signal signal, int exitStatus) throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    Files.deleteIfExists(CACHE);

    try (NarwhalProcess n = NarwhalProcess.serveWrapped(dir.resolve("narwhal.log"), Map.of("NARWHAL_AOT", "on"),
        wrapper, "-w", "2", "hello")) {
      ProcessHandle training = awaitServingTrainingRun(n);
      try {
        signal.send(n);

        assertThat(n.exitStatus(Duration.ofSeconds(30))).isEqualTo(exitStatus);
        await().atMost(Duration.ofSeconds(30)).until(() -> !training.isAlive());
        assertThat(leftovers()).isEmpty();
        assertThat(CACHE).doesNotExist();
      } finally {
        // orphaned if this fails (close() finds no descendants of a dead launcher), it would hold
        // the training lock for the tests after it
        training.destroyForcibly();
      }
    }
  }

  @Test
  void a_read_only_install_starts_without_a_cache_and_says_why_in_one_line() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    assumeTrue(ReadOnly.works(), "needs unshare -m and mount (root)");
    Files.deleteIfExists(CACHE);

    try (NarwhalProcess n = NarwhalProcess.serveWrapped(dir.resolve("narwhal.log"), Map.of("NARWHAL_AOT", "on"),
        ReadOnly.wrapper(CACHE.getParent()), "-w", "2", "hello")) {
      n.awaitOutput("Listening at: http://127.0.0.1:" + n.port, TRAINING_AND_START);
      assertThat(n.get("/").body()).isEqualTo("Hello, World!");
      // before: a shell error about the lock file, at every start
      assertThat(n.output()).containsOnlyOnce("narwhal: starting without an AOT cache: " + CACHE.getParent()
          + " is not writable here").doesNotContain("Read-only file system");
      assertThat(CACHE).doesNotExist();
      n.terminate();
      assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void a_jdk_updated_in_place_gets_a_cache_of_its_own_instead_of_being_refused_the_old_one() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    assumeTrue(JdkCopy.canRebuild(), "a build number in java.vm.version and lib/server/libjvm.so");
    Path home = JdkCopy.runnable(dir.resolve("jdk"));
    // AOTMode=on: a JVM that cannot use its cache fails to start, where bin/narwhal's would start
    // without it, silently and about 2 x slower, at every start until the jar changed
    Map<String, String> environment = Map.of("NARWHAL_AOT", "on", "JAVA_HOME", home.toString(),
        "JAVA_OPTS", "-XX:AOTMode=on");
    Files.deleteIfExists(CACHE);
    try {
      serveHello(environment);
      java.nio.file.attribute.FileTime made = Files.getLastModifiedTime(CACHE);

      JdkCopy.rebuild(home); // a package upgrade: same path, another build
      serveHello(environment); // before: "The AOT cache was created by a different version or build of HotSpot"
      assertThat(Files.getLastModifiedTime(CACHE)).isGreaterThan(made);
    } finally {
      // made by a JVM no one else runs: the next launch would only make it again
      Files.deleteIfExists(CACHE);
      Files.deleteIfExists(Path.of(CACHE + ".jdk"));
    }
  }

  @Test
  void a_read_only_install_uses_a_cache_it_cannot_check_and_says_so_in_one_line() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    assumeTrue(ReadOnly.works(), "needs unshare -m and mount (root)");
    serveHello(Map.of("NARWHAL_AOT", "on")); // a cache that fits
    assertThat(CACHE).as("the cache the first launch trained").isRegularFile();
    Files.delete(Path.of(CACHE + ".jdk")); // as one made before the stamps, or copied without its times

    // AOTMode=on: the server starts only if its JVM got the cache and could use it
    try (NarwhalProcess n = NarwhalProcess.serveWrapped(dir.resolve("narwhal.log"), Map.of("NARWHAL_AOT", "on",
        "JAVA_OPTS", "-XX:AOTMode=on"), ReadOnly.wrapper(CACHE.getParent()), "-w", "2", "hello")) {
      n.awaitOutput("Listening at: http://127.0.0.1:" + n.port, TRAINING_AND_START);
      assertThat(n.get("/").body()).isEqualTo("Hello, World!");
      assertThat(n.output()).containsOnlyOnce("narwhal: the AOT cache " + CACHE + " may be for another jar or JDK");
      n.terminate();
      assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }

  /** A launch of hello that answers, then stops with exit 0. */
  void serveHello(Map<String, String> environment) throws Exception {
    try (NarwhalProcess n = NarwhalProcess.serve(dir.resolve("narwhal.log"), environment, "-w", "2", "hello")) {
      n.awaitOutput("Listening at: http://127.0.0.1:" + n.port, TRAINING_AND_START);
      assertThat(n.get("/").body()).isEqualTo("Hello, World!");
      n.terminate();
      assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }

  /** The launcher's training JVM, once it serves its training requests (it has loaded what the cache is to hold). */
  static ProcessHandle awaitServingTrainingRun(NarwhalProcess n) {
    ProcessHandle training = await().atMost(TRAINING_AND_START).until(() -> trainingRun(n), Optional::isPresent).get();
    Path trainingLog = Path.of(CACHE + ".training.log");
    await().atMost(TRAINING_AND_START).until(() -> NarwhalProcess.read(trainingLog).contains("Listening at"));
    return training;
  }

  /** kill -NAME TARGET: a PID, or a process group's with a minus. */
  static void kill(String name, String target) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, "--", target).inheritIO().start();
    assertThat(kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -" + name + " " + target).isTrue();
  }

  /** The launcher's training JVM, once it runs. */
  static Optional<ProcessHandle> trainingRun(NarwhalProcess n) {
    return n.process.toHandle().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("-XX:AOTCacheOutput=")).findFirst();
  }

  /** What a training run writes before the cache is whole: narwhal.aot.tmp.PID and its .config. */
  static List<Path> leftovers() throws java.io.IOException {
    try (Stream<Path> files = Files.list(CACHE.getParent())) {
      return files.filter(f -> f.getFileName().toString().startsWith("narwhal.aot.tmp.")).toList();
    }
  }

  @Test
  void a_launch_whose_options_change_the_object_layout_starts_from_a_cache_made_with_them() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25; this JVM is " + Runtime.version());
    try (var old = Files.newDirectoryStream(CACHE.getParent(), "narwhal-*.aot")) {
      for (Path cache : old) {
        Files.delete(cache);
      }
    }

    // compact headers change the object layout, so the default cache does not fit this JVM;
    // AOTMode=on makes a JVM that cannot use its cache fail to start instead of starting without it
    try (NarwhalProcess n = NarwhalProcess.serve(dir.resolve("narwhal.log"), Map.of("NARWHAL_AOT", "on",
        "JAVA_OPTS", "-XX:+UseCompactObjectHeaders -XX:AOTMode=on"), "-w", "2", "hello")) {
      n.awaitOutput("Listening at: http://127.0.0.1:" + n.port, TRAINING_AND_START);
      assertThat(n.get("/").body()).isEqualTo("Hello, World!");
      java.util.List<String> arguments = n.process.info().arguments().map(java.util.List::of).orElse(java.util.List.of());
      assertThat(arguments).filteredOn(a -> a.startsWith("-XX:AOTCache="))
          .singleElement().asString().matches("-XX:AOTCache=.*/dist/target/narwhal-[0-9]+\\.aot");
      assertThat(n.output()).doesNotContain("[aot]").doesNotContain("Unable to use AOT cache");
      n.terminate();
      assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }
}
