package dev.narwhal.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
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
    subcommands = {Ctl.Status.class, Ctl.Workers.class, Ctl.Reload.class, Ctl.Scale.class, Ctl.Stop.class,
        Ctl.Threads.class, Ctl.ReopenLogs.class},
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
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

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
      ctl.http.close();
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

  // ---- subcommands ----

  @Command(name = "status", description = "The server, its pool and its traffic, in a few lines.")
  static final class Status implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Option(names = "--cluster", description = "Every cluster member and every node's workers and totals.")
    boolean cluster;

    @Override
    public Integer call() {
      if (cluster) {
        JsonNode view = ctl.get("/stats?scope=cluster");
        return ctl.json ? ctl.printJson(view) : clusterStatus(ctl.out, view);
      }
      JsonNode stats = ctl.get("/stats?seconds=0");
      if (ctl.json) {
        return ctl.printJson(stats);
      }
      JsonNode server = stats.path("server");
      JsonNode totals = stats.path("totals");
      JsonNode responses = totals.path("responses");
      JsonNode minute = stats.path("traffic").path("last_minute");
      long booted = 0;
      long busy = 0;
      for (JsonNode w : stats.path("workers")) {
        String state = w.path("state").asText();
        booted += state.equals("idle") || state.equals("busy") ? 1 : 0;
        busy += state.equals("busy") ? 1 : 0;
      }
      PrintStream o = ctl.out;
      o.printf("narwhal %s, pid %d: %s, phase %d, up %s%n", server.path("version").asText(),
          server.path("pid").asLong(), server.path("state").asText(), server.path("phase").asInt(),
          age(Instant.parse(server.path("started_at").asText())));
      o.printf("workers:  %d of %d booted, %d busy; backlog %d; %d in flight; utilization %.0f%%%n", booted,
          stats.path("target_workers").asInt(), busy, stats.path("backlog").asInt(), stats.path("in_flight").asInt(),
          100 * stats.path("utilization").asDouble());
      o.printf("requests: %d (2xx %d, 3xx %d, 4xx %d, 5xx %d)%n", totals.path("requests").asLong(),
          responses.path("2xx").asLong(), responses.path("3xx").asLong(), responses.path("4xx").asLong(),
          responses.path("5xx").asLong());
      o.printf("last min: %.1f req/s, p50 %s, p95 %s, p99 %s%n", minute.path("rate").asDouble(),
          ms(minute.path("p50_ms")), ms(minute.path("p95_ms")), ms(minute.path("p99_ms")));
      List<String> restarts = new ArrayList<>();
      stats.path("restarts").fields().forEachRemaining(e -> restarts.add(e.getKey() + " " + e.getValue().asLong()));
      o.printf("workers spawned %d, recycled %d, timed out %d, crashed %d; reloads %d%n", totals.path("spawned").asLong(),
          totals.path("recycled").asLong(), totals.path("timed_out").asLong(), totals.path("crashed").asLong(),
          totals.path("reloads").asLong());
      o.printf("restarts: %s%n", String.join(", ", restarts));
      int stuck = server.path("stuck_threads").asInt();
      if (stuck > 0) {
        int max = server.path("max_stuck_threads").asInt();
        o.printf("stuck threads: %d (max-stuck-threads %s)%s%n", stuck, max == 0 ? "off" : max,
            StuckThreadLimit.exceeded(stuck, max) ? ": not live, restart the server" : "");
      }
      return 0;
    }
  }

  /** {@code status --cluster}: members, then one line per node, then totals. */
  static int clusterStatus(PrintStream o, JsonNode view) {
    JsonNode totals = view.path("totals");
    o.printf("cluster: %d members (%d up), %d nodes answering; seen from %s, leader %s%n",
        totals.path("members").asInt(), totals.path("members_up").asInt(), totals.path("nodes").asInt(),
        view.path("self").asText(), view.path("leader").asText("-"));
    o.printf("%-34s %-8s %-10s %s%n", "MEMBER", "STATUS", "REACHABLE", "ROLES");
    for (JsonNode m : view.path("members")) {
      List<String> roles = new ArrayList<>();
      m.path("roles").forEach(r -> roles.add(r.asText()));
      o.printf("%-34s %-8s %-10s %s%n", m.path("address").asText(), m.path("status").asText(),
          m.path("reachable").asBoolean() ? "yes" : "NO", roles.isEmpty() ? "-" : String.join(",", roles));
    }
    o.printf("%-34s %-9s %5s %-9s %7s %9s %6s %8s%n", "NODE", "STATE", "PHASE", "WORKERS", "BACKLOG", "REQUESTS",
        "5XX", "OVERFLOW");
    for (JsonNode n : view.path("nodes")) {
      long booted = 0;
      long busy = 0;
      for (JsonNode w : n.path("workers")) {
        String state = w.path("state").asText();
        booted += state.equals("idle") || state.equals("busy") ? 1 : 0;
        busy += state.equals("busy") ? 1 : 0;
      }
      JsonNode t = n.path("totals");
      o.printf("%-34s %-9s %5d %-9s %7d %9d %6d %8d%n", n.path("address").asText(), n.path("state").asText(),
          n.path("phase").asInt(), booted + "/" + n.path("target_workers").asInt() + " " + busy + "b",
          n.path("backlog").asInt(), t.path("requests").asLong(), t.path("responses").path("5xx").asLong(),
          t.path("overflowed").asLong());
    }
    for (JsonNode u : view.path("unanswered")) {
      o.printf("no answer from %s%n", u.asText());
    }
    o.printf("totals:   %d workers (target %d); requests %d (2xx %d, 5xx %d); overflowed %d%n",
        totals.path("workers").asLong(), totals.path("target_workers").asLong(), totals.path("requests").asLong(),
        totals.path("responses").path("2xx").asLong(), totals.path("responses").path("5xx").asLong(),
        totals.path("overflowed").asLong());
    return 0;
  }

  @Command(name = "workers", description = "One line per worker: slot, phase, state, requests served, "
      + "what it runs now.")
  static final class Workers implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Override
    public Integer call() {
      JsonNode stats = ctl.get("/stats?seconds=0");
      if (ctl.json) {
        return ctl.printJson(stats.path("workers"));
      }
      PrintStream o = ctl.out;
      o.printf("%-5s %-6s %-9s %9s %-9s %s%n", "SLOT", "PHASE", "STATE", "SERVED", "UP", "CURRENT");
      for (JsonNode w : stats.path("workers")) {
        List<String> current = new ArrayList<>();
        for (JsonNode r : w.path("current")) {
          current.add(r.path("method").asText() + " " + r.path("path").asText() + " (" + r.path("age_ms").asLong()
              + " ms)");
        }
        o.printf("%-5d %-6d %-9s %9d %-9s %s%n", w.path("index").asInt(), w.path("phase").asInt(),
            w.path("state").asText(), w.path("served").asLong(), age(Instant.parse(w.path("started_at").asText())),
            current.isEmpty() ? "-" : String.join(", ", current));
      }
      return 0;
    }
  }

  @Command(name = "reload", description = "Rolling reload, as SIGHUP: re-read the configuration and the "
      + "application, replace the workers one at a time.")
  static final class Reload implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Option(names = "--cluster", description = "Reload every cluster node, one node at a time.")
    boolean cluster;

    @Override
    public Integer call() {
      JsonNode answer = ctl.post(cluster ? "/control/reload?scope=cluster" : "/control/reload");
      if (ctl.json) {
        return ctl.printJson(answer);
      }
      if (cluster) {
        ctl.out.printf("cluster reload %s started: the nodes reload one at a time (narwhal ctl status --cluster)%n",
            answer.path("reload_id").asText());
      } else {
        ctl.out.println("reload started: new workers replace the old ones one at a time (narwhal ctl workers)");
      }
      return 0;
    }
  }

  @Command(name = "scale", description = "Add workers (+N, as SIGTTIN N times) or retire them (-N, as SIGTTOU; "
      + "never below one).")
  static final class Scale implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Parameters(paramLabel = "+N|-N", description = "How many workers to add or retire.")
    String delta;

    @Override
    public Integer call() {
      int n;
      try {
        n = Integer.parseInt(delta.strip());
      } catch (NumberFormatException e) {
        throw new CtlException("scale takes +N or -N, e.g. narwhal ctl scale +2; got '" + delta + "'", 2);
      }
      JsonNode answer = ctl.post("/control/scale?delta=" + n);
      if (ctl.json) {
        return ctl.printJson(answer);
      }
      ctl.out.printf("scaling %s by %d: target %d workers%n", n > 0 ? "up" : "down", Math.abs(n),
          answer.path("target_workers").asInt());
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop the server: gracefully (as SIGTERM), or at once with --quick "
      + "(as SIGINT).")
  static final class Stop implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Option(names = "--quick", description = "Do not wait for accepted requests.")
    boolean quick;

    @Override
    public Integer call() {
      JsonNode answer = ctl.post("/control/stop?mode=" + (quick ? "quick" : "graceful"));
      if (ctl.json) {
        return ctl.printJson(answer);
      }
      ctl.out.println(quick ? "stopping now" : "stopping gracefully (accepted requests are answered, up to "
          + answer.path("graceful_timeout_ms").asLong() / 1000 + " s)");
      return 0;
    }
  }

  @Command(name = "threads", description = "A thread dump of the server; workers first, named "
      + "narwhal-worker-SLOT-phase-PHASE.")
  static final class Threads implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Override
    public Integer call() {
      if (ctl.json) {
        return ctl.printJson(ctl.get("/threads?format=json"));
      }
      ctl.out.print(ctl.send(HttpRequest.newBuilder(ctl.uri("/threads")).GET(), false).body());
      return 0;
    }
  }

  @Command(name = "reopen-logs", description = "Reopen the log files, as SIGUSR1.")
  static final class ReopenLogs implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Override
    public Integer call() {
      JsonNode answer = ctl.post("/control/reopen-logs");
      if (ctl.json) {
        return ctl.printJson(answer);
      }
      ctl.out.println("logs reopened");
      return 0;
    }
  }

  // ---- HTTP ----

  private JsonNode get(String path) {
    return parse(send(HttpRequest.newBuilder(uri(path)).GET(), false));
  }

  private JsonNode post(String path) {
    return parse(send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), true));
  }

  private int printJson(JsonNode node) {
    try {
      out.println(Json.MAPPER.writeValueAsString(node));
    } catch (IOException e) {
      throw new CtlException("cannot print JSON: " + e.getMessage(), 1);
    }
    return 0;
  }

  private HttpResponse<String> send(HttpRequest.Builder request, boolean control) {
    request.timeout(Duration.ofSeconds(timeoutSeconds));
    if (control) {
      request.header("Authorization", "Bearer " + token());
    } else {
      // reads need the token only with admin-read-auth on; send it whenever there is one
      readToken().ifPresent(t -> request.header("Authorization", "Bearer " + t));
    }
    HttpRequest built = request.build();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
      // a thread dump is allowed once a second server-wide: wait our turn once rather than fail
      if (response.statusCode() == 429 && !control) {
        long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
        Thread.sleep(Duration.ofSeconds(Math.max(1, Math.min(wait, timeoutSeconds))));
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      }
    } catch (ConnectException e) {
      throw new CtlException("cannot reach the admin API at " + base() + ": connection refused (is the server "
          + "running, and is this its admin-bind? see --admin-bind)", 1);
    } catch (HttpTimeoutException e) {
      throw new CtlException("the admin API at " + base() + " did not answer within " + timeoutSeconds + " s", 1);
    } catch (IOException e) {
      throw new CtlException("talking to the admin API at " + base() + " failed: " + e, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException("interrupted", 1);
    }
    if (response.statusCode() >= 400) {
      String message = response.body();
      try {
        message = Json.MAPPER.readTree(response.body()).path("error").asText(message);
      } catch (IOException notJson) {
        // keep the body as it is
      }
      String hint = switch (response.statusCode()) {
        case 401 -> " (token from " + tokenSource + ")";
        case 421 -> " (give --url with localhost or an IP address, or add the host to the server's admin-allowed-hosts)";
        default -> "";
      };
      throw new CtlException(built.method() + " " + built.uri().getPath() + ": " + response.statusCode() + " "
          + message.strip() + hint, 1);
    }
    return response;
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new CtlException("the admin API answered something other than JSON: " + e.getMessage(), 1);
    }
  }

  // ---- where, and with which token ----

  private ServerConfig serverConfig;
  private String tokenSource = "nowhere";

  /** The server's settings as the server reads them (defaults, config file, environment), no CLI. */
  private ServerConfig serverConfig() {
    if (serverConfig == null) {
      List<String> args = configFile == null ? List.of() : List.of("-c", configFile);
      try {
        serverConfig = ConfigLoader.load(args, env, workDir).config();
      } catch (SettingsException e) {
        throw new CtlException(e.getMessage(), 2);
      }
    }
    return serverConfig;
  }

  private URI uri(String pathAndQuery) {
    return URI.create(base() + pathAndQuery);
  }

  private String base() {
    if (url != null) {
      return url.replaceAll("/+$", "");
    }
    BindAddress at = adminAddress();
    String host = switch (at.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "::0" -> "::1";
      default -> at.host();
    };
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.port();
  }

  private BindAddress adminAddress() {
    if (adminBind != null) {
      try {
        return BindAddress.parse(adminBind);
      } catch (IllegalArgumentException e) {
        throw new CtlException("--admin-bind: expected HOST:PORT, got '" + adminBind + "' (" + e.getMessage() + ")", 2);
      }
    }
    return serverConfig().get(Settings.ADMIN_BIND).orElseThrow(() -> new CtlException(
        "the admin API is off in this configuration (admin-bind = off); give --admin-bind or --url", 2));
  }

  private String token() {
    try {
      if (tokenFile != null) {
        tokenSource = tokenFile.toString();
        return AdminToken.read(tokenFile).orElseThrow(() -> new CtlException("no token in " + tokenFile, 1));
      }
      String configured = serverConfig().get(Settings.ADMIN_TOKEN);
      if (!configured.isBlank()) {
        tokenSource = "admin-token (NARWHAL_ADMIN_TOKEN or the config file)";
        return configured.strip();
      }
      Optional<Path> chosen = serverConfig().get(Settings.ADMIN_TOKEN_FILE);
      Path file = chosen.orElseGet(() -> AdminToken.defaultFile(adminPort(), env));
      tokenSource = file.toString();
      return AdminToken.read(file).orElseThrow(() -> new CtlException("no control token: " + file + " does not "
          + "exist (the server writes it at start unless admin-token is set); give --token-file, or set "
          + "NARWHAL_ADMIN_TOKEN", 1));
    } catch (IOException e) {
      throw new CtlException("cannot read the control token: " + e.getMessage(), 1);
    }
  }

  /** The token if one can be found, for reads; a read without one still works while admin-read-auth is off. */
  private Optional<String> readToken() {
    try {
      return Optional.of(token());
    } catch (CtlException none) {
      if (none.status == 2) {
        throw none;
      }
      return Optional.empty();
    }
  }

  private int adminPort() {
    if (url != null) {
      int port = URI.create(url).getPort();
      return port < 0 ? (url.startsWith("https") ? 443 : 80) : port;
    }
    return adminAddress().port();
  }

  // ---- formatting ----

  static String age(Instant since) {
    long s = Math.max(0, Duration.between(since, Instant.now()).toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    if (s < 86_400) {
      return s / 3600 + "h" + s % 3600 / 60 + "m";
    }
    return s / 86_400 + "d" + s % 86_400 / 3600 + "h";
  }

  private static String ms(JsonNode value) {
    return value.isNull() || value.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.1f ms", value.asDouble());
  }
}
