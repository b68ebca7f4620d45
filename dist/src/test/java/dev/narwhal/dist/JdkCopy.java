package dev.narwhal.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
}
