package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
  static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 41000);
  static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 41000);
  final ForwardedHeaders trustingProxies = ForwardedHeaders.trusting(List.of("127.0.0.1", "10.0.0.0/8"));

  static List<HttpHeader> headers(String... nameValues) {
    List<HttpHeader> headers = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.add(RawHeader.create(nameValues[i], nameValues[i + 1]));
    }
    return headers;
  }

  static String ip(ForwardedHeaders.Resolved r) {
    return r.client().getAddress().getHostAddress();
  }

  @Test
  void a_trusted_proxy_sets_client_and_scheme_with_x_forwarded_headers() {
    ForwardedHeaders.Resolved r = trustingProxies.resolve(PROXY, "http",
        headers("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"));
    assertThat(ip(r)).isEqualTo("203.0.113.9");
    assertThat(r.client().getPort()).isZero();
    assertThat(r.scheme()).isEqualTo("https");
  }

  @Test
  void an_untrusted_peer_changes_nothing() {
    ForwardedHeaders.Resolved r = trustingProxies.resolve(STRANGER, "http",
        headers("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https", "Forwarded", "for=1.2.3.4;proto=https"));
    assertThat(r.client()).isEqualTo(STRANGER);
    assertThat(r.scheme()).isEqualTo("http");
  }

  @Test
  void in_a_chain_the_client_is_the_rightmost_untrusted_address() {
    ForwardedHeaders.Resolved r = trustingProxies.resolve(PROXY, "http",
        headers("X-Forwarded-For", "6.6.6.6, 203.0.113.9", "X-Forwarded-For", "10.1.1.1"));
    assertThat(ip(r)).as("the spoofed 6.6.6.6 the client sent itself is not believed").isEqualTo("203.0.113.9");
    ForwardedHeaders everyone = ForwardedHeaders.trusting(List.of("*"));
    assertThat(ip(everyone.resolve(STRANGER, "http", headers("X-Forwarded-For", "6.6.6.6, 203.0.113.9"))))
        .as("with * every hop is trusted: the leftmost").isEqualTo("6.6.6.6");
  }

  @Test
  void rfc_7239_forwarded_wins_and_reads_quoted_ipv6_with_port_and_proto() {
    ForwardedHeaders.Resolved r = trustingProxies.resolve(PROXY, "http", headers(
        "X-Forwarded-For", "198.51.100.1",
        "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.5, for=10.0.0.9;proto=http"));
    assertThat(r.client()).isEqualTo(new InetSocketAddress("2001:db8:cafe::17", 4711));
    assertThat(r.scheme()).as("the proto of the element the client was found in").isEqualTo("https");
  }

  @Test
  void an_unknown_or_obfuscated_forwarded_client_leaves_the_peer() {
    ForwardedHeaders.Resolved r = trustingProxies.resolve(PROXY, "http", headers("Forwarded", "for=unknown;proto=https"));
    assertThat(r.client()).isEqualTo(PROXY);
    assertThat(r.scheme()).isEqualTo("https");
    assertThat(trustingProxies.resolve(PROXY, "http", headers("X-Forwarded-For", "evil.example.com")).client())
        .as("host names are never looked up").isEqualTo(PROXY);
  }

  @Test
  void gunicorns_other_secure_scheme_headers_mean_https() {
    assertThat(trustingProxies.resolve(PROXY, "http", headers("X-Forwarded-Ssl", "on")).scheme()).isEqualTo("https");
    assertThat(trustingProxies.resolve(PROXY, "http", headers("X-Forwarded-Protocol", "ssl")).scheme()).isEqualTo("https");
    assertThat(trustingProxies.resolve(PROXY, "https", headers("X-Forwarded-Proto", "http")).scheme()).isEqualTo("http");
  }

  @Test
  void networks_match_by_prefix_in_both_families() throws Exception {
    ForwardedHeaders f = ForwardedHeaders.trusting(List.of("192.168.0.0/16", "fd00::/8", "::1"));
    assertThat(f.trusts(InetAddress.getByName("192.168.44.1"))).isTrue();
    assertThat(f.trusts(InetAddress.getByName("192.169.0.1"))).isFalse();
    assertThat(f.trusts(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(f.trusts(InetAddress.getByName("fe80::1"))).isFalse();
    assertThat(f.trusts(InetAddress.getByName("::1"))).isTrue();
    assertThat(f.trusts(InetAddress.getByName("127.0.0.1"))).isFalse();
  }
}
