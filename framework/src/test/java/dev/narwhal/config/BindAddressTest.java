package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BindAddressTest {
  @Test
  void parses_host_and_port() {
    assertThat(BindAddress.parse("127.0.0.1:8080")).isEqualTo(new BindAddress("127.0.0.1", 8080));
  }

  @Test
  void a_host_alone_listens_on_8000_like_gunicorn() {
    assertThat(BindAddress.parse("localhost")).isEqualTo(new BindAddress("localhost", 8000));
  }

  @Test
  void an_empty_host_means_every_interface() {
    assertThat(BindAddress.parse(":9000")).isEqualTo(new BindAddress("0.0.0.0", 9000));
  }

  @Test
  void ipv6_needs_brackets() {
    assertThat(BindAddress.parse("[::1]:9000")).isEqualTo(new BindAddress("::1", 9000));
    assertThatThrownBy(() -> BindAddress.parse("::1:9000")).hasMessageContaining("brackets");
  }

  @Test
  void rejects_bad_ports_and_unix_sockets() {
    assertThatThrownBy(() -> BindAddress.parse("h:http")).hasMessageContaining("port must be a number");
    assertThatThrownBy(() -> BindAddress.parse("h:70000")).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> BindAddress.parse("unix:/tmp/s")).hasMessageContaining("unix sockets");
  }

  @Test
  void prints_back_in_the_form_it_accepts() {
    assertThat(new BindAddress("::1", 80)).hasToString("[::1]:80");
    assertThat(new BindAddress("h", 80)).hasToString("h:80");
  }
}
