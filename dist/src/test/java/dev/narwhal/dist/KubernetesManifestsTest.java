package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s parses, and its pieces agree: every probe reaches the admin API the ConfigMap's
 * narwhal.conf binds (on the pod's interfaces, the health paths), the Service reaches its bind,
 * the drain fits in the grace period, the PDB and the Service select the Deployment's pods, and
 * the ConfigMap is mounted where the image's entrypoint reads narwhal.conf.
 */
class KubernetesManifestsTest {
  static final Path K8S = Path.of("..").toAbsolutePath().normalize().resolve("deploy/k8s");

  final Map<String, Object> deployment = one("deployment.yaml", "Deployment");
  final Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
  final Map<String, Object> container = maps(pod, "containers").getFirst();
  final String narwhalConf = (String) map(one("configmap.yaml", "ConfigMap"), "data").get("narwhal.conf");
  final Config narwhal = ConfigFactory.parseString(narwhalConf).getConfig("narwhal");

  @Test
  void the_configmaps_narwhal_conf_passes_narwhals_own_checks() {
    // every setting read and validated as -c FILE reads it: throws SettingsException naming a bad one
    assertThat(ServerConfig.parse(narwhalConf).gracefulTimeout()).isEqualTo(narwhal.getDuration("graceful-timeout"));
  }

  @Test
  void every_probe_asks_the_admin_api_of_the_configmaps_narwhal_conf_for_a_health_path() {
    String adminBind = narwhal.getString("admin-bind");
    int adminPort = Integer.parseInt(adminBind.substring(adminBind.lastIndexOf(':') + 1));
    assertThat(adminBind).as("the kubelet probes the pod's IP, not its loopback").startsWith("0.0.0.0:");

    Map<String, String> paths = Map.of("startupProbe", "/health/ready", "readinessProbe", "/health/ready",
        "livenessProbe", "/health/live");
    paths.forEach((probe, path) -> {
      Map<String, Object> get = map(map(container, probe), "httpGet");
      assertThat(get.get("path")).as(probe + " path").isEqualTo(path);
      assertThat(port(get.get("port"))).as(probe + " port").isEqualTo(adminPort);
      assertThat(get).as(probe + ": the health paths need no token").doesNotContainKey("httpHeaders");
    });
  }

  @Test
  void the_control_endpoints_keep_their_token_from_a_secret() {
    assertThat(narwhal.getBoolean("admin-read-auth")).isTrue();
    assertThat(narwhal.hasPath("admin-token")).as("no token in the ConfigMap").isFalse();
    Map<String, Object> token = maps(container, "env").stream()
        .filter(e -> "NARWHAL_ADMIN_TOKEN".equals(e.get("name"))).findFirst().orElseThrow();
    assertThat(map(token, "valueFrom")).containsKey("secretKeyRef");
  }

  @Test
  void the_service_reaches_the_bind_and_selects_the_deployments_pods_as_the_pdb_does() {
    String bind = narwhal.getString("bind");
    Map<String, Object> service = one("service.yaml", "Service");
    Object target = maps(map(service, "spec"), "ports").getFirst().get("targetPort");
    assertThat(port(target)).isEqualTo(Integer.parseInt(bind.substring(bind.lastIndexOf(':') + 1)));

    Object labels = map(map(map(deployment, "spec"), "template"), "metadata").get("labels");
    assertThat(map(service, "spec").get("selector")).isEqualTo(labels);
    assertThat(map(map(one("pdb.yaml", "PodDisruptionBudget"), "spec"), "selector").get("matchLabels")).isEqualTo(labels);
    assertThat(map(map(deployment, "spec"), "selector").get("matchLabels")).isEqualTo(labels);
  }

  @Test
  void the_grace_period_covers_the_shutdown_delay_and_the_graceful_timeout() {
    Duration graceful = narwhal.getDuration("graceful-timeout");
    Duration delay = narwhal.getDuration("shutdown-delay");
    int grace = (Integer) pod.get("terminationGracePeriodSeconds");

    assertThat(delay).as("readiness turns off before the stop: no preStop sleep needed").isPositive();
    assertThat(container).doesNotContainKey("lifecycle");
    assertThat((long) grace).isGreaterThan(delay.toSeconds() + graceful.toSeconds());
  }

  @Test
  void the_configmap_is_mounted_where_the_entrypoint_reads_narwhal_conf() throws IOException {
    Map<String, Object> mount = maps(container, "volumeMounts").stream()
        .filter(m -> "config".equals(m.get("name"))).findFirst().orElseThrow();
    assertThat(mount.get("mountPath") + "").isEqualTo("/opt/narwhal/conf/narwhal.conf");
    assertThat(mount.get("subPath")).isEqualTo("narwhal.conf");
    assertThat(Files.readString(Podman.CONTAINER.resolve("entrypoint.sh"))).contains("$home/conf/narwhal.conf");
    assertThat(Files.readString(Podman.CONTAINER.resolve("Containerfile"))).contains("--uid 10001", "--gid 10001");
    assertThat(map(pod, "securityContext").get("runAsUser")).isEqualTo(10001);
  }

  /** A container port: a number, or the name of one of the container's ports. */
  private int port(Object port) {
    if (port instanceof Integer number) {
      return number;
    }
    return maps(container, "ports").stream().filter(p -> port.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port));
  }

  /** The one document of {@code kind} in {@code file}. */
  private static Map<String, Object> one(String file, String kind) {
    List<Map<String, Object>> found = new ArrayList<>();
    try {
      for (Object doc : new Yaml().loadAll(Files.readString(K8S.resolve(file)))) {
        Map<String, Object> m = cast(doc);
        if (kind.equals(m.get("kind"))) {
          found.add(m);
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(found).as(kind + " in " + file).hasSize(1);
    return found.getFirst();
  }

  private static Map<String, Object> map(Map<String, Object> m, String key) {
    assertThat(m).as("has " + key).containsKey(key);
    return cast(m.get(key));
  }

  private static List<Map<String, Object>> maps(Map<String, Object> m, String key) {
    assertThat(m).as("has " + key).containsKey(key);
    return ((List<?>) m.get(key)).stream().map(KubernetesManifestsTest::cast).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}
