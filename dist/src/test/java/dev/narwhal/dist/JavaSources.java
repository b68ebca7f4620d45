package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.tools.ToolProvider;

/** Compiles a test's own application or hooks source against Narwhal's API, as a user's build would. */
final class JavaSources {
  private JavaSources() {}

  /** Compiles {@code source} into {@code classes} with this JVM's class path; fails the test on an error. */
  static void compile(Path source, Path classes) {
    int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
    assertThat(javac).as("javac " + source.getFileName()).isZero();
  }
}
