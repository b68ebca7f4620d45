package dev.narwhal.cluster;

import dev.narwhal.supervisor.Stats;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One node's report for the cluster view: who it is and its pool, as its own {@code /stats} would
 * show them. It crosses nodes (Jackson CBOR; the narwhal-cluster module binds it).
 *
 * @param address the node's cluster address ({@code pekko://narwhal@host:port})
 * @param version Narwhal's version
 * @param pid the node's process id
 * @param startedAt when the node started
 * @param state {@code serving}, {@code booting} or {@code stopping}
 * @param binds the application's addresses, {@code host:port}
 * @param adminBind the admin API's address, or empty when it is off
 * @param stats the arbiter's snapshot of the pool
 * @param requests requests the front end has received
 * @param responses responses by class ({@code 2xx}..{@code 5xx})
 * @param inFlight requests being answered now
 * @param overflowed requests this node handed to another node (cluster.overflow)
 */
public record NodeReport(String address, String version, long pid, Instant startedAt, String state,
    List<String> binds, String adminBind, Stats stats, long requests, Map<String, Long> responses, long inFlight,
    long overflowed) {
  public NodeReport {
    binds = List.copyOf(binds);
    responses = Map.copyOf(responses);
  }
}
