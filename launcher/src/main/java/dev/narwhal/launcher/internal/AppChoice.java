package dev.narwhal.launcher.internal;

import dev.narwhal.config.ConfigLoader.Invocation;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Which application to serve when several places may name it, first found wins: the APP
 * argument, the {@code app} setting (config file, {@code NARWHAL_APP}), then the
 * {@value #MANIFEST_ATTRIBUTE} attribute of a jar's manifest — the jar run with {@code java -jar},
 * then each {@code --classpath} jar. The manifest is what makes a user's packaged jar run with no
 * APP argument, as {@code java -jar app.jar -w 4}.
 */
public final class AppChoice {
  public static final String MANIFEST_ATTRIBUTE = "Narwhal-App";

  private AppChoice() {}

  public static Optional<String> of(Invocation invocation) {
    return invocation.app()
        .or(() -> setting(invocation.config()))
        .or(() -> fromManifests(jars(invocation.config())));
  }

  private static Optional<String> setting(ServerConfig config) {
    String app = config.get(Settings.APP).strip();
    return app.isEmpty() ? Optional.empty() : Optional.of(app);
  }

  /** The launched jar (a {@code java -jar} class path is that one jar), then the --classpath jars. */
  static List<Path> jars(ServerConfig config) {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.endsWith(".jar")) {
        jars.add(Path.of(entry));
      }
    }
    jars.addAll(config.classpath());
    return jars;
  }

  static Optional<String> fromManifests(List<Path> jars) {
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        continue; // a directory of classes has no manifest we read
      }
      try (JarFile file = new JarFile(jar.toFile())) {
        Optional<String> app = Optional.ofNullable(file.getManifest())
            .map(m -> m.getMainAttributes().getValue(new Attributes.Name(MANIFEST_ATTRIBUTE)))
            .map(String::strip)
            .filter(s -> !s.isEmpty());
        if (app.isPresent()) {
          return app;
        }
      } catch (IOException unreadable) {
        // not a jar after all: the class loader will say so when it is used
      }
    }
    return Optional.empty();
  }
}
