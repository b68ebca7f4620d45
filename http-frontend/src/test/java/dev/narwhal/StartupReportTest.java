package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** -Dnarwhal.startup.report=true: one line per phase of the server's start, in order (bench/startup reads them). */
@Isolated // the report is JVM-wide: another class's server starting meanwhile would write into the capture
class StartupReportTest {

  @Test
  void the_report_names_each_phase_of_the_start_in_order_with_its_time_and_classes() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream before = StartupReport.reportTo(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    } finally {
      StartupReport.reportTo(before);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).allMatch(l -> l.matches("narwhal-startup: [a-z-]+ \\d+ ms \\d+ classes at \\d+"));
    assertThat(lines.stream().map(l -> l.split(" ")[1]).filter(p -> !p.equals("kamon")))
        .containsExactly("actor-system", "workers", "metrics", "bind", "admin", "ready");
  }

  @Test
  void the_report_is_off_unless_asked_for() {
    assertThat(Boolean.getBoolean(StartupReport.PROPERTY)).isFalse();
    assertThat(StartupReport.on()).isFalse();
  }
}
