package dev.narwhal.ctl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code narwhal ctl status --cluster}'s table from a {@code /stats?scope=cluster} document. The
 * document itself is checked against a real three-node cluster in http-frontend's ClusterServerTest.
 */
class CtlPrinterTest {

  @Test
  void the_cluster_status_names_every_member_and_node_and_sums_the_totals() throws Exception {
    JsonNode view = CtlPrinter.JSON.readTree("""
        {"self": "pekko://narwhal@127.0.0.1:2551", "leader": "pekko://narwhal@127.0.0.1:2551",
         "members": [
           {"address": "pekko://narwhal@127.0.0.1:2551", "status": "Up", "reachable": true, "roles": ["dc-default"]},
           {"address": "pekko://narwhal@127.0.0.1:2552", "status": "Up", "reachable": false, "roles": []}],
         "nodes": [
           {"address": "pekko://narwhal@127.0.0.1:2551", "state": "running", "phase": 1, "target_workers": 2,
            "backlog": 0, "workers": [{"state": "idle"}, {"state": "busy"}],
            "totals": {"requests": 10, "responses": {"5xx": 1}, "overflowed": 2}}],
         "unanswered": ["pekko://narwhal@127.0.0.1:2552"],
         "totals": {"members": 2, "members_up": 2, "nodes": 1, "workers": 2, "target_workers": 4,
                    "requests": 10, "responses": {"2xx": 9, "5xx": 1}, "overflowed": 2}}
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status = CtlPrinter.clusterStatus(new PrintStream(out, true, StandardCharsets.UTF_8), view);

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(printed).contains("cluster: 2 members (2 up), 1 nodes answering")
        .contains("leader pekko://narwhal@127.0.0.1:2551")
        .containsPattern("pekko://narwhal@127.0.0.1:2552 +Up +NO +-")
        .contains("2/2 1b")
        .contains("no answer from pekko://narwhal@127.0.0.1:2552")
        .contains("totals:   2 workers (target 4); requests 10 (2xx 9, 5xx 1); overflowed 2");
  }
}
