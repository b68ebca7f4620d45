package dev.narwhal.launcher.internal;

import dev.narwhal.config.GunicornConfig;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.SettingsException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API. {@code narwhal config import gunicorn.conf.py}: prints the equivalent
 * {@code narwhal.conf} (HOCON) on stdout, and on stderr one warning line per setting, hook or
 * function not carried over, so {@code > narwhal.conf} captures only the config.
 *
 * <p>Exit status: 0 imported (warnings or not), 2 a bad command line, a file that cannot be
 * evaluated without Python, or a value Narwhal would refuse (the same checks as {@code -c}).
 */
public final class ConfigImport {
  static final String USAGE = """
      Usage: narwhal config import FILE
      Print the narwhal.conf (HOCON) equivalent to a Gunicorn config file (gunicorn.conf.py), read without
      running Python. What is not carried over (hooks, settings Narwhal lacks) is listed on stderr.
      narwhal -c gunicorn.conf.py APP runs with the same settings directly.
      """;

  private ConfigImport() {}

  /** {@code args} are what follows {@code narwhal config}. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.size() == 1 && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
      out.print(USAGE);
      return 0;
    }
    if (args.size() != 2 || !args.get(0).equals("import")) {
      err.print("narwhal config: error: expected 'import FILE', got '" + String.join(" ", args) + "'\n" + USAGE);
      return 2;
    }
    Path file = Path.of(args.get(1));
    try {
      if (!Files.isRegularFile(file)) {
        throw new SettingsException(file + ": config file not found");
      }
      if (!GunicornConfig.isGunicornFile(file)) {
        throw new SettingsException(file + ": not a gunicorn.conf.py (expected a .py file; a .conf file is "
            + "Narwhal's own format already)");
      }
      GunicornConfig imported = GunicornConfig.read(file, env);
      ServerConfig.parse(imported.toHocon()); // refuse what -c would refuse, before printing anything
      imported.notes().forEach(n -> err.println("warning: " + n));
      out.print(imported.toHocon());
      return 0;
    } catch (SettingsException e) {
      err.println("narwhal config: error: " + e.getMessage());
      return 2;
    }
  }
}
