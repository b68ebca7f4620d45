package dev.narwhal.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminTokenTest {
  @Test
  void only_bearer_with_the_exact_token_matches() {
    assertThat(AdminToken.matches("abc", Optional.of("Bearer abc"))).isTrue();
    assertThat(AdminToken.matches("abc", Optional.of("bearer abc"))).isTrue();
    assertThat(AdminToken.matches("abc", Optional.of("Bearer abcd"))).isFalse();
    assertThat(AdminToken.matches("abc", Optional.of("Basic abc"))).isFalse();
    assertThat(AdminToken.matches("abc", Optional.of("abc"))).isFalse();
    assertThat(AdminToken.matches("abc", Optional.empty())).isFalse();
  }

  @Test
  void generated_tokens_are_long_and_different() {
    assertThat(AdminToken.generate()).hasSize(43).isNotEqualTo(AdminToken.generate());
  }
}
