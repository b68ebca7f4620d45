package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.config.AccessLogPattern.Atom;
import dev.narwhal.config.AccessLogPattern.Literal;
import org.junit.jupiter.api.Test;

class AccessLogPatternTest {
  @Test
  void splits_gunicorns_default_format_into_atoms_and_literals() {
    AccessLogPattern p = AccessLogPattern.parse("%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"");
    assertThat(p.segments()).startsWith(new Atom("h"), new Literal(" "), new Atom("l"))
        .contains(new Literal(" \""), new Atom("r"), new Literal("\" "))
        .endsWith(new Atom("a"), new Literal("\""));
  }

  @Test
  void braced_atoms_name_a_header_or_variable() {
    Atom atom = (Atom) AccessLogPattern.parse("%({X-Request-Id}i)s").segments().get(0);
    assertThat(atom.braced()).isTrue();
    assertThat(atom.kind()).isEqualTo('i');
    assertThat(atom.variable()).isEqualTo("X-Request-Id");
  }

  @Test
  void a_double_percent_is_a_literal_percent() {
    assertThat(AccessLogPattern.parse("100%% %(s)s").segments()).containsExactly(new Literal("100% "), new Atom("s"));
  }

  @Test
  void unknown_atoms_and_stray_percents_are_refused() {
    assertThatThrownBy(() -> AccessLogPattern.parse("%(x)s")).hasMessageStartingWith("unknown atom %(x)s; known: h l u t");
    assertThatThrownBy(() -> AccessLogPattern.parse("%({X}q)s")).hasMessageStartingWith("unknown atom %({X}q)s");
    assertThatThrownBy(() -> AccessLogPattern.parse("50% off")).hasMessageContaining("'%' at position 2");
  }
}
