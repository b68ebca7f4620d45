package dev.narwhal.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.config.BindAddress;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.WorkerInfo;
import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.cluster.NodeReport;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import dev.narwhal.cluster.internal.ReloadCoordinator.ClusterReloaded;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster nodes in one JVM (actor systems on port 0, Narwhal's Pekko tuning): membership and
 * the cluster view, Jackson serialization of every cross-node message, and the reload coordinator
 * singleton, including its move to another node in the middle of a cluster reload. The last test
 * stops the first node, so the order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNodesTest {
  static final Duration LIMIT = Duration.ofSeconds(30);
  static final List<ActorSystem<Void>> nodes = new ArrayList<>();
  static final List<FakeAgent> agents = new ArrayList<>();
  static final List<ActorRef<ReloadCoordinator.Command>> coordinators = new ArrayList<>();

  /** Stands in for a Server: a fixed report, and reloads the test releases by hand. */
  static final class FakeAgent implements NodeAgent {
    final AtomicInteger reloads = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final Map<Integer, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    static final AtomicInteger concurrent = new AtomicInteger();
    static final AtomicInteger maxConcurrent = new AtomicInteger();

    @Override
    public CompletionStage<NodeReport> report(String address) {
      return CompletableFuture.completedFuture(new NodeReport(address, "0.1.0", 1, Instant.now(), "serving",
          List.of("127.0.0.1:8000"), "127.0.0.1:9191", stats(), 3, Map.of("2xx", 3L), 0, 0));
    }

    @Override
    public CompletionStage<Void> reload() {
      int n = reloads.incrementAndGet();
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      running.incrementAndGet();
      CompletableFuture<Void> done = new CompletableFuture<>();
      pending.put(n, done);
      return done.whenComplete((ok, e) -> {
        running.decrementAndGet();
        concurrent.decrementAndGet();
      });
    }

    @Override
    public Map<String, Integer> idleCapacity() {
      return Map.of(WorkerInfo.DEFAULT_POOL, 1);
    }

    @Override
    public CompletionStage<Response> serveForwarded(Request request, Duration wait) {
      return CompletableFuture.completedFuture(Response.ok("served " + request.path()
          + " from " + request.header(Overflow.FROM_HEADER).orElse("?")));
    }

    void release() {
      pending.values().forEach(f -> f.complete(null));
    }
  }

  static Stats stats() {
    return new Stats(2, 1, 0, 2, 0, 0, 0, 0, 0,
        List.of(new Stats.WorkerStatus(1, 1, WorkerState.IDLE, 3, 0, Instant.now(),
            List.of(new Stats.CurrentRequest("GET", "/", 5))),
            new Stats.WorkerStatus(2, 1, WorkerState.BUSY, 0, 1, Instant.now())),
        Map.of(Stats.RestartReason.CRASH, 1L), List.of(new Stats.Restart(Instant.now(), 1, 1, Stats.RestartReason.CRASH)));
  }

  static Config config() {
    return config(0);
  }

  /** A node's configuration bound to {@code port} on loopback (0: any free one), with fast gossip. */
  static Config config(int port) {
    return PekkoClusterConfig.overlay(new BindAddress("127.0.0.1", port), List.of(), List.of("web"))
        .withFallback(ConfigFactory.parseString("""
            pekko.loglevel = INFO
            pekko.cluster.periodic-tasks-initial-delay = 100ms
            pekko.cluster.gossip-interval = 200ms
            pekko.cluster.leader-actions-interval = 200ms
            pekko.cluster.distributed-data.gossip-interval = 200ms
            pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
            """))
        .withFallback(dev.narwhal.config.internal.BaseConfig.load()).resolve();
  }

  @BeforeAll
  static void startThreeNodes() {
    for (int i = 0; i < 3; i++) {
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), PekkoClusterConfig.SYSTEM_NAME, config());
      FakeAgent agent = new FakeAgent();
      system.systemActorOf(ClusterNode.create(agent), "narwhal-node", Props.empty());
      coordinators.add(ClusterSingleton.get(system).init(SingletonActor.of(ReloadCoordinator.create(), ReloadCoordinator.NAME)));
      nodes.add(system);
      agents.add(agent);
    }
    var seed = Cluster.get(nodes.get(0)).selfMember().address();
    nodes.forEach(n -> Cluster.get(n).manager().tell(Join.create(seed)));
  }

  @AfterAll
  static void stopNodes() {
    nodes.forEach(ActorSystem::terminate);
    nodes.forEach(n -> n.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
  }

  @Test
  @Order(1)
  void three_nodes_form_a_cluster_and_every_node_sees_all_members_up_with_their_workers() {
    for (ActorSystem<Void> node : nodes) {
      await().atMost(LIMIT).untilAsserted(() -> {
        ClusterAdmin.Snapshot view = ClusterView.snapshot(node, Duration.ofSeconds(3)).toCompletableFuture().get();
        assertThat(view.members()).hasSize(3).allSatisfy(m -> {
          assertThat(m.status()).isEqualTo("Up");
          assertThat(m.roles()).containsExactly("web");
          assertThat(m.reachable()).isTrue();
        });
        assertThat(view.nodes()).hasSize(3).allSatisfy(r -> assertThat(r.stats().workers()).hasSize(2));
        assertThat(view.nodes().stream().map(NodeReport::address))
            .containsExactlyElementsOf(view.members().stream().map(ClusterAdmin.Member::address).toList());
        assertThat(view.unanswered()).isEmpty();
      });
    }
    assertThat(Cluster.get(nodes.get(1)).selfMember().status()).isEqualTo(MemberStatus.up());
  }

  @Test
  @Order(2)
  void every_cross_node_message_survives_jackson_serialization(@TempDir java.nio.file.Path certs) throws Exception {
    SerializationTestKit kit = new SerializationTestKit(nodes.get(0));
    ActorRef<Object> ref = nodes.get(0).deadLetters();
    List<Object> messages = List.of(
        new ClusterNode.GetReport(ref.narrow()),
        new ClusterNode.ReloadNode("r1", ref.narrow()),
        new ClusterNode.NodeReloaded("pekko://narwhal@127.0.0.1:1", "r1", ""),
        new ReloadCoordinator.RollingReload("r1", ref.narrow()),
        new ClusterReloaded("r1", List.of("a"), List.of("b: no answer")),
        new FakeAgent().report("pekko://narwhal@127.0.0.1:1").toCompletableFuture().join());
    for (Object message : messages) {
      // bound to Jackson CBOR: CborSerializable, or NodeReport (a public record of http-frontend's)
      assertThat(SerializationExtension.get(Adapter.toClassic(nodes.get(0))).findSerializerFor(message)
          .getClass().getSimpleName()).as("the serializer of %s", message.getClass()).isEqualTo("JacksonCborSerializer");
      kit.verifySerialization(message, true);
    }
    // records holding a byte[] compare it by reference: compare what it converts back to instead
    Request request = Request.builder("POST", "/p").query("a=1").header("X-A", "1").body("body")
        .remoteAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000))
        .clientAddress(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 0)).build();
    Overflow.ForwardedRequest forwarded = (Overflow.ForwardedRequest) kit.verifySerialization(
        Overflow.ForwardedRequest.of(request, "node-a", 35_000), false);
    assertThat(forwarded.toRequest().bodyAsString()).isEqualTo("body");
    assertThat(forwarded.toRequest().header("X-A")).contains("1");
    assertThat(forwarded.toRequest().header(Overflow.FROM_HEADER)).contains("node-a");
    assertThat(forwarded.toRequest().clientAddress()).contains(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 0));
    assertThat(forwarded.toRequest().remoteAddress()).contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000));
    assertThat(forwarded.waitMillis()).isEqualTo(35_000);
    assertThat(forwarded.toRequest().clientCertificates()).isEmpty();
    java.security.cert.X509Certificate client = dev.narwhal.testing.TestCerts.clientCertificate(certs);
    Overflow.ForwardedRequest withCertificate = (Overflow.ForwardedRequest) kit.verifySerialization(
        Overflow.ForwardedRequest.of(Request.builder("GET", "/").scheme("https").clientCertificates(List.of(client)).build(),
            "node-a", 35_000), false);
    assertThat(withCertificate.toRequest().clientCertificates()).containsExactly(client);
    Overflow.ForwardedResponse response = (Overflow.ForwardedResponse) kit.verifySerialization(
        Overflow.ForwardedResponse.of(Response.status(201).header("X-B", "2").text("made"), "node-b"), false);
    assertThat(response.toResponse().statusCode()).isEqualTo(201);
    assertThat(response.toResponse().bodyAsString()).isEqualTo("made");
    assertThat(response.toResponse().header(Overflow.SERVED_BY_HEADER)).contains("node-b");
    kit.verifySerialization(new ClusterNode.Forward(forwarded, ref.narrow()), false);
    kit.verifySerialization(new ClusterNode.Load("pekko://narwhal@127.0.0.1:1", 3, ref.narrow(),
        Map.of(WorkerInfo.DEFAULT_POOL, 3, "reports", 1)), true);
  }

  /** ClusterNode.Load as nodes from before per-pool announcements send and read it. */
  record LoadBeforePools(String address, int idle, ActorRef<ClusterNode.Command> node) implements CborSerializable {}

  @Test
  @Order(3)
  void load_announcements_cross_between_nodes_from_before_and_after_per_pool_capacity() throws Exception {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(nodes.get(0)));
    ActorRef<ClusterNode.Command> ref = nodes.get(0).deadLetters().narrow();
    int cbor = serialization.findSerializerFor(new LoadBeforePools("a", 0, ref)).identifier();

    // an older node's announcement, read here: its idle is its default pool's
    byte[] old = serialization.serialize(new LoadBeforePools("pekko://narwhal@127.0.0.1:1", 2, ref)).get();
    ClusterNode.Load read = (ClusterNode.Load) serialization.deserialize(old, cbor, ClusterNode.Load.class.getName()).get();
    assertThat(read.pools()).isNull();
    assertThat(read.idleByPool()).containsExactly(Map.entry(WorkerInfo.DEFAULT_POOL, 2));

    // this node's announcement, read by an older node: the pools are skipped, idle is the default pool's
    byte[] now = serialization.serialize(new ClusterNode.Load("pekko://narwhal@127.0.0.1:2", 3, ref,
        Map.of(WorkerInfo.DEFAULT_POOL, 3, "reports", 1))).get();
    LoadBeforePools readByOld = (LoadBeforePools) serialization.deserialize(now, cbor, LoadBeforePools.class.getName()).get();
    assertThat(readByOld.idle()).isEqualTo(3);
    assertThat(readByOld.node()).isEqualTo(ref);
  }

  @Test
  @Order(4)
  void a_cluster_reload_goes_node_by_node_and_resumes_when_the_coordinator_s_node_leaves() throws Exception {
    ActorSystem<Void> first = nodes.get(0); // the oldest: the singleton coordinator runs there
    ActorSystem<Void> requester = nodes.get(2);
    CompletableFuture<ClusterReloaded> outcome = ClusterReloads.run(requester, coordinators.get(2), "r-failover",
        Duration.ofMinutes(2), Duration.ofSeconds(3)).toCompletableFuture();
    // let reloads finish one by one until a node other than the first is reloading, then stop the first
    await().atMost(LIMIT).until(() -> {
      if (agents.get(1).running.get() > 0 || agents.get(2).running.get() > 0) {
        return true;
      }
      agents.get(0).release();
      return false;
    });
    assertThat(FakeAgent.maxConcurrent.get()).isEqualTo(1);
    first.terminate();
    first.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      agents.get(1).release();
      agents.get(2).release();
      return outcome.isDone();
    });
    ClusterReloaded result = outcome.get();
    String second = Cluster.get(nodes.get(1)).selfMember().address().toString();
    String third = Cluster.get(nodes.get(2)).selfMember().address().toString();
    assertThat(result.reloaded()).contains(second, third);
    assertThat(result.failed()).isEmpty();
    assertThat(agents.get(1).reloads.get()).as("node 2 reloads once, however often it is asked").isEqualTo(1);
    assertThat(agents.get(2).reloads.get()).as("node 3 reloads once").isEqualTo(1);
    assertThat(FakeAgent.maxConcurrent.get()).as("one node at a time").isEqualTo(1);
  }
}
