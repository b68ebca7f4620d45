package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/narwhal's build on first use, with its own copy of bin/ in an empty tree and a stand-in for
 * Maven on the PATH (the real build would rewrite the modules these tests run from): a signal to
 * the launcher stops the build and leaves no jar, two launches build once, and every module's main
 * sources count.
 */
class LauncherBuildIntegrationTest {
  static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir
  Path root;
  Path jar;
  Path builds;
  /** Every launch and what it started, killed after each test whatever its outcome. */
  final List<ProcessHandle> started = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void copyTheLauncher() throws IOException {
    Files.createDirectories(root.resolve("bin/lib"));
    Files.createDirectories(root.resolve("dist/target"));
    Files.createDirectories(root.resolve("fakebin"));
    copy("bin/narwhal");
    try (Stream<Path> lib = Files.list(NarwhalProcess.ROOT.resolve("bin/lib"))) {
      for (Path script : lib.toList()) {
        copy("bin/lib/" + script.getFileName());
      }
    }
    jar = root.resolve("dist/target/narwhal.jar");
    builds = root.resolve("builds");
    Files.writeString(root.resolve("pom.xml"), """
        <project>
          <modules>
            <module>framework</module>
            <module>servlet</module>
          </modules>
        </project>
        """);
  }

  @AfterEach
  void killWhatWasStarted() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void a_term_to_the_launcher_during_the_build_stops_the_build_and_leaves_no_half_written_jar() throws Exception {
    // a build that has begun writing the jar when the signal comes
    mvn("echo build >> builds; echo half > dist/target/narwhal.jar; exec sleep 300");
    Process launcher = launch();
    await().atMost(LIMIT).until(() -> Files.exists(jar));
    ProcessHandle build = await().atMost(LIMIT)
        .until(() -> launcher.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).findFirst(),
            java.util.Optional::isPresent).get();
    started.add(build);

    AotCacheIntegrationTest.kill("TERM", Long.toString(launcher.pid())); // kill PID: the launcher alone

    assertThat(finish(launcher).status()).isEqualTo(143);
    // a foreground build ran on, orphaned, and wrote its jar under the next launch's build
    await().atMost(LIMIT).until(() -> !build.isAlive());
    assertThat(jar).doesNotExist();
  }

  @Test
  void a_failed_build_prints_its_log_exits_1_and_leaves_no_jar() throws Exception {
    mvn("echo half > dist/target/narwhal.jar; echo '[ERROR] COMPILATION ERROR'; exit 1");
    Ended launch = finish(launch());
    assertThat(launch.status()).isEqualTo(1);
    assertThat(launch.output()).contains("[ERROR] COMPILATION ERROR").contains("narwhal: error: the build failed");
    assertThat(jar).doesNotExist();
  }

  @Test
  void a_failed_build_that_never_wrote_the_jar_leaves_the_older_one() throws Exception {
    mvn("echo '[ERROR] COMPILATION ERROR'; exit 1");
    Files.writeString(jar, "the jar of an earlier build");
    Files.setLastModifiedTime(jar, hoursAgo(1));
    source("servlet/src/main/java/Bridge.java");
    assertThat(finish(launch()).status()).isEqualTo(1);
    assertThat(jar).hasContent("the jar of an earlier build");
  }

  @Test
  void two_launches_at_once_build_once() throws Exception {
    // the jar is no jar: each launch fails to start it, which is not what this counts
    mvn("echo build >> builds; sleep 2; echo done > dist/target/narwhal.jar");
    Process first = launch();
    Process second = launch();
    String output = finish(first).output() + finish(second).output();
    assertThat(Files.readAllLines(builds)).hasSize(1);
    assertThat(output).containsOnlyOnce("narwhal: waiting for another launch's build of narwhal.jar");
  }

  @Test
  void a_newer_main_source_in_any_module_the_pom_lists_rebuilds_the_jar_and_a_newer_test_does_not() throws Exception {
    mvn("echo build >> builds; echo jar > dist/target/narwhal.jar");
    Files.writeString(jar, "jar");
    Files.setLastModifiedTime(root.resolve("pom.xml"), hoursAgo(2));
    Files.setLastModifiedTime(jar, hoursAgo(1));
    source("servlet/src/test/java/BridgeTest.java");
    finish(launch());
    assertThat(builds).as("a test is not in the jar").doesNotExist();

    source("servlet/src/main/java/Bridge.java"); // a module a hand-kept list once left out
    finish(launch());
    assertThat(Files.readAllLines(builds)).hasSize(1);
  }

  @Test
  void a_read_only_install_runs_the_jar_it_has_and_explains_a_missing_one() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ReadOnly.works(), "needs unshare -m and mount (root)");
    mvn("echo build >> builds; exit 1");
    Ended missing = finish(launchReadOnly());
    assertThat(missing.status()).as("2, as a bad configuration: the systemd unit does not restart it").isEqualTo(2);
    assertThat(missing.output()).contains(
        "narwhal: error: no narwhal.jar, and " + root.resolve("dist") + " is not writable here: build it when installing");

    Files.writeString(jar, "the installed jar"); // older than a source, as a copy's file times may make it
    Files.setLastModifiedTime(jar, hoursAgo(1));
    source("servlet/src/main/java/Bridge.java");
    assertThat(finish(launchReadOnly()).output()).contains(
        "is not writable here: running narwhal.jar as it is, though a source is newer");
    assertThat(builds).as("no build tried").doesNotExist();
  }

  /** bin/narwhal with dist/ read-only for this launch alone, as systemd's ProtectSystem=strict makes it. */
  private Process launchReadOnly() throws IOException {
    return launch(ReadOnly.wrapper(root.resolve("dist")).toArray(String[]::new));
  }

  private static java.nio.file.attribute.FileTime hoursAgo(int hours) {
    return java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(hours)));
  }

  private void source(String path) throws IOException {
    Files.createDirectories(root.resolve(path).getParent());
    Files.writeString(root.resolve(path), "class X {}");
  }

  /** How a launch ended: its exit status and all it printed. */
  record Ended(int status, String output) {}

  /**
   * Waits for a launch to end (one that built, or did not, then fails to start a jar that is no
   * jar, ends too).
   */
  private static Ended finish(Process launcher) throws InterruptedException, IOException {
    assertThat(launcher.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Ended(launcher.exitValue(), new String(launcher.getInputStream().readAllBytes()));
  }

  private void mvn(String body) throws IOException {
    Path mvn = root.resolve("fakebin/mvn");
    Files.writeString(mvn, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Process launch(String... wrapper) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(wrapper));
    command.addAll(List.of(root.resolve("bin/narwhal").toString(), "hello"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PATH", root.resolve("fakebin") + ":" + System.getenv("PATH"));
    builder.environment().put("NARWHAL_AOT", "off");
    Process launcher = builder.start();
    started.add(launcher.toHandle());
    return launcher;
  }

  private void copy(String path) throws IOException {
    Path target = root.resolve(path);
    Files.copy(NarwhalProcess.ROOT.resolve(path), target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
