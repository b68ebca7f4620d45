package dev.narwhal.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * A JDK home of a test's own, made from the one running the tests: links to its files, but for
 * the few a test changes. Nothing of the real JDK is written.
 */
final class JdkCopy {
  static final Path REAL = Path.of(System.getProperty("java.home"));

  private JdkCopy() {}

  /**
   * A home whose {@code bin/java} is a script that notes each run's arguments in {@code runs}, one
   * line per run, then runs the real java; its release file is the real one, or none.
   */
  static Path recording(Path home, Path runs, boolean withRelease) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    Files.createSymbolicLink(home.resolve("bin/javac"), REAL.resolve("bin/javac"));
    Path java = Files.writeString(home.resolve("bin/java"),
        "#!/bin/sh\necho \"$*\" >>'" + runs + "'\nexec '" + REAL.resolve("bin/java") + "' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (withRelease) {
      Files.copy(REAL.resolve("release"), home.resolve("release"));
    }
    return home;
  }

  /**
   * A home that is a JDK of its own to the JVM: its own copies of the java binary and of
   * lib/server/libjvm.so (the JVM finds its home from where these are), links for the rest. No
   * default CDS archive: the real one belongs to the real libjvm.so.
   */
  static Path runnable(Path home) throws IOException {
    link(REAL, home, "bin", "lib");
    link(REAL.resolve("bin"), home.resolve("bin"), "java");
    Files.copy(REAL.resolve("bin/java"), home.resolve("bin/java"));
    link(REAL.resolve("lib"), home.resolve("lib"), "server");
    Files.createDirectories(home.resolve("lib/server"));
    try (Stream<Path> server = Files.list(REAL.resolve("lib/server"))) {
      for (Path f : server.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("libjvm.so") && !name.endsWith(".jsa")) {
          Files.createSymbolicLink(home.resolve("lib/server").resolve(name), f);
        }
      }
    }
    Files.copy(REAL.resolve("lib/server/libjvm.so"), home.resolve("lib/server/libjvm.so"));
    return home;
  }

  /**
   * Makes the runnable home's JVM another build to an AOT cache, as an update of the JDK in place
   * does: its build number in the JVM's identity string is changed (same length, so the library
   * stays whole), which the JVM compares with the one a cache was made by.
   */
  static void rebuild(Path home) throws IOException {
    Path libjvm = home.resolve("lib/server/libjvm.so");
    String version = System.getProperty("java.vm.version"); // 25.0.3+9-LTS
    int at = version.indexOf('+') + 1;
    if (!canRebuild()) {
      throw new IllegalStateException("no build number in java.vm.version " + version);
    }
    char other = version.charAt(at) == '1' ? '2' : '1';
    String changed = version.substring(0, at) + other + version.substring(at + 1);
    // ISO-8859-1: one char per byte, so the binary goes through a String unchanged
    String bytes = Files.readString(libjvm, StandardCharsets.ISO_8859_1);
    if (!bytes.contains(version)) {
      throw new IllegalStateException(version + " not found in " + libjvm);
    }
    Path next = home.resolve("lib/server/libjvm.so.next");
    Files.writeString(next, bytes.replace(version, changed), StandardCharsets.ISO_8859_1);
    Files.move(next, libjvm, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Whether {@link #rebuild} can tell this JVM's build apart: a build number after a '+'. */
  static boolean canRebuild() {
    String version = System.getProperty("java.vm.version");
    int at = version.indexOf('+') + 1;
    return at > 0 && at < version.length() && Character.isDigit(version.charAt(at))
        && Files.isRegularFile(REAL.resolve("lib/server/libjvm.so"));
  }

  /** Links each entry of {@code from} into {@code to}, but those named in {@code except}. */
  private static void link(Path from, Path to, String... except) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> entries = Files.list(from)) {
      for (Path f : entries.toList()) {
        if (!java.util.List.of(except).contains(f.getFileName().toString())) {
          Files.createSymbolicLink(to.resolve(f.getFileName()), f);
        }
      }
    }
  }
}
