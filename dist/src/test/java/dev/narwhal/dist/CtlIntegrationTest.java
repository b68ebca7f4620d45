package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/narwhal ctl against bin/narwhal: two processes, the token found where the server wrote it. */
class CtlIntegrationTest {
  static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  record Run(int status, String output) {}

  Run ctl(int adminPort, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(NarwhalProcess.ROOT.resolve("bin/narwhal").toString(), "ctl",
        "--admin-bind", "127.0.0.1:" + adminPort));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "ctl", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("NARWHAL_"));
    builder.environment().put("NARWHAL_AOT", "off"); // see NarwhalProcess
    Process p = builder.start();
    assertThat(p.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)).as("ctl %s finished", List.of(args)).isTrue();
    return new Run(p.exitValue(), Files.readString(out));
  }

  @Test
  void ctl_status_and_stop_drive_a_running_server() throws Exception {
    int adminPort = NarwhalProcess.freePort();
    try (NarwhalProcess n = NarwhalProcess.serve(tmp.resolve("out.log"), "--admin-bind", "127.0.0.1:" + adminPort,
        "-w", "3", "hello")) {
      n.awaitReady().awaitOutput("Admin API at: http://127.0.0.1:" + adminPort, EXIT);
      assertThat(n.get("/").statusCode()).isEqualTo(200);

      Run status = ctl(adminPort, "status");
      assertThat(status.status()).as(status.output()).isZero();
      assertThat(status.output()).contains("serving, phase 1", "workers:  3 of 3 booted", "requests: 1 (2xx 1");

      Run stop = ctl(adminPort, "stop");
      assertThat(stop.status()).as(stop.output()).isZero();
      assertThat(n.exitStatus(EXIT)).isZero();
      assertThat(n.output()).contains("Admin API: stop (graceful)", "Shutdown complete (exit 0)");
    }
  }
}
