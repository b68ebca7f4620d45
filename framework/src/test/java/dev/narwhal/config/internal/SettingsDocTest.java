package dev.narwhal.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.Section;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/settings.md is the registry rendered: a stale copy fails the build. */
class SettingsDocTest {
  static final Path DOC = Path.of("..").toAbsolutePath().normalize().resolve("docs/settings.md");

  @Test
  void docs_settings_md_is_up_to_date_with_the_registry() throws IOException {
    String expected = SettingsDoc.render();
    String actual = Files.exists(DOC) ? Files.readString(DOC) : "";
    assertThat(actual.equals(expected))
        .as("docs/settings.md is stale: run %s (it regenerates the file from %s)", SettingsDoc.REGENERATE, SettingsDoc.SOURCE)
        .isTrue();
  }

  @Test
  void lists_every_setting_with_its_key_flags_variable_and_default_in_section_order() {
    String doc = SettingsDoc.render();
    assertThat(doc).startsWith("<!-- Generated from " + SettingsDoc.SOURCE + " — do not edit");
    assertThat(doc).contains("## Sources and precedence");
    int last = doc.indexOf("## Contents");
    for (Section section : Section.values()) {
      if (Settings.ALL.stream().anyMatch(s -> s.section() == section)) {
        int at = doc.indexOf("\n## " + section.title() + "\n");
        assertThat(at).as(section.title()).isGreaterThan(last);
        last = at;
      }
    }
    assertThat(doc).contains("### max-requests\n", "| Config file | `narwhal.max-requests` |",
        "| Command line | `--max-requests INT` |", "| Environment | `NARWHAL_MAX_REQUESTS` |", "| Default | `0` |");
    assertThat(doc).contains("| Command line | `-e KEY=VALUE`, `--env KEY=VALUE` (repeatable) |");
    assertThat(doc).contains("| Default | `\"%(h)s %(l)s %(u)s %(t)s \\\"%(r)s\\\" %(s)s %(b)s \\\"%(f)s\\\" \\\"%(a)s\\\"\"` |");
    assertThat(doc).contains("p &lt;pid&gt;");
  }
}
