package dev.narwhal.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnLogConfigTest {
  @TempDir
  Path dir;

  final LoggerContext context = new LoggerContext();

  @AfterEach
  void stop() {
    context.stop();
  }

  ServerConfig withLogconfig(String xml) throws Exception {
    Path file = Files.writeString(dir.resolve("logback.xml"), xml);
    return ConfigLoader.load(List.of("--log-config", file.toString(), "x"), Map.of(), dir).config();
  }

  @Test
  void the_logconfig_file_sets_the_levels_and_appenders() throws Exception {
    OwnLogConfig.apply(context, withLogconfig("""
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>ACME %msg%n</pattern></encoder>
          </appender>
          <logger name="com.acme" level="DEBUG"/>
          <root level="WARN"><appender-ref ref="OUT"/></root>
        </configuration>
        """));

    assertThat(context.getLogger("com.acme").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("ROOT").getAppender("OUT")).isNotNull();
  }

  @Test
  void a_logconfig_file_logback_finds_errors_in_is_a_settings_error() throws Exception {
    ServerConfig broken = withLogconfig("""
        <configuration>
          <appender name="X" class="com.example.Nope"/>
          <root level="INFO"><appender-ref ref="X"/></root>
        </configuration>
        """);

    assertThatThrownBy(() -> OwnLogConfig.apply(context, broken))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.logconfig: expected a Logback configuration file Logback reads without errors");
  }

  @Test
  void a_logconfig_file_that_is_not_xml_is_a_settings_error() throws Exception {
    ServerConfig gunicorns = withLogconfig("[loggers]\nkeys=root\n");

    assertThatThrownBy(() -> OwnLogConfig.apply(context, gunicorns))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.logconfig");
  }
}
