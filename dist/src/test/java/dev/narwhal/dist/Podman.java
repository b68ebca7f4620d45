package dev.narwhal.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line, for ContainerIntegrationTest: each call waits and returns its output. */
final class Podman {
  static final Path CONTAINER = NarwhalProcess.ROOT.resolve("deploy/container");

  private Podman() {}

  /** A command's exit status and its output (stdout and stderr together). */
  record Result(int status, String output) {
    Result orFail(String what) {
      if (status != 0) {
        throw new AssertionError(what + " exited " + status + ":\n" + output);
      }
      return this;
    }
  }

  static Result podman(Duration atMost, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    return run(command, atMost);
  }

  static Result run(List<String> command, Duration atMost) throws IOException, InterruptedException {
    Path out = Files.createTempFile("podman", ".out");
    try {
      Process p = new ProcessBuilder(command).directory(NarwhalProcess.ROOT.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + atMost + ":\n"
            + NarwhalProcess.read(out));
      }
      return new Result(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * deploy/container/prepare-podman (idempotent: a second or two once the base images exist),
   * then the image built as a user without a registry builds it. Returns the build's output.
   */
  static String buildImage(String tag) throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError("ContainerIntegrationTest runs rootful podman: run it as root (CI does)");
    }
    run(List.of(CONTAINER.resolve("prepare-podman").toString()), Duration.ofMinutes(10)).orFail("prepare-podman");
    String output = podman(Duration.ofMinutes(10), "build", "-f", CONTAINER.resolve("Containerfile").toString(),
        "--ignorefile", CONTAINER.resolve("Containerfile.dockerignore").toString(), "--format", "docker",
        "--build-arg", "BUILD_IMAGE=localhost/narwhal-jdk:25", "--build-arg", "RUNTIME_IMAGE=localhost/narwhal-base:bookworm",
        "--build-arg", "PREBUILT_JAR=true", "-t", tag, NarwhalProcess.ROOT.toString()).orFail("podman build").output();
    // every build has a new jar, so the previous image and build stage (about 900 MB together)
    // are left untagged: remove them, or each run fills the disk a little more
    podman(Duration.ofMinutes(2), "image", "prune", "-f");
    return output;
  }

  /** The container's output so far. */
  static String logs(String name) throws IOException, InterruptedException {
    return podman(Duration.ofSeconds(30), "logs", name).output();
  }

  static void remove(String name) throws IOException, InterruptedException {
    podman(Duration.ofSeconds(60), "rm", "-f", "-t", "0", name);
  }
}
