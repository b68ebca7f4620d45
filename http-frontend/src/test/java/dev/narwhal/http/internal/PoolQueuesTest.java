package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Request;
import dev.narwhal.config.PoolRoute;
import dev.narwhal.config.PoolRoutes;
import dev.narwhal.supervisor.WorkQueue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The front end's choice of queue: pure, no server. */
class PoolQueuesTest {
  final WorkQueue main = new WorkQueue(10);
  final WorkQueue reports = new WorkQueue(10);
  final PoolQueues queues = new PoolQueues(new PoolRoutes(List.of(PoolRoute.parse("reports", "/reports"),
      PoolRoute.parse("reports", "header:X-Heavy=1"))), Map.of("default", main, "reports", reports));

  @Test
  void a_request_goes_to_the_queue_of_the_pool_its_route_names() {
    assertThat(queues.queue(queues.poolFor(Request.builder("GET", "/reports/1").build()))).isSameAs(reports);
    assertThat(queues.queue(queues.poolFor(Request.builder("GET", "/x").header("x-heavy", "1").build())))
        .isSameAs(reports);
    assertThat(queues.queue(queues.poolFor(Request.builder("GET", "/hello").build()))).isSameAs(main);
  }

  @Test
  void with_one_pool_everything_goes_to_its_queue() {
    PoolQueues single = PoolQueues.single(main);
    assertThat(single.poolFor(Request.builder("POST", "/reports").build())).isEqualTo("default");
    assertThat(single.defaultQueue()).isSameAs(main);
  }

  @Test
  void a_route_to_a_pool_without_a_queue_or_no_default_queue_is_refused() {
    assertThatThrownBy(() -> new PoolQueues(new PoolRoutes(List.of(PoolRoute.parse("gone", "/x"))),
        Map.of("default", main))).hasMessageContaining("pool 'gone'");
    assertThatThrownBy(() -> new PoolQueues(PoolRoutes.NONE, Map.of("reports", reports)))
        .hasMessageContaining("no default pool");
  }
}
