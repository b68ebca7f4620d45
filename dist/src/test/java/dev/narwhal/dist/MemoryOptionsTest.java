package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bin/lib/memory.sh's heap for a container, as bin/narwhal and the image's entrypoint run it, in a
 * 512 MiB limit (its limit reader replaced): the heap the user's options ask for stands, whichever
 * variable the JVM reads it from.
 */
class MemoryOptionsTest {

  @Test
  void in_a_512_mib_container_the_heap_is_half_the_limit() throws Exception {
    assertThat(memoryOpts(Map.of())).isEqualTo("-Xmx256m");
  }

  @Test
  void a_heap_sized_in_java_tool_options_is_left_alone() throws Exception {
    // what Kubernetes manifests and buildpacks set; before, the launcher's -Xmx on the command line overrode it
    assertThat(memoryOpts(Map.of("JAVA_TOOL_OPTIONS", "-Xmx300m"))).isEmpty();
    assertThat(memoryOpts(Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75"))).isEmpty();
  }

  @Test
  void a_heap_sized_in_jdk_java_options_or_java_opts_is_left_alone() throws Exception {
    assertThat(memoryOpts(Map.of("JDK_JAVA_OPTIONS", "-Xmx300m"))).isEmpty();
    assertThat(memoryOpts(Map.of("JAVA_OPTS", "-XX:MaxHeapSize=300m"))).isEmpty();
  }

  @Test
  void of_two_heap_sizes_the_one_the_jvm_takes_counts() throws Exception {
    // the command line (JAVA_OPTS) over JDK_JAVA_OPTIONS over JAVA_TOOL_OPTIONS, as for the JVM
    assertThat(run("narwhal_user_heap_mb", Map.of("JAVA_TOOL_OPTIONS", "-Xmx2g", "JDK_JAVA_OPTIONS", "-Xmx64g",
        "JAVA_OPTS", "-Xmx1g"))).isEqualTo("1024");
    assertThat(run("narwhal_user_heap_mb", Map.of("JAVA_TOOL_OPTIONS", "-Xmx2g", "JDK_JAVA_OPTIONS", "-Xmx64g")))
        .isEqualTo("65536");
  }

  static String memoryOpts(Map<String, String> environment) throws Exception {
    return run("narwhal_limit_mb() { echo 512; }; narwhal_memory_opts", environment);
  }

  /** Runs {@code script} under sh after sourcing memory.sh, with only {@code environment} of the JVM's variables. */
  static String run(String script, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", ". bin/lib/memory.sh; " + script)
        .directory(NarwhalProcess.ROOT.toFile()).redirectErrorStream(true);
    for (String name : new String[] {"JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "NARWHAL_MAX_MEMORY",
        "NARWHAL_MEMORY"}) {
      builder.environment().remove(name);
    }
    builder.environment().putAll(environment);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
