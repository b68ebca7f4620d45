package dev.narwhal.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * INTERNAL API. Who the client is and which scheme it used, when a proxy says so: {@code Forwarded}
 * (RFC 7239), {@code X-Forwarded-For} and {@code X-Forwarded-Proto} (plus gunicorn's other
 * secure-scheme headers, {@code X-Forwarded-Protocol: ssl} and {@code X-Forwarded-Ssl: on}),
 * believed only when the connection's peer is in {@code forwarded-allow-ips}. Anyone can send
 * these headers; believing them from any peer would let a client choose its own address in the
 * application's logs and rate limits, or make a plain request look like HTTPS.
 *
 * <p>In a chain of proxies each one appends the address it received the request from, so the
 * list is read from the right: trusted proxies are skipped, and the first address that is not
 * trusted is the client (one that lies about what is further left cannot be caught, so nothing to
 * its left is believed). {@code Forwarded} wins over the {@code X-Forwarded-*} headers when both
 * are present. Addresses are IP literals only: nothing here ever resolves a name.
 */
public final class ForwardedHeaders {
  /** The client and scheme a request is served as. */
  public record Resolved(InetSocketAddress client, String scheme) {}

  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private final List<Network> trusted;
  private final boolean anyone;

  private ForwardedHeaders(List<Network> trusted, boolean anyone) {
    this.trusted = trusted;
    this.anyone = anyone;
  }

  /** From {@code forwarded-allow-ips}' entries: {@code *}, addresses, or networks with a prefix. */
  public static ForwardedHeaders trusting(List<String> allowed) {
    List<Network> networks = new ArrayList<>();
    boolean anyone = false;
    for (String entry : allowed) {
      if (entry.equals("*")) {
        anyone = true;
        continue;
      }
      int slash = entry.indexOf('/');
      InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address != null) {
        int bits = address.getAddress().length * 8;
        networks.add(new Network(address.getAddress(), slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1))));
      }
    }
    return new ForwardedHeaders(List.copyOf(networks), anyone);
  }

  /** Whether {@code address} may speak for the client. */
  public boolean trusts(InetAddress address) {
    if (anyone) {
      return true;
    }
    byte[] bytes = address.getAddress();
    for (Network n : trusted) {
      if (n.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client and scheme for a request from {@code peer} on a connection of {@code scheme}: the
   * proxies' word when {@code peer} is trusted and said something, else the connection's own.
   */
  public Resolved resolve(InetSocketAddress peer, String scheme, Iterable<HttpHeader> headers) {
    Resolved own = new Resolved(peer, scheme);
    if (peer == null || peer.getAddress() == null || !(anyone || !trusted.isEmpty()) || !trusts(peer.getAddress())) {
      return own;
    }
    String forwarded = null;
    String forwardedFor = null;
    String forwardedProto = null;
    boolean secureFlag = false;
    for (HttpHeader h : headers) {
      switch (h.lowercaseName()) {
        case "forwarded" -> forwarded = join(forwarded, h.value());
        case "x-forwarded-for" -> forwardedFor = join(forwardedFor, h.value());
        case "x-forwarded-proto" -> forwardedProto = join(forwardedProto, h.value());
        case "x-forwarded-protocol" -> secureFlag |= h.value().strip().equalsIgnoreCase("ssl");
        case "x-forwarded-ssl" -> secureFlag |= h.value().strip().equalsIgnoreCase("on");
        default -> { }
      }
    }
    if (forwarded != null) {
      return fromForwarded(own, forwarded);
    }
    Resolved result = own;
    List<String> proto = forwardedProto == null ? List.of() : split(forwardedProto, ',');
    if (forwardedFor != null) {
      List<String> hops = split(forwardedFor, ',');
      int i = clientIndex(hops);
      InetSocketAddress client = node(hops.get(i));
      String p = proto.isEmpty() ? null : proto.size() == hops.size() ? proto.get(i) : proto.get(proto.size() - 1);
      result = new Resolved(client == null ? peer : client, schemeOr(p, scheme));
    } else if (!proto.isEmpty()) {
      result = new Resolved(peer, schemeOr(proto.get(proto.size() - 1), scheme));
    }
    return forwardedProto == null && secureFlag ? new Resolved(result.client(), "https") : result;
  }

  /** RFC 7239: comma-separated elements, each {@code key=value} pairs joined with ';'. */
  private Resolved fromForwarded(Resolved own, String header) {
    List<String> elements = split(header, ',');
    List<String> hops = new ArrayList<>();
    List<String> protos = new ArrayList<>();
    for (String element : elements) {
      String forNode = "";
      String proto = null;
      for (String pair : split(element, ';')) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String key = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = unquote(pair.substring(eq + 1).strip());
        if (key.equals("for")) {
          forNode = value;
        } else if (key.equals("proto")) {
          proto = value;
        }
      }
      hops.add(forNode);
      protos.add(proto);
    }
    if (hops.isEmpty()) {
      return own;
    }
    int i = clientIndex(hops);
    InetSocketAddress client = node(hops.get(i));
    // "unknown" or an obfuscated name: the proxy chose not to tell; the peer stays the client
    return new Resolved(client == null ? own.client() : client, schemeOr(protos.get(i), own.scheme()));
  }

  /** The rightmost hop that is not a trusted proxy; the leftmost when every hop is trusted. */
  private int clientIndex(List<String> hops) {
    int i = hops.size() - 1;
    while (i > 0) {
      InetSocketAddress hop = node(hops.get(i));
      if (hop == null || !trusts(hop.getAddress())) {
        break;
      }
      i--;
    }
    return i;
  }

  private static String schemeOr(String proto, String fallback) {
    if (proto == null) {
      return fallback;
    }
    String p = proto.strip().toLowerCase(Locale.ROOT);
    return p.equals("https") || p.equals("http") ? p : fallback;
  }

  /** An IP, optionally with a port: {@code 1.2.3.4}, {@code 1.2.3.4:80}, {@code [::1]:80}, {@code ::1}. */
  static InetSocketAddress node(String text) {
    String s = text.strip();
    String host = s;
    int port = 0;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.startsWith(":")) {
        port = port(rest.substring(1));
      } else if (!rest.isEmpty()) {
        return null;
      }
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = port(s.substring(s.indexOf(':') + 1));
    }
    InetAddress address = literal(host);
    return address == null || port < 0 ? null : new InetSocketAddress(address, port);
  }

  private static int port(String text) {
    if (!text.matches("\\d{1,5}")) {
      return -1; // RFC 7239 allows an obfuscated port ("_abc"); then the address alone is not enough to trust
    }
    int p = Integer.parseInt(text);
    return p <= 65535 ? p : -1;
  }

  /** The address of an IP literal, or null; never a DNS lookup. */
  private static InetAddress literal(String host) {
    boolean v4 = V4.matcher(host).matches();
    boolean v6 = host.contains(":") && V6.matcher(host).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(host); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String join(String previous, String value) {
    return previous == null ? value : previous + "," + value;
  }

  /** Splits on {@code sep} outside double quotes, trimming and dropping empty parts. */
  private static List<String> split(String text, char sep) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == sep && !quoted) {
        addPart(parts, current);
      } else {
        current.append(c);
      }
    }
    addPart(parts, current);
    return parts;
  }

  private static void addPart(List<String> parts, StringBuilder current) {
    String part = current.toString().strip();
    if (!part.isEmpty()) {
      parts.add(part);
    }
    current.setLength(0);
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  /** An address and a prefix length. */
  private record Network(byte[] address, int prefix) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != address[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest);
      return (candidate[full] & mask) == (address[full] & mask);
    }
  }
}
