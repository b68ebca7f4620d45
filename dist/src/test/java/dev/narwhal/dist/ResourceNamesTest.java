package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user's shaded jar (maven-shade, Gradle's shadow) keeps one file per name unless its build is
 * told to merge that name, and the builds users copy merge only what every Pekko user knows to
 * merge. So no two modules may ship a resource under the same name, apart from those: the second
 * one would be dropped without a word (the cluster's tuning once was, and clusters then ran without
 * their Split Brain Resolver).
 */
class ResourceNamesTest {
  /** Names every shading set-up for Pekko merges (the starter's pom does). */
  static final Set<String> MERGED = Set.of("reference.conf", "version.conf");

  @Test
  void no_two_modules_ship_a_resource_of_the_same_name_that_shading_would_drop() throws IOException {
    Map<String, List<String>> owners = new TreeMap<>();
    try (Stream<Path> modules = Files.list(BomTest.ROOT)) {
      for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/resources"))).toList()) {
        Path resources = module.resolve("src/main/resources");
        try (Stream<Path> files = Files.walk(resources)) {
          files.filter(Files::isRegularFile)
              .map(f -> resources.relativize(f).toString().replace('\\', '/'))
              .filter(name -> !MERGED.contains(name) && !name.startsWith("META-INF/services/"))
              .forEach(name -> owners.computeIfAbsent(name, n -> new ArrayList<>()).add(module.getFileName().toString()));
        }
      }
    }

    assertThat(owners).as("resources by name, with the modules that ship them").isNotEmpty();
    assertThat(owners.entrySet().stream().filter(e -> e.getValue().size() > 1).toList())
        .as("resources more than one module ships")
        .isEmpty();
  }
}
