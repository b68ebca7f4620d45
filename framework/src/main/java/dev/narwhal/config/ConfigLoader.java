package dev.narwhal.config;

import com.typesafe.config.Config;
import dev.narwhal.config.internal.BaseConfig;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Turns a command line, the environment and a config file into a {@link ServerConfig}.
 *
 * <p>Precedence, lowest first: {@code reference.conf} (Narwhal's, Pekko's, with Narwhal's tuning of
 * Pekko over it); {@code WEB_CONCURRENCY} (the default for
 * {@code workers}, as in gunicorn); the config file ({@code -c PATH}, HOCON or a {@code gunicorn.conf.py} by its extension, see {@link GunicornConfig}; else {@code narwhal.conf} in
 * the working directory if present); per-setting environment variables ({@code NARWHAL_WORKERS}...);
 * {@code NARWHAL_CMD_ARGS} (parsed like the command line, as gunicorn's {@code GUNICORN_CMD_ARGS});
 * the command line. JVM system properties ({@code -Dnarwhal.workers=3}) override all of them, as
 * in any Typesafe Config application.
 *
 * <p>Every failure is a {@link SettingsException} whose message is ready for the terminal.
 */
public final class ConfigLoader {
  /** What the command line asks for besides serving. */
  public enum Action { RUN, HELP, VERSION, CHECK_CONFIG, PRINT_CONFIG }

  /**
   * The outcome of reading a command line.
   *
   * @param config the validated settings
   * @param app the APP argument, if given
   * @param action what to do
   * @param configFile the config file that was read, if any
   * @param warnings notes for the log (deprecated spellings), printed once logging is up
   */
  public record Invocation(
      ServerConfig config, Optional<String> app, Action action, Optional<Path> configFile,
      List<String> warnings) {}

  public static final String DEFAULT_CONFIG_FILE = "narwhal.conf";
  private static final String CMD_ARGS_VAR = "NARWHAL_CMD_ARGS";

  private ConfigLoader() {}

  /**
   * Starts reading every library's {@code reference.conf} on a thread of its own, so that it
   * overlaps parsing the command line: the merged file is about 300 KB, and reading it was half of
   * the launcher's time before the config was known. The JVM-wide config library caches it per
   * class loader, so {@link #load} then finds it read, or waits for the reading to finish. A
   * reference.conf that cannot be read fails here unseen and again, reported, in {@link #load}.
   */
  public static void preloadDefaults() {
    Thread reading = new Thread(() -> {
      try {
        ConfigFactory.defaultReference();
      } catch (RuntimeException e) {
        // load() reads it again on the caller's thread, which reports the error
      }
    }, "narwhal-config-preload");
    reading.setDaemon(true);
    reading.start();
  }

  /** Reads the whole invocation; {@code workDir} is where a default {@code narwhal.conf} is looked for. */
  public static Invocation load(List<String> args, Map<String, String> env, Path workDir) {
    ParsedArgs cli = ParsedArgs.parse(args, "command line");
    if (cli.action == Action.HELP || cli.action == Action.VERSION) {
      return new Invocation(ServerConfig.defaults(), cli.app, cli.action, Optional.empty(), List.of());
    }
    ParsedArgs cmdArgs = env.containsKey(CMD_ARGS_VAR)
        ? ParsedArgs.parse(tokenize(env.get(CMD_ARGS_VAR)), "environment " + CMD_ARGS_VAR)
        : ParsedArgs.EMPTY;
    List<String> warnings = new ArrayList<>();
    Optional<Path> file = configFile(cli, cmdArgs, workDir);
    Config fileLayer = file.map(f -> readFile(f, env, warnings)).orElse(ConfigFactory.empty());

    Config merged = ConfigFactory.defaultOverrides()
        .withFallback(cli.layer)
        .withFallback(cmdArgs.layer)
        .withFallback(envLayer(env))
        .withFallback(fileLayer)
        .withFallback(webConcurrency(env))
        .withFallback(base());
    try {
      merged = merged.resolve();
    } catch (ConfigException e) {
      throw hoconError(e, "");
    }
    ServerConfig config = ServerConfig.from(absoluteChdir(merged, workDir));
    warnings.addAll(SettingNotes.of(config));
    return new Invocation(config, cli.app, cli.action, file, List.copyOf(warnings));
  }

  /**
   * A relative {@code chdir} is relative to where Narwhal was started ({@code workDir}), not to
   * the JVM's working directory: a daemonized server runs in chdir and reads the same arguments.
   */
  private static Config absoluteChdir(Config merged, Path workDir) {
    String path = Settings.CHDIR.path();
    if (!merged.hasPath(path) || merged.getValue(path).valueType() != ConfigValueType.STRING) {
      return merged; // the reader reports a wrong type
    }
    ConfigValue value = merged.getValue(path);
    String text = ((String) value.unwrapped()).strip();
    if (text.isEmpty() || Path.of(text).isAbsolute()) {
      return merged;
    }
    String absolute = workDir.toAbsolutePath().resolve(text).normalize().toString();
    return merged.withValue(path, ConfigValueFactory.fromAnyRef(absolute).withOrigin(value.origin()));
  }

  /**
   * Everything below the user's layers: Narwhal's tuning of Pekko ({@code narwhal-pekko.conf})
   * over every library's {@code reference.conf}.
   */
  public static Config base() {
    return BaseConfig.load();
  }

  /** Typesafe Config's "FILE: LINE: text" in the loader's one shape, "FILE:LINE: what: text". */
  private static SettingsException hoconError(ConfigException e, String what) {
    String message = e.getMessage();
    if (e.origin() == null) {
      return new SettingsException(what + message);
    }
    String prefix = e.origin().description() + ": ";
    String text = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return new SettingsException(ValueReader.where(e.origin()) + what + text);
  }

  private static Optional<Path> configFile(ParsedArgs cli, ParsedArgs cmdArgs, Path workDir) {
    Optional<String> given = cli.configPath.or(() -> cmdArgs.configPath);
    if (given.isPresent()) {
      Path path = workDir.resolve(given.get());
      if (!Files.isRegularFile(path)) {
        throw new SettingsException(given.get() + ": config file not found (given with -c/--config)");
      }
      return Optional.of(path);
    }
    Path fallback = workDir.resolve(DEFAULT_CONFIG_FILE);
    return Files.isRegularFile(fallback) ? Optional.of(fallback) : Optional.empty();
  }

  /**
   * Settings given in code, over the defaults and under JVM system properties: what
   * {@link ServerConfig#parse}, {@link ServerConfig#load} and {@link ServerConfig#of} build.
   * {@code layer} has been checked against the registry like a config file.
   */
  static ServerConfig embedded(Config layer) {
    Config merged = ConfigFactory.defaultOverrides().withFallback(layer).withFallback(base());
    try {
      merged = merged.resolve();
    } catch (ConfigException e) {
      throw hoconError(e, "");
    }
    return ServerConfig.from(absoluteChdir(merged, Path.of("")));
  }

  /** HOCON text in a config file's shape ({@code narwhal { ... }}), checked like a file. */
  static Config readText(String text, String origin) {
    Config parsed;
    try {
      parsed = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin));
    } catch (ConfigException e) {
      throw hoconError(e, "HOCON syntax error: ");
    }
    return ConfigKeys.checked(parsed, new ArrayList<>());
  }

  /** Parses a HOCON file and checks its {@code narwhal} keys against the registry. */
  static Config readFile(Path file, List<String> warnings) {
    return readFile(file, System.getenv(), warnings);
  }

  /** A HOCON file, or a gunicorn.conf.py (by its extension) whose {@code os.environ} is {@code env}. */
  static Config readFile(Path file, Map<String, String> env, List<String> warnings) {
    if (GunicornConfig.isGunicornFile(file)) {
      GunicornConfig gunicorn = GunicornConfig.read(file, env);
      warnings.addAll(gunicorn.notes());
      return gunicorn.toConfig();
    }
    Config parsed;
    try {
      parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw hoconError(e, "HOCON syntax error: ");
    }
    return ConfigKeys.checked(parsed, warnings);
  }

  private static Config envLayer(Map<String, String> env) {
    Config layer = ConfigFactory.empty();
    for (Setting<?> s : Settings.ALL) {
      String value = env.get(s.envVar());
      if (value != null) {
        layer = layer.withFallback(ConfigFactory.parseMap(Map.of(s.path(), value), "environment " + s.envVar()));
      }
    }
    return layer;
  }

  private static Config webConcurrency(Map<String, String> env) {
    String value = env.get("WEB_CONCURRENCY");
    return value == null
        ? ConfigFactory.empty()
        : ConfigFactory.parseMap(Map.of(Settings.WORKERS.path(), value), "environment WEB_CONCURRENCY");
  }

  /** Splits a command line held in one string, honouring single and double quotes. */
  static List<String> tokenize(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean inToken = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inToken = true;
      } else if (Character.isWhitespace(c)) {
        if (inToken) {
          tokens.add(cur.toString());
          cur.setLength(0);
          inToken = false;
        }
      } else {
        cur.append(c);
        inToken = true;
      }
    }
    if (inToken) {
      tokens.add(cur.toString());
    }
    return tokens;
  }

  /** The picocli model of the command line, built from the registry. */
  static CommandSpec commandSpec() {
    // no label has a ${...}: without interpolation picocli skips a pass over each of ~100 options
    CommandSpec spec = CommandSpec.create().name("narwhal").interpolateVariables(false);
    spec.addOption(OptionSpec.builder("-c", "--config").paramLabel("FILE").type(String.class).build());
    spec.addOption(OptionSpec.builder("-h", "--help").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-v", "--version").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("--check-config").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("--print-config").arity("0").type(boolean.class).build());
    for (Setting<?> s : Settings.ALL) {
      if (s.flags().isEmpty()) {
        continue;
      }
      OptionSpec.Builder option = OptionSpec.builder(s.flags().toArray(String[]::new)).paramLabel(s.metavar());
      switch (s.kind()) {
        case VALUE -> option.type(String.class).arity("1");
        case REPEATABLE -> option.type(List.class).auxiliaryTypes(String.class).arity("1");
        case SWITCH -> option.type(boolean.class).arity("0");
      }
      spec.addOption(option.build());
    }
    spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("APP").type(String.class).build());
    spec.parser().overwrittenOptionsAllowed(true);
    return spec;
  }

  /** One parsed command line (the real one, or {@code NARWHAL_CMD_ARGS}). */
  private record ParsedArgs(Config layer, Optional<String> configPath, Optional<String> app, Action action) {
    static final ParsedArgs EMPTY = new ParsedArgs(ConfigFactory.empty(), Optional.empty(), Optional.empty(), Action.RUN);

    static ParsedArgs parse(List<String> args, String origin) {
      ParseResult result;
      try {
        result = new CommandLine(commandSpec()).parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.UnmatchedArgumentException e) {
        throw new SettingsException(origin + ": " + unmatched(e.getUnmatched()) + " (see narwhal --help)");
      } catch (CommandLine.ParameterException e) {
        throw new SettingsException(origin + ": " + e.getMessage() + " (see narwhal --help)");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (Setting<?> s : Settings.ALL) {
        if (s.flags().isEmpty() || !result.hasMatchedOption(s.flags().get(0))) {
          continue;
        }
        Object value = result.matchedOptionValue(s.flags().get(0), null);
        values.put(s.path(), value instanceof List<?> list ? ConfigValueFactory.fromIterable(list, origin) : String.valueOf(value));
      }
      return new ParsedArgs(
          ConfigFactory.parseMap(values, origin),
          Optional.ofNullable(result.matchedOptionValue("--config", null)),
          Optional.ofNullable(result.matchedPositionalValue(0, null)),
          action(result));
    }

    /**
     * The first word the parser could not place, with the flag it looks like. picocli lists every
     * word after an unknown option too (the APP among them), and suggests nothing.
     */
    private static String unmatched(List<String> words) {
      String first = words.stream().filter(w -> w.startsWith("-")).findFirst().orElse(words.get(0));
      if (!first.startsWith("-")) {
        return "unexpected argument '" + first + "': give one APP, after the options";
      }
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      String hint = ConfigKeys.closestKey(name.replaceFirst("^-+", ""))
          .flatMap(Settings::byKey)
          .filter(s -> !s.flags().isEmpty())
          .map(s -> "; did you mean " + s.flags().get(s.flags().size() - 1) + "?")
          .orElse("");
      return "unknown option '" + name + "'" + hint;
    }

    private static Action action(ParseResult result) {
      if (result.hasMatchedOption("--help")) {
        return Action.HELP;
      }
      if (result.hasMatchedOption("--version")) {
        return Action.VERSION;
      }
      if (result.hasMatchedOption("--check-config")) {
        return Action.CHECK_CONFIG;
      }
      return result.hasMatchedOption("--print-config") ? Action.PRINT_CONFIG : Action.RUN;
    }
  }

  /** The {@code --help} text, grouped by section like gunicorn's and wrapped for an 80-column terminal. */
  public static String usage(String description) {
    return HelpText.render(description);
  }
}
