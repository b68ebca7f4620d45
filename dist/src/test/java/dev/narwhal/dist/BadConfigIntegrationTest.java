package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad config through bin/narwhal: exit status 2 and exactly one line naming the file, the line,
 * the key and what was expected; never a stack trace. (More cases run in-process in MainTest.)
 */
class BadConfigIntegrationTest {
  @TempDir
  Path tmp;

  String runExpectingStatus2(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(NarwhalProcess.LAUNCHER.toString()));
    command.addAll(List.of(args));
    Path out = tmp.resolve("out.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(NarwhalProcess.ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("NARWHAL_AOT", "off"); // see NarwhalProcess
    Process p = builder.start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(out);
    assertThat(p.exitValue()).as(output).isEqualTo(2);
    assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(output.lines()).hasSize(1);
    return output.strip();
  }

  Path conf(String content) throws Exception {
    return Files.writeString(tmp.resolve("narwhal.conf"), content);
  }

  @Test
  void a_typo_in_a_key_names_the_closest_known_key() throws Exception {
    Path conf = conf("narwhal {\n  workers = 2\n  max_requets = 1000\n}\n");
    assertThat(runExpectingStatus2("-c", conf.toString(), "hello")).isEqualTo("narwhal: error: " + conf
        + ":3: narwhal.max_requets: unknown setting; did you mean narwhal.max-requests? (every setting is listed in "
        + "docs/settings.md)");
  }

  @Test
  void a_negative_duration_names_the_expected_form() throws Exception {
    Path conf = conf("narwhal {\n  timeout = -5s\n}\n");
    assertThat(runExpectingStatus2("-c", conf.toString(), "hello")).isEqualTo("narwhal: error: " + conf
        + ":2: narwhal.timeout: expected a duration such as 30, 30s or 500ms (bare numbers are seconds), or 0/off to "
        + "disable, got '-5s'");
  }

  @Test
  void a_missing_config_file_is_named() throws Exception {
    assertThat(runExpectingStatus2("-c", "conf/nope.conf", "hello"))
        .isEqualTo("narwhal: error: conf/nope.conf: config file not found (given with -c/--config)");
  }

  @Test
  void a_pidfile_held_by_a_running_process_stops_start_up() throws Exception {
    Process running = new ProcessBuilder("sleep", "60").start();
    try {
      Path pidfile = Files.writeString(tmp.resolve("narwhal.pid"), running.pid() + "\n");
      Path conf = conf("narwhal {\n  pidfile = \"" + pidfile + "\"\n}\n");
      assertThat(runExpectingStatus2("-c", conf.toString(), "hello")).isEqualTo("narwhal: error: " + conf
          + ":2: narwhal.pidfile: expected a pidfile no running process holds, got " + pidfile + ", which holds pid "
          + running.pid() + ", still running (another narwhal? stop it, or delete the file if that process is not one)");
      assertThat(pidfile).hasContent(Long.toString(running.pid()));
    } finally {
      running.destroyForcibly();
    }
  }
}
