package dev.narwhal.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.cluster.NodeReport;
import dev.narwhal.supervisor.Stats;
import java.util.Map;
import java.util.TreeMap;

/**
 * INTERNAL API. The {@code /stats?scope=cluster} document: every member (address, status, roles,
 * reachable), every node's pool (its workers and totals, as in its own {@code /stats}), and totals
 * over the nodes.
 */
final class ClusterStatsJson {
  private ClusterStatsJson() {}

  static ObjectNode render(ClusterAdmin.Snapshot view) {
    ObjectNode root = Json.object();
    root.put("scope", "cluster");
    root.put("self", view.self());
    view.leader().ifPresentOrElse(l -> root.put("leader", l), () -> root.putNull("leader"));
    ArrayNode members = root.putArray("members");
    for (ClusterAdmin.Member m : view.members()) {
      ObjectNode member = members.addObject().put("address", m.address()).put("id", m.id())
          .put("status", m.status());
      m.roles().forEach(member.putArray("roles")::add);
      member.put("reachable", m.reachable());
    }
    ArrayNode nodes = root.putArray("nodes");
    long workers = 0;
    long targetWorkers = 0;
    long requests = 0;
    long overflowed = 0;
    Map<String, Long> responses = new TreeMap<>();
    for (NodeReport n : view.nodes()) {
      nodes.add(node(n));
      workers += n.stats().workers().size();
      targetWorkers += n.stats().targetWorkers();
      requests += n.requests();
      overflowed += n.overflowed();
      n.responses().forEach((k, v) -> responses.merge(k, v, Long::sum));
    }
    view.unanswered().forEach(root.putArray("unanswered")::add);
    ObjectNode totals = root.putObject("totals");
    totals.put("members", view.members().size());
    totals.put("members_up", view.members().stream().filter(m -> m.status().equals("Up")).count());
    totals.put("nodes", view.nodes().size());
    totals.put("target_workers", targetWorkers);
    totals.put("workers", workers);
    totals.put("requests", requests);
    ObjectNode byClass = totals.putObject("responses");
    responses.forEach(byClass::put);
    totals.put("overflowed", overflowed);
    return root;
  }

  private static ObjectNode node(NodeReport n) {
    Stats stats = n.stats();
    ObjectNode node = Json.object();
    node.put("address", n.address());
    node.put("version", n.version());
    node.put("pid", n.pid());
    node.put("started_at", n.startedAt().toString());
    node.put("state", n.state());
    node.put("phase", stats.phase());
    n.binds().forEach(node.putArray("binds")::add);
    node.put("admin_bind", n.adminBind());
    node.put("target_workers", stats.targetWorkers());
    node.put("backlog", stats.backlog());
    node.put("in_flight", n.inFlight());
    ObjectNode totals = node.putObject("totals");
    totals.put("requests", n.requests());
    ObjectNode responses = totals.putObject("responses");
    new TreeMap<>(n.responses()).forEach(responses::put);
    totals.put("overflowed", n.overflowed());
    StatsJson.putPoolTotals(totals, stats);
    ArrayNode workers = node.putArray("workers");
    for (Stats.WorkerStatus w : stats.workers()) {
      workers.addObject().put("index", w.index()).put("phase", w.phase()).put("state", w.state().label())
          .put("served", w.served()).put("in_flight", w.inFlight()).put("started_at", w.startedAt().toString());
    }
    return node;
  }
}
