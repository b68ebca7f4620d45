package dev.narwhal.cluster;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.supervisor.Stats;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a cluster node reads from, and asks of, the server it runs in (implemented by the server):
 * its report, its pool, a reload, and the front end's overflow hooks.
 */
public interface ClusterHost {
  /**
   * What no client may send: the front end drops every request header starting with this, so
   * that a node's overflow headers on a request always come from a node.
   */
  String NODE_HEADER_PREFIX = "x-narwhal-overflow";

  /** Whether {@code name} is one of the headers only nodes set. */
  static boolean isNodeHeader(String name) {
    return name.regionMatches(true, 0, NODE_HEADER_PREFIX, 0, NODE_HEADER_PREFIX.length());
  }

  /** This node's report, as its own {@code /stats} would show it, under cluster address {@code address}. */
  CompletionStage<NodeReport> report(String address);

  /** The arbiter's snapshot of the pool now. */
  Stats stats();

  /**
   * Reloads as SIGHUP does; returns once the new phase has been asked for, and throws, with a
   * message for the caller, when the configuration or the application is refused.
   */
  void reload() throws Exception;

  /**
   * Units of worker capacity free for other nodes' requests now, by pool ({@code default} and each
   * named pool): none in a pool without a timeout, which cannot promise an answer in time.
   */
  Map<String, Integer> overflowCapacity();

  /**
   * Serves a request another node forwarded (it is never forwarded again), or refuses it unrun:
   * 503 when no worker is free now or when this node's timeout would not answer within
   * {@code wait} (how long the forwarding node waits), a 4xx when it is over this node's limits.
   */
  CompletionStage<Response> serveForwarded(Request request, Duration wait);

  /** From now on, requests the full backlog cannot take go to {@code overflow} when it has a node for them. */
  void overflowTo(Overflow overflow);

  /** Hands a request the full backlog cannot take to another node. */
  @FunctionalInterface
  interface Overflow {
    /**
     * The other node's response, or empty when no node has idle capacity in {@code pool}, the pool
     * the request is routed to (the same routes on every node); {@code timeout} is that pool's, which
     * bounds how long the answer may take.
     */
    Optional<CompletionStage<Response>> forward(Request request, String pool, Duration timeout);
  }
}
