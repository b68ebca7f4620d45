package dev.narwhal.ctl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** INTERNAL API. How {@code narwhal ctl} prints: JSON as the server sent it, indented; ages and latencies short. */
final class CtlPrinter {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CtlPrinter() {}

  static int printJson(PrintStream out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (IOException e) {
      throw new Ctl.CtlException("cannot print JSON: " + e.getMessage(), 1);
    }
    return 0;
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

  static String ms(JsonNode value) {
    return value.isNull() || value.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.1f ms", value.asDouble());
  }
}
