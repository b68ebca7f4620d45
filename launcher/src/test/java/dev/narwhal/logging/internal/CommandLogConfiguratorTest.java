package dev.narwhal.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.narwhal.logging.Loggers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command's first Logback configuration: the error log's lines and levels, set in code, unless the user has their own. */
class CommandLogConfiguratorTest {
  final LoggerContext context = new LoggerContext();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void lines_have_logback_xml_s_shape_at_info_with_the_libraries_quiet_and_no_access_lines() {
    LogSetup.configureDefaults(context, stderr);

    context.getLogger("narwhal").info("Starting narwhal");
    context.getLogger("narwhal").debug("not at info");
    context.getLogger("org.apache.pekko.actor").info("pekko chatter");
    context.getLogger("org.apache.pekko.actor").warn("pekko warning");
    context.getLogger(Loggers.ACCESS).info("GET / 200");

    String out = stderr.toString(StandardCharsets.UTF_8);
    assertThat(out.lines().toList()).hasSize(2);
    assertThat(out).containsPattern("^\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] \\["
        + ProcessHandle.current().pid() + "] \\[INFO] Starting narwhal\\R");
    assertThat(out).contains("[WARN] pekko warning").doesNotContain("not at info", "pekko chatter", "GET / 200");
  }

  @Test
  void without_a_configuration_of_the_user_s_the_configurator_stops_logback_from_looking_for_one() {
    CommandLogConfigurator configurator = new CommandLogConfigurator();
    assertThat(configurator.configure(new LoggerContext(), false))
        .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
  }

  @Test
  void a_logback_xml_of_the_user_s_on_the_class_path_is_left_to_logback() {
    // this module's tests have their logback-test.xml, as a user's build would
    assertThat(OwnLogConfig.forLogback()).isTrue();
    assertThat(new CommandLogConfigurator().configure(new LoggerContext()))
        .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }
}
