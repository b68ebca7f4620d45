package dev.narwhal.ctl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * INTERNAL API. {@code narwhal ctl}: a client of a running server's admin API, the same actions as
 * the signals plus status, workers and thread dumps. Human-readable by default, {@code --json}
 * prints the server's JSON as is, for scripts.
 *
 * <p>Where the server is: {@code --url}, else {@code --admin-bind}, else {@code admin-bind} from
 * the environment ({@code NARWHAL_ADMIN_BIND}) or the config file ({@code -c}, or
 * {@code ./narwhal.conf}), as the server reads them. The token: {@code --token-file}, else
 * {@code admin-token} ({@code NARWHAL_ADMIN_TOKEN}), else the file the server generated
 * ({@code admin-token-file}, or the default place for the admin port).
 *
 * <p>Exit status: 0 done, 1 the server refused or could not be reached, 2 a bad command line.
 */
@Command(name = "narwhal ctl", mixinStandardHelpOptions = true, version = "narwhal ctl",
    description = "Control a running Narwhal server through its admin API.",
    subcommands = {CtlCommands.Status.class, CtlCommands.Workers.class, CtlCommands.Reload.class,
        CtlCommands.Scale.class, CtlCommands.Stop.class, CtlCommands.Threads.class, CtlCommands.ReopenLogs.class},
    footer = {"", "The token comes from --token-file, NARWHAL_ADMIN_TOKEN (admin-token), or the file the server "
        + "wrote at start (named in its log); it is sent with reads too, for servers with admin-read-auth on."})
public final class Ctl {
  @Option(names = "--admin-bind", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
      description = "Where the admin API listens (default: admin-bind from the environment or config file, "
          + "else 127.0.0.1:9191).")
  String adminBind;

  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "The admin API's base URL, e.g. http://10.0.0.5:9191 (instead of --admin-bind).")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Read the control token from FILE.")
  Path tokenFile;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "The server's config file, to find admin-bind and the token (default ./narwhal.conf).")
  String configFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the server's JSON answer as is.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT, defaultValue = "30",
      description = "How long to wait for an answer (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;


  private final Map<String, String> env;
  private final Path workDir;
  final PrintStream out;
  private AdminClient client;

  private Ctl(Map<String, String> env, Path workDir, PrintStream out) {
    this.env = env;
    this.workDir = workDir;
    this.out = out;
  }

  /** Runs {@code narwhal ctl ARGS}; returns the exit status. */
  public static int run(List<String> args, Map<String, String> env, Path workDir, PrintStream out, PrintStream err) {
    Ctl ctl = new Ctl(env, workDir, out);
    CommandLine cli = new CommandLine(ctl);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      err.println("narwhal ctl: " + (e instanceof CtlException ? e.getMessage() : e.toString()));
      return e instanceof CtlException c ? c.status : 1;
    });
    try {
      return cli.execute(args.toArray(String[]::new));
    } finally {
      if (ctl.client != null) {
        ctl.client.close();
      }
    }
  }

  /** A failure with a message for the terminal and an exit status. */
  static final class CtlException extends RuntimeException {
    final int status;

    CtlException(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The admin API as the options name it; built on first use, after picocli has set the options. */
  AdminClient client() {
    if (client == null) {
      client = new AdminClient(url, adminBind, tokenFile, configFile, timeoutSeconds, env, workDir);
    }
    return client;
  }

  JsonNode get(String path) {
    return client().get(path);
  }

  JsonNode post(String path) {
    return client().post(path);
  }

  HttpResponse<String> send(HttpRequest.Builder request, boolean control) {
    return client().send(request, control);
  }

  int printJson(JsonNode node) {
    return CtlPrinter.printJson(out, node);
  }
}
