package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.process.internal.UnixDatagram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/narwhal.service as systemd reads it, and the notify protocol as systemd hears it:
 * the test is systemd's side of NOTIFY_SOCKET, a datagram socket, through a start, a reload and a
 * stop of bin/narwhal.
 */
class SystemdIntegrationTest {
  static final Path UNIT = NarwhalProcess.ROOT.resolve("deploy/systemd/narwhal.service");

  @TempDir
  Path dir;

  @Test
  void systemd_analyze_verify_accepts_the_unit_without_a_warning() throws Exception {
    // verify checks that ExecStart exists: point it at this checkout's launcher
    Path unit = Files.writeString(dir.resolve("narwhal.service"), Files.readString(UNIT)
        .replace("/opt/narwhal/bin/narwhal", NarwhalProcess.LAUNCHER.toString()));
    Process verify = new ProcessBuilder("systemd-analyze", "verify", unit.toString())
        .redirectErrorStream(true).start();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as(output).isZero();
    assertThat(output).as("systemd-analyze's warnings").isBlank();
  }

  @Test
  void the_unit_waits_longer_for_a_stop_than_the_server_s_graceful_timeout() throws Exception {
    String unit = Files.readString(UNIT);
    String conf = Files.readString(NarwhalProcess.ROOT.resolve("conf/narwhal.conf"));

    assertThat(unit).contains("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "KillSignal=SIGTERM",
        "WatchdogSec=", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes");
    int stopSec = Integer.parseInt(unit.replaceAll("(?s).*\\nTimeoutStopSec=(\\d+).*", "$1"));
    int graceful = Integer.parseInt(conf.replaceAll("(?s).*\\n\\s*graceful-timeout = (\\d+)s.*", "$1"));
    assertThat(stopSec).isGreaterThan(graceful);
  }

  @Test
  void start_reload_and_stop_are_announced_in_order_with_a_watchdog_in_between() throws Exception {
    String socket = dir.resolve("notify.sock").toString();
    List<String> heard = new CopyOnWriteArrayList<>();
    AtomicBoolean listening = new AtomicBoolean(true);
    try (UnixDatagram systemd = UnixDatagram.bind(socket, 500)) {
      Thread listener = Thread.ofPlatform().daemon().start(() -> {
        while (listening.get()) {
          String message = systemd.receive();
          if (message != null) {
            heard.add(message);
          }
        }
      });
      try (NarwhalProcess n = NarwhalProcess.serve(dir.resolve("narwhal.log"),
          Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "2000000"), "-w", "2", "hello")) {
        n.awaitReady();
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.stream().anyMatch(m -> m.startsWith("READY=1")));
        String ready = heard.stream().filter(m -> m.startsWith("READY=1")).findFirst().orElseThrow();
        assertThat(ready).contains("MAINPID=" + n.process.pid(), "STATUS=Serving: 2 workers");
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.stream().anyMatch(m -> m.startsWith("WATCHDOG=1")));

        n.signal("HUP");
        await().atMost(Duration.ofSeconds(60)).until(() -> heard.stream().filter(m -> m.startsWith("READY=1")).count() == 2);
        n.terminate();
        assertThat(n.exitStatus(Duration.ofSeconds(60))).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(m -> m.startsWith("STOPPING=1")));
      } finally {
        listening.set(false);
        listener.join(5_000);
      }
    }
    List<String> order = heard.stream().filter(m -> !m.startsWith("WATCHDOG") && !m.startsWith("STATUS"))
        .map(m -> m.lines().findFirst().orElse("")).toList();
    assertThat(order).as("every message: %s", heard).containsExactly("READY=1", "RELOADING=1", "READY=1", "STOPPING=1");
    assertThat(heard.stream().filter(m -> m.startsWith("RELOADING=1")).findFirst().orElseThrow())
        .containsPattern("MONOTONIC_USEC=\\d+");
  }
}
