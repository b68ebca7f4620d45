package dev.narwhal.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.ConfigLoader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the application's name comes from when the command line may not give it. */
class AppChoiceTest {
  @TempDir
  Path dir;

  Path jar(String name, String app) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (app != null) {
      manifest.getMainAttributes().put(new Attributes.Name(AppChoice.MANIFEST_ATTRIBUTE), app);
    }
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.flush();
    }
    return jar;
  }

  ConfigLoader.Invocation load(String... args) {
    return ConfigLoader.load(List.of(args), Map.of(), dir);
  }

  @Test
  void the_app_argument_wins_over_the_setting_and_the_manifest() throws Exception {
    Path jar = jar("app.jar", "com.example.FromManifest");

    assertThat(AppChoice.of(load("--classpath", jar.toString(), "-e", "X=1", "hello"))).hasValue("hello");
  }

  @Test
  void the_setting_names_the_app_when_the_command_line_does_not() throws Exception {
    Files.writeString(dir.resolve("narwhal.conf"), "narwhal { app = com.example.FromConfig }\n");
    Path jar = jar("app.jar", "com.example.FromManifest");

    assertThat(AppChoice.of(load("--classpath", jar.toString()))).hasValue("com.example.FromConfig");
  }

  @Test
  void a_classpath_jar_s_manifest_names_the_app_last() throws Exception {
    Path plain = jar("lib.jar", null);
    Path app = jar("app.jar", " com.example.FromManifest ");

    assertThat(AppChoice.of(load("--classpath", plain + ":" + app))).hasValue("com.example.FromManifest");
  }

  @Test
  void with_nothing_naming_an_app_there_is_none() throws Exception {
    List<Path> jars = new ArrayList<>(List.of(jar("lib.jar", null), dir));

    assertThat(AppChoice.fromManifests(jars)).isEmpty();
    assertThat(AppChoice.of(load("-w", "2"))).isEmpty();
  }
}
