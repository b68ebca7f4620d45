package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The route grammar and the choice of pool: pure, no server. */
class PoolRoutesTest {
  static final Function<String, Optional<String>> NO_HEADERS = name -> Optional.empty();

  static Function<String, Optional<String>> headers(Map<String, String> byLowerName) {
    return name -> Optional.ofNullable(byLowerName.get(name));
  }

  static PoolRoutes routes(String... poolAndRoute) {
    List<PoolRoute> all = new java.util.ArrayList<>();
    for (int i = 0; i < poolAndRoute.length; i += 2) {
      all.add(PoolRoute.parse(poolAndRoute[i], poolAndRoute[i + 1]));
    }
    return new PoolRoutes(all);
  }

  @Test
  void a_prefix_matches_at_segment_boundaries_only() {
    PoolRoute r = PoolRoute.parse("reports", "/reports");
    assertThat(r.matches("GET", "/reports", NO_HEADERS)).isTrue();
    assertThat(r.matches("GET", "/reports/2024/x", NO_HEADERS)).isTrue();
    assertThat(r.matches("GET", "/reportsx", NO_HEADERS)).isFalse();
    assertThat(r.matches("GET", "/report", NO_HEADERS)).isFalse();
    assertThat(r.matches("GET", "/", NO_HEADERS)).isFalse();
  }

  @Test
  void a_trailing_slash_in_the_prefix_is_the_same_prefix_and_root_matches_every_path() {
    assertThat(PoolRoute.parse("p", "/reports/").prefix()).isEqualTo("/reports");
    assertThat(PoolRoute.parse("p", "/").matches("GET", "/anything/at/all", NO_HEADERS)).isTrue();
  }

  @Test
  void a_method_and_a_prefix_must_both_match() {
    PoolRoute r = PoolRoute.parse("exports", "POST /exports");
    assertThat(r.matches("POST", "/exports/1", NO_HEADERS)).isTrue();
    assertThat(r.matches("GET", "/exports/1", NO_HEADERS)).isFalse();
    assertThat(r.matches("POST", "/other", NO_HEADERS)).isFalse();
  }

  @Test
  void a_header_matches_by_name_in_any_case_and_exact_value_or_by_presence() {
    PoolRoute value = PoolRoute.parse("heavy", "header:X-Heavy=1");
    assertThat(value.header()).isEqualTo("x-heavy");
    assertThat(value.matches("GET", "/a", headers(Map.of("x-heavy", "1")))).isTrue();
    assertThat(value.matches("GET", "/a", headers(Map.of("x-heavy", "2")))).isFalse();
    assertThat(value.matches("GET", "/a", NO_HEADERS)).isFalse();
    PoolRoute present = PoolRoute.parse("heavy", "header:X-Heavy");
    assertThat(present.matches("GET", "/a", headers(Map.of("x-heavy", "anything")))).isTrue();
    assertThat(present.matches("GET", "/a", NO_HEADERS)).isFalse();
  }

  @Test
  void three_terms_must_all_match() {
    PoolRoute r = PoolRoute.parse("p", "GET /api header:X-Tenant=big");
    assertThat(r.matches("GET", "/api/x", headers(Map.of("x-tenant", "big")))).isTrue();
    assertThat(r.matches("GET", "/api/x", headers(Map.of("x-tenant", "small")))).isFalse();
    assertThat(r.matches("PUT", "/api/x", headers(Map.of("x-tenant", "big")))).isFalse();
    assertThat(r.text()).isEqualTo("GET /api header:x-tenant=big");
  }

  @Test
  void malformed_routes_are_refused_with_the_reason() {
    assertThatThrownBy(() -> PoolRoute.parse("p", "")).hasMessageContaining("empty");
    assertThatThrownBy(() -> PoolRoute.parse("p", "/a /b")).hasMessageContaining("two path prefixes");
    assertThatThrownBy(() -> PoolRoute.parse("p", "GET POST /a")).hasMessageContaining("two methods");
    assertThatThrownBy(() -> PoolRoute.parse("p", "reports")).hasMessageContaining("neither /prefix");
    assertThatThrownBy(() -> PoolRoute.parse("p", "get /a")).hasMessageContaining("neither /prefix");
    assertThatThrownBy(() -> PoolRoute.parse("p", "header:=1")).hasMessageContaining("not a token");
  }

  @Test
  void unrouted_requests_go_to_the_default_pool() {
    PoolRoutes routes = routes("reports", "/reports");
    assertThat(routes.poolFor("GET", "/hello", NO_HEADERS)).isEqualTo(PoolRoutes.DEFAULT);
    assertThat(PoolRoutes.NONE.poolFor("GET", "/reports", NO_HEADERS)).isEqualTo(PoolRoutes.DEFAULT);
    assertThat(PoolRoutes.NONE.isEmpty()).isTrue();
  }

  @Test
  void the_longest_prefix_wins_whatever_the_declaration_order() {
    PoolRoutes routes = routes("reports", "/reports", "default", "/reports/health", "all", "/");
    assertThat(routes.poolFor("GET", "/reports/x", NO_HEADERS)).isEqualTo("reports");
    assertThat(routes.poolFor("GET", "/reports/health", NO_HEADERS)).isEqualTo("default");
    assertThat(routes.poolFor("GET", "/elsewhere", NO_HEADERS)).isEqualTo("all");
  }

  @Test
  void with_equal_prefixes_the_route_with_more_terms_wins() {
    PoolRoutes routes = routes("reads", "/exports", "writes", "POST /exports", "heavy", "header:X-Heavy=1");
    assertThat(routes.poolFor("POST", "/exports", NO_HEADERS)).isEqualTo("writes");
    assertThat(routes.poolFor("GET", "/exports", NO_HEADERS)).isEqualTo("reads");
    // a prefix is more specific than no prefix: the header route only takes what no prefix claims
    assertThat(routes.poolFor("GET", "/exports", headers(Map.of("x-heavy", "1")))).isEqualTo("reads");
    assertThat(routes.poolFor("GET", "/other", headers(Map.of("x-heavy", "1")))).isEqualTo("heavy");
  }
}
