package dev.narwhal.ctl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** INTERNAL API. The subcommands of {@code narwhal ctl}: each asks the admin API once and prints the answer. */
final class CtlCommands {
  private CtlCommands() {}
  
  @Command(name = "status", description = "The server, its pool and its traffic, in a few lines.")
  static final class Status implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Option(names = "--cluster", description = "Every cluster member and every node's workers and totals.")
    boolean cluster;

    @Override
    public Integer call() {
      if (cluster) {
        JsonNode view = ctl.get("/stats?scope=cluster");
        return ctl.json ? ctl.printJson(view) : CtlPrinter.clusterStatus(ctl.out, view);
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
          CtlPrinter.age(Instant.parse(server.path("started_at").asText())));
      o.printf("workers:  %d of %d booted, %d busy; backlog %d; %d in flight; utilization %.0f%%%n", booted,
          stats.path("target_workers").asInt(), busy, stats.path("backlog").asInt(), stats.path("in_flight").asInt(),
          100 * stats.path("utilization").asDouble());
      o.printf("requests: %d (2xx %d, 3xx %d, 4xx %d, 5xx %d)%n", totals.path("requests").asLong(),
          responses.path("2xx").asLong(), responses.path("3xx").asLong(), responses.path("4xx").asLong(),
          responses.path("5xx").asLong());
      o.printf("last min: %.1f req/s, p50 %s, p95 %s, p99 %s%n", minute.path("rate").asDouble(),
          CtlPrinter.ms(minute.path("p50_ms")), CtlPrinter.ms(minute.path("p95_ms")), CtlPrinter.ms(minute.path("p99_ms")));
      List<String> restarts = new ArrayList<>();
      stats.path("restarts").fields().forEachRemaining(e -> restarts.add(e.getKey() + " " + e.getValue().asLong()));
      o.printf("workers spawned %d, recycled %d, timed out %d, crashed %d; reloads %d%n", totals.path("spawned").asLong(),
          totals.path("recycled").asLong(), totals.path("timed_out").asLong(), totals.path("crashed").asLong(),
          totals.path("reloads").asLong());
      o.printf("restarts: %s%n", String.join(", ", restarts));
      int stuck = server.path("stuck_threads").asInt();
      if (stuck > 0) {
        int max = server.path("max_stuck_threads").asInt();
        // the server's own rule (StuckThreadLimit.exceeded, internal to http-frontend): 0 is no limit
        o.printf("stuck threads: %d (max-stuck-threads %s)%s%n", stuck, max == 0 ? "off" : max,
            max > 0 && stuck > max ? ": not live, restart the server" : "");
      }
      return 0;
    }
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
            w.path("state").asText(), w.path("served").asLong(), CtlPrinter.age(Instant.parse(w.path("started_at").asText())),
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
      + "never below one); --pool NAME for a named pool's (signals only reach the default pool).")
  static final class Scale implements Callable<Integer> {
    @ParentCommand Ctl ctl;

    @Option(names = "--pool", paramLabel = "NAME", description = "The pool to scale (default: the default pool).")
    String pool;

    @Parameters(paramLabel = "+N|-N", description = "How many workers to add or retire.")
    String delta;

    @Override
    public Integer call() {
      int n;
      try {
        n = Integer.parseInt(delta.strip());
      } catch (NumberFormatException e) {
        throw new Ctl.CtlException("scale takes +N or -N, e.g. narwhal ctl scale +2; got '" + delta + "'", 2);
      }
      String query = pool == null ? "" : "&pool=" + java.net.URLEncoder.encode(pool.strip(),
          java.nio.charset.StandardCharsets.UTF_8);
      JsonNode answer = ctl.post("/control/scale?delta=" + n + query);
      if (ctl.json) {
        return ctl.printJson(answer);
      }
      ctl.out.printf("scaling %s%s by %d: target %d workers%n", n > 0 ? "up" : "down",
          pool == null ? "" : " pool " + pool.strip(), Math.abs(n), answer.path("target_workers").asInt());
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
      ctl.out.print(ctl.send(HttpRequest.newBuilder(ctl.client().uri("/threads")).GET(), false).body());
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
}
