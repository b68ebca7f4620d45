package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.http.internal.ProxyHeader.Mode;
import dev.narwhal.testing.ProxyBytes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PROXY protocol header read from bytes: both versions, in any chunks, and everything refused. */
class ProxyHeaderTest {
  private static final String HTTP = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

  private static ByteString ascii(String text) {
    return ByteString.fromString(text, StandardCharsets.ISO_8859_1);
  }

  private static ProxyHeader.Outcome read(Mode mode, ByteString bytes) {
    return new ProxyHeader(mode).feed(bytes);
  }

  private static ProxyHeader.Read readOk(Mode mode, ByteString bytes) {
    ProxyHeader.Outcome outcome = read(mode, bytes);
    assertThat(outcome).isInstanceOf(ProxyHeader.Read.class);
    return (ProxyHeader.Read) outcome;
  }

  private static void assertRefused(Mode mode, ByteString bytes) {
    assertThat(read(mode, bytes)).as(bytes.utf8String()).isInstanceOf(ProxyHeader.Refused.class);
  }

  static ByteString v2(int versionCommand, int familyProtocol, byte[] addresses) {
    return ByteString.fromArray(ProxyBytes.v2(versionCommand, familyProtocol, addresses));
  }

  static byte[] inet(byte[] source, byte[] destination, int sourcePort, int destinationPort, byte[] tlvs) {
    return ProxyBytes.inet(source, destination, sourcePort, destinationPort, tlvs);
  }

  @Test
  void a_v1_tcp4_line_gives_the_client_and_passes_on_what_follows() {
    ProxyHeader.Read read = readOk(Mode.V1, ascii("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8000\r\n" + HTTP));
    assertThat(read.client()).isEqualTo(new InetSocketAddress("203.0.113.9", 51234));
    assertThat(read.rest().utf8String()).isEqualTo(HTTP);
  }

  @Test
  void a_v1_tcp6_line_gives_an_ipv6_client() throws Exception {
    ProxyHeader.Read read = readOk(Mode.AUTO, ascii("PROXY TCP6 2001:db8::7 2001:db8::1 443 8000\r\n"));
    assertThat(read.client()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 443));
    assertThat(read.rest().isEmpty()).isTrue();
  }

  @Test
  void a_v1_unknown_line_keeps_the_peer() {
    ProxyHeader.Read read = readOk(Mode.V1, ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n" + HTTP));
    assertThat(read.client()).isNull();
    assertThat(read.rest().utf8String()).isEqualTo(HTTP);
    assertThat(readOk(Mode.V1, ascii("PROXY UNKNOWN\r\n")).client()).isNull();
  }

  @Test
  void a_header_split_across_chunks_is_read_once_it_is_complete() {
    ByteString whole = ascii("PROXY TCP4 10.1.2.3 10.0.0.1 4000 80\r\n" + HTTP);
    for (int split = 1; split < 40; split++) {
      ProxyHeader header = new ProxyHeader(Mode.AUTO);
      ProxyHeader.Outcome first = header.feed(whole.take(split));
      if (split < 38) {
        assertThat(first).as("split at " + split).isInstanceOf(ProxyHeader.Incomplete.class);
      }
      ProxyHeader.Outcome outcome = first instanceof ProxyHeader.Incomplete ? header.feed(whole.drop(split)) : first;
      assertThat(((ProxyHeader.Read) outcome).client()).isEqualTo(new InetSocketAddress("10.1.2.3", 4000));
    }
    ByteString v2 = v2(0x21, 0x11, inet(new byte[] {10, 9, 8, 7}, new byte[] {10, 0, 0, 1}, 1234, 80, new byte[0]))
        .concat(ascii(HTTP));
    ProxyHeader header = new ProxyHeader(Mode.V2);
    for (int i = 0; i < 27; i++) {
      assertThat(header.feed(v2.slice(i, i + 1))).isInstanceOf(ProxyHeader.Incomplete.class);
    }
    ProxyHeader.Read read = (ProxyHeader.Read) header.feed(v2.drop(27));
    assertThat(read.client()).isEqualTo(new InetSocketAddress("10.9.8.7", 1234));
    assertThat(read.rest().utf8String()).isEqualTo(HTTP);
  }

  @Test
  void a_v2_proxy_header_gives_an_ipv4_or_ipv6_client_and_skips_its_tlvs() throws Exception {
    byte[] tlvs = {0x04, 0x00, 0x03, 'a', 'b', 'c', 0x20, 0x00, 0x01, 0x00}; // a NOOP, an SSL TLV
    ProxyHeader.Read four = readOk(Mode.V2,
        v2(0x21, 0x11, inet(new byte[] {(byte) 203, 0, 113, 9}, new byte[] {127, 0, 0, 1}, 65535, 8000, tlvs))
            .concat(ascii(HTTP)));
    assertThat(four.client()).isEqualTo(new InetSocketAddress("203.0.113.9", 65535));
    assertThat(four.rest().utf8String()).isEqualTo(HTTP);
    byte[] source = InetAddress.getByName("2001:db8::7").getAddress();
    byte[] destination = InetAddress.getByName("::1").getAddress();
    ProxyHeader.Read six = readOk(Mode.AUTO, v2(0x21, 0x21, inet(source, destination, 40000, 443, tlvs)));
    assertThat(six.client()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000));
  }

  @Test
  void a_v2_local_or_unspec_or_unix_header_keeps_the_peer() {
    ProxyHeader.Read local = readOk(Mode.V2, v2(0x20, 0x00, new byte[0]).concat(ascii(HTTP)));
    assertThat(local.client()).isNull();
    assertThat(local.rest().utf8String()).isEqualTo(HTTP);
    byte[] ignored = inet(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8}, 1, 2, new byte[0]);
    assertThat(readOk(Mode.V2, v2(0x20, 0x11, ignored)).client()).as("LOCAL ignores its addresses").isNull();
    assertThat(readOk(Mode.V2, v2(0x21, 0x00, new byte[0])).client()).isNull();
    assertThat(readOk(Mode.V2, v2(0x21, 0x31, new byte[216])).client()).isNull();
  }

  @Test
  void auto_mode_takes_a_connection_without_a_header_as_plain_http() {
    ProxyHeader.Read plain = readOk(Mode.AUTO, ascii(HTTP));
    assertThat(plain.client()).isNull();
    assertThat(plain.rest().utf8String()).isEqualTo(HTTP);
    assertThat(read(Mode.AUTO, ascii("P"))).isInstanceOf(ProxyHeader.Incomplete.class);
    assertThat(readOk(Mode.AUTO, ascii("PRI * HTTP/2.0\r\n")).client()).isNull();
    assertThat(readOk(Mode.AUTO, ascii("POST / HTTP/1.1\r\n")).rest().utf8String()).isEqualTo("POST / HTTP/1.1\r\n");
  }

  @Test
  void a_fixed_version_refuses_no_header_and_the_other_version() {
    assertRefused(Mode.V1, ascii(HTTP));
    assertRefused(Mode.V2, ascii(HTTP));
    assertRefused(Mode.V1, v2(0x21, 0x00, new byte[0]));
    assertRefused(Mode.V2, ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", // LF alone
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", // a field too many
      "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", // a field short
      "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", // two spaces
      "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
      "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n",
      "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n",
      "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",
      "PROXY TCP4 example.com 5.6.7.8 1 2\r\n", // a name, which must never be looked up
      "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", // the wrong family
      "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
      "PROXY TCP6 ::g ::1 1 2\r\n",
      "PROXY TCP4 10.0.0.0/8 5.6.7.8 1 2\r\n",
      "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",
      "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n",
      "PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n",
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 x\r\n",
      "PROXY \r\n"})
  void malformed_v1_lines_are_refused(String line) {
    assertRefused(Mode.AUTO, ascii(line));
    assertRefused(Mode.V1, ascii(line + HTTP));
  }

  @Test
  void a_v1_line_over_107_bytes_is_refused_without_waiting_for_its_end() {
    String longest = "PROXY UNKNOWN " + "x".repeat(ProxyHeader.V1_MAX - 16) + "\r\n";
    assertThat(longest).hasSize(107);
    assertThat(readOk(Mode.V1, ascii(longest)).client()).isNull();
    String over = "PROXY UNKNOWN " + "x".repeat(ProxyHeader.V1_MAX - 15) + "\r\n";
    assertRefused(Mode.V1, ascii(over));
    assertRefused(Mode.V1, ascii("PROXY UNKNOWN " + "x".repeat(200))); // no CRLF yet, already too long
  }

  @Test
  void malformed_v2_headers_are_refused() {
    byte[] four = inet(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8}, 1, 2, new byte[0]);
    assertRefused(Mode.V2, v2(0x11, 0x11, four)); // version 1 in a binary header
    assertRefused(Mode.V2, v2(0x31, 0x11, four)); // version 3
    assertRefused(Mode.V2, v2(0x22, 0x11, four)); // command 2
    assertRefused(Mode.V2, v2(0x21, 0x12, four)); // UDP
    assertRefused(Mode.V2, v2(0x21, 0x41, four)); // family 4
    assertRefused(Mode.V2, v2(0x21, 0x11, new byte[11])); // too short for two IPv4 addresses and ports
    assertRefused(Mode.V2, v2(0x21, 0x21, new byte[35])); // too short for IPv6
    ByteString badSignature = v2(0x21, 0x11, four);
    byte[] bytes = badSignature.toArray();
    bytes[11] = 0x0B;
    assertRefused(Mode.V2, ByteString.fromArray(bytes));
  }

  @Test
  void a_v2_header_is_held_until_its_declared_length_has_arrived() {
    ByteString header = v2(0x21, 0x11, inet(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8}, 1, 2, new byte[100]));
    ProxyHeader reader = new ProxyHeader(Mode.V2);
    assertThat(reader.feed(header.take(header.size() - 1))).isInstanceOf(ProxyHeader.Incomplete.class);
    assertThat(((ProxyHeader.Read) reader.feed(header.drop(header.size() - 1))).client())
        .isEqualTo(new InetSocketAddress("1.2.3.4", 1));
  }
}
