package dev.narwhal.http.internal;

import dev.narwhal.config.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. Reads the PROXY protocol header (haproxy's proxy-protocol.txt, versions 1 and 2)
 * at the start of one connection, from bytes as they arrive in any chunks: pure logic, no I/O.
 *
 * <p>What it refuses, the connection must not survive: a v1 line longer than 107 bytes or not ended
 * by CRLF, an address that is not a literal of the family named, a port outside 0-65535, a v2 header
 * of another version or command, or too short for its address family, a v2 header that is not
 * TCP, or (in {@code v1} and {@code v2} modes) no header at all. A v2 header is held back up to its
 * declared length (at most 64 KiB), a v1 line up to 107 bytes, so a peer cannot make it buffer more.
 * TLVs are skipped.
 */
final class ProxyHeader {
  /** Which headers a bind takes: exactly one version, or either (or none: plain HTTP from the proxy). */
  enum Mode {
    V1, V2, AUTO;

    /** From proxy-protocol's value: v1, v2 or auto (off has no mode: the binds read no header). */
    static Mode of(String setting) {
      return valueOf(setting.toUpperCase(Locale.ROOT));
    }
  }

  /** What the bytes so far say. */
  sealed interface Outcome {}

  /** Not enough bytes yet to tell. */
  record Incomplete() implements Outcome {}

  /**
   * A header read in full (or, in auto mode, none there): {@code client} is the address it gives,
   * null to keep the connection's peer (LOCAL, UNKNOWN, not TCP over IP, or no header);
   * {@code rest} is what followed it, the start of the HTTP (or TLS) stream.
   */
  record Read(InetSocketAddress client, ByteString rest) implements Outcome {}

  /** Bytes that are no acceptable header: the connection must be closed. */
  record Refused(String reason) implements Outcome {}

  static final int V1_MAX = 107;
  private static final ByteString V1_START = ByteString.fromString("PROXY ", StandardCharsets.US_ASCII);
  private static final ByteString V2_SIGNATURE = ByteString.fromArray(
      new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
  private static final int V2_FIXED = 16;
  private static final Incomplete INCOMPLETE = new Incomplete();

  private final Mode mode;
  private ByteString buffer = ByteString.emptyByteString();

  ProxyHeader(Mode mode) {
    this.mode = mode;
  }

  /** Takes the next bytes received; once it has answered Read or Refused it must not be fed again. */
  Outcome feed(ByteString bytes) {
    buffer = buffer.concat(bytes);
    boolean v1 = mode != Mode.V2 && startsLike(V1_START);
    boolean v2 = mode != Mode.V1 && startsLike(V2_SIGNATURE);
    if (v1 && buffer.size() >= V1_START.size()) {
      return v1();
    }
    if (v2 && buffer.size() >= V2_SIGNATURE.size()) {
      return v2();
    }
    if (v1 || v2) {
      return INCOMPLETE;
    }
    return mode == Mode.AUTO ? new Read(null, buffer)
        : new Refused("no PROXY protocol " + mode.name().toLowerCase(Locale.ROOT) + " header");
  }

  /** Whether the bytes so far agree with the start of {@code expected} (as far as both go). */
  private boolean startsLike(ByteString expected) {
    int n = Math.min(buffer.size(), expected.size());
    for (int i = 0; i < n; i++) {
      if (buffer.apply(i) != expected.apply(i)) {
        return false;
      }
    }
    return true;
  }

  private Outcome v1() {
    int end = -1;
    int limit = Math.min(buffer.size(), V1_MAX);
    for (int i = 0; i < limit; i++) {
      byte b = buffer.apply(i);
      if (b == '\n') {
        if (i == 0 || buffer.apply(i - 1) != '\r') {
          return new Refused("v1 line not ended by CRLF");
        }
        end = i + 1;
        break;
      }
    }
    if (end < 0) {
      return buffer.size() >= V1_MAX ? new Refused("v1 line longer than 107 bytes") : INCOMPLETE;
    }
    String line = buffer.slice(V1_START.size(), end - 2).decodeString(StandardCharsets.ISO_8859_1);
    ByteString rest = buffer.drop(end);
    if (line.startsWith("UNKNOWN")) { // the sender's own connection is not TCP over IP: the peer stays
      return new Read(null, rest);
    }
    String[] fields = line.split(" ", -1);
    if (fields.length != 5 || !(fields[0].equals("TCP4") || fields[0].equals("TCP6"))) {
      return new Refused("malformed v1 line");
    }
    boolean six = fields[0].equals("TCP6");
    InetAddress source = literal(fields[1], six);
    InetAddress destination = literal(fields[2], six);
    int sourcePort = port(fields[3]);
    if (source == null || destination == null || sourcePort < 0 || port(fields[4]) < 0) {
      return new Refused("malformed v1 " + fields[0] + " addresses");
    }
    return new Read(new InetSocketAddress(source, sourcePort), rest);
  }

  private Outcome v2() {
    if (buffer.size() < V2_FIXED) {
      return INCOMPLETE;
    }
    int versionCommand = buffer.apply(12) & 0xFF;
    int familyProtocol = buffer.apply(13) & 0xFF;
    int length = ((buffer.apply(14) & 0xFF) << 8) | (buffer.apply(15) & 0xFF);
    if (versionCommand >> 4 != 2) {
      return new Refused("v2 header of version " + (versionCommand >> 4));
    }
    int command = versionCommand & 0x0F;
    if (command > 1) {
      return new Refused("v2 header with command " + command);
    }
    if (buffer.size() < V2_FIXED + length) {
      return INCOMPLETE;
    }
    ByteString rest = buffer.drop(V2_FIXED + length);
    int family = familyProtocol >> 4;
    int protocol = familyProtocol & 0x0F;
    if (command == 0 || family == 0) { // LOCAL (the proxy's own, e.g. a health check), or UNSPEC
      return new Read(null, rest);
    }
    if (family > 3 || protocol > 2) {
      return new Refused("v2 header with address family " + family + " and protocol " + protocol);
    }
    if (protocol != 1) { // an HTTP server's connections are streams; DGRAM would be a lie or a mistake
      return new Refused("v2 header for a protocol other than a stream");
    }
    if (family == 3) { // AF_UNIX: no address a request can carry; the peer stays
      return new Read(null, rest);
    }
    int addressBytes = family == 1 ? 4 : 16;
    if (length < 2 * addressBytes + 4) {
      return new Refused("v2 header too short for its addresses (" + length + " bytes)");
    }
    byte[] source = buffer.slice(V2_FIXED, V2_FIXED + addressBytes).toArray();
    int portAt = V2_FIXED + 2 * addressBytes;
    int port = ((buffer.apply(portAt) & 0xFF) << 8) | (buffer.apply(portAt + 1) & 0xFF);
    try {
      return new Read(new InetSocketAddress(InetAddress.getByAddress(source), port), rest);
    } catch (UnknownHostException cannotHappen) { // 4 or 16 bytes are always an address
      return new Refused("v2 address unreadable");
    }
  }

  /** An IP literal of the family named (never a name: nothing here may look one up), or null. */
  private static InetAddress literal(String text, boolean six) {
    if (text.isEmpty() || text.contains("/") || text.equals("*") || text.contains(":") != six
        || !IpLiteral.isValid(text)) {
      return null;
    }
    try {
      return InetAddress.getByName(text); // a literal, checked above: parsed, not resolved
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A decimal port 0-65535 without a sign or leading zeros, or -1. */
  private static int port(String text) {
    if (!text.matches("0|[1-9]\\d{0,4}")) {
      return -1;
    }
    int port = Integer.parseInt(text);
    return port <= 65535 ? port : -1;
  }
}
