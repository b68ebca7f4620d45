package dev.narwhal.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidfileTest {
  static final long ME = ProcessHandle.current().pid();

  @TempDir
  Path dir;

  ServerConfig config(Path pidfile) {
    return ConfigLoader.load(List.of("-p", pidfile.toString(), "x"), Map.of(), dir).config();
  }

  @Test
  void is_written_with_this_pid_and_removed_on_exit() throws Exception {
    Path file = dir.resolve("narwhal.pid");
    Pidfile pidfile = Pidfile.write(config(file)).orElseThrow();
    assertThat(Files.readString(file)).isEqualTo(ME + "\n");
    pidfile.remove();
    assertThat(file).doesNotExist();
  }

  @Test
  void a_stale_pidfile_of_a_dead_process_is_replaced() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path file = Files.writeString(dir.resolve("narwhal.pid"), gone.pid() + "\n");
    Pidfile.checkFree(config(file));
    Pidfile.write(config(file));
    assertThat(Files.readString(file)).isEqualTo(ME + "\n");
  }

  @Test
  void a_pidfile_of_a_running_process_stops_start_up_naming_the_pid() throws Exception {
    Process running = new ProcessBuilder("sleep", "30").start();
    try {
      Path file = Files.writeString(dir.resolve("narwhal.pid"), running.pid() + "\n");
      assertThatThrownBy(() -> Pidfile.checkFree(config(file)))
          .isInstanceOf(SettingsException.class)
          .hasMessage("command line: narwhal.pidfile: expected a pidfile no running process holds, got " + file
              + ", which holds pid " + running.pid() + ", still running (another narwhal? stop it, or delete the file "
              + "if that process is not one)");
    } finally {
      running.destroyForcibly();
    }
  }

  @Test
  void removing_leaves_a_pidfile_another_server_has_taken_over() throws Exception {
    Path file = dir.resolve("narwhal.pid");
    Pidfile mine = Pidfile.write(config(file)).orElseThrow();
    Files.writeString(file, "1\n");
    mine.remove();
    assertThat(file).hasContent("1");
  }

  @Test
  void garbage_in_a_pidfile_counts_as_stale() throws Exception {
    Path file = Files.writeString(dir.resolve("narwhal.pid"), "not a pid");
    Pidfile.checkFree(config(file));
  }
}
