package dev.narwhal.config;

import java.util.List;

/** The {@code --help} text, grouped by section like gunicorn's and wrapped for an 80-column terminal. */
final class HelpText {
  private HelpText() {}

  static String render(String description) {
    StringBuilder out = new StringBuilder("usage: narwhal [OPTIONS] APP\n\n").append(wrap(description, 0, 80)).append("\n");
    out.append("\nGeneral:\n");
    option(out, "-h, --help", "Show this message and exit.");
    option(out, "-v, --version", "Print the version and exit.");
    option(out, "--check-config", "Validate the configuration and exit 0 (valid) or 2 (not).");
    option(out, "--print-config", "Print the effective settings and exit.");
    for (Section section : Section.values()) {
      List<Setting<?>> settings = Settings.ALL.stream().filter(s -> s.section() == section && !s.flags().isEmpty()).toList();
      if (section == Section.CONFIG_FILE) {
        out.append("\n").append(section.title()).append(":\n");
        option(out, "-c, --config FILE", "The HOCON config file (settings under 'narwhal { }'). Default: ./narwhal.conf if present.");
      } else if (!settings.isEmpty()) {
        out.append("\n").append(section.title()).append(":\n");
      } else if (Settings.ALL.stream().anyMatch(s -> s.section() == section)) {
        out.append("\n").append(section.title()).append(":\n");
        option(out, "(config file only)", "narwhal." + Settings.ALL.stream().filter(s -> s.section() == section)
            .findFirst().orElseThrow().key().replaceAll("\\..*", "") + " { ... }: see docs/settings.md.");
      }
      for (Setting<?> s : settings) {
        String names = String.join(", ", s.flags()) + (s.kind() == Setting.CliKind.SWITCH ? "" : " " + s.metavar());
        option(out, names, s.summary());
      }
    }
    out.append("\nEach option is also a config key and an environment variable: docs/settings.md\n");
    return out.toString();
  }

  private static void option(StringBuilder out, String names, String text) {
    int column = 28;
    String head = "  " + names;
    out.append(head);
    if (head.length() > column - 2) { // keep two spaces between the flags and their text
      out.append("\n").append(" ".repeat(column));
    } else {
      out.append(" ".repeat(column - head.length()));
    }
    out.append(wrap(text, column, 80).stripLeading()).append("\n");
  }

  private static String wrap(String text, int indent, int width) {
    StringBuilder out = new StringBuilder(" ".repeat(indent));
    int col = indent;
    for (String word : text.split("\\s+")) {
      if (col > indent && col + 1 + word.length() > width) {
        out.append("\n").append(" ".repeat(indent));
        col = indent;
      } else if (col > indent) {
        out.append(' ');
        col++;
      }
      out.append(word);
      col += word.length();
    }
    return out.toString();
  }
}
