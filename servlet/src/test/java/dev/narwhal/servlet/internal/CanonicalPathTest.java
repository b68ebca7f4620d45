package dev.narwhal.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalPathTest {
  private static String canonical(String raw) {
    return CanonicalPath.of(raw).orElse("400");
  }

  @Test
  void an_ordinary_path_is_decoded_and_otherwise_left_alone() {
    assertThat(canonical("/")).isEqualTo("/");
    assertThat(canonical("/shop/cart")).isEqualTo("/shop/cart");
    assertThat(canonical("/shop/caf%C3%A9%20menu/")).isEqualTo("/shop/café menu/");
    assertThat(canonical("")).isEqualTo("/");
  }

  @Test
  void dot_segments_are_resolved_and_empty_segments_dropped() {
    assertThat(canonical("/public/../admin/secret")).isEqualTo("/admin/secret");
    assertThat(canonical("/a/./b//c")).isEqualTo("/a/b/c");
    assertThat(canonical("/a/b/..")).isEqualTo("/a/");
    assertThat(canonical("/a/.")).isEqualTo("/a/");
    assertThat(canonical("//evil")).isEqualTo("/evil");
  }

  @Test
  void path_parameters_are_removed_from_every_segment_dot_segments_included() {
    assertThat(canonical("/shop;jsessionid=abc/cart;v=1")).isEqualTo("/shop/cart");
    // Tomcat's classic: a '..' hidden behind a parameter must still resolve
    assertThat(canonical("/public/..;x=1/admin/secret")).isEqualTo("/admin/secret");
  }

  @Test
  void ambiguous_paths_are_refused() {
    assertThat(canonical("/../etc/passwd")).isEqualTo("400");
    assertThat(canonical("/a/../../b")).isEqualTo("400");
    assertThat(canonical("/files/a%2Fb")).isEqualTo("400");
    assertThat(canonical("/files/a%5cb")).isEqualTo("400");
    assertThat(canonical("/public/%2e%2e/admin")).isEqualTo("400");
    assertThat(canonical("/public/.%2E/admin")).isEqualTo("400");
    assertThat(canonical("/a%00b")).isEqualTo("400");
    assertThat(canonical("/a\\b")).isEqualTo("400");
    assertThat(canonical("shop/cart")).isEqualTo("400");
  }
}
