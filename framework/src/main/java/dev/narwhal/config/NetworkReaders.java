package dev.narwhal.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The readers of the settings about sockets, protocols and addresses (see {@link ValueReader}). */
final class NetworkReaders {
  private NetworkReaders() {}

  /** gunicorn's cert_reqs: 0/none, 1/optional, 2/required, read as the name. */
  static ValueReader<String> clientCertificates() {
    return ValueReader.scalar("0 (none), 1 (optional) or 2 (required)", text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "0", "none", "cert_none" -> "none";
      case "1", "optional", "cert_optional" -> "optional";
      case "2", "required", "cert_required" -> "required";
      default -> throw new IllegalArgumentException();
    });
  }

  /**
   * gunicorn's http_protocols: h1, h2, as a list or joined with ','. h1 must be among them: Pekko
   * HTTP always offers HTTP/1.1, and quietly serving it to a server meant to refuse it would mislead.
   */
  static ValueReader<List<String>> httpProtocols() {
    String expected = "h1, or h1 and h2 (e.g. h2,h1), as a list or joined with ','";
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      List<String> protocols = new ArrayList<>();
      for (String item : ReaderSupport.items(config, path, value)) {
        for (String part : item.split(",")) {
          String p = part.strip().toLowerCase(Locale.ROOT);
          if (p.isEmpty() || protocols.contains(p)) {
            continue;
          }
          if (!p.equals("h1") && !p.equals("h2")) {
            throw ValueReader.invalid(path, value, expected, "'" + part.strip() + "'" + (p.equals("h3") ? " (HTTP/3 is not supported)" : ""));
          }
          protocols.add(p);
        }
      }
      if (!protocols.contains("h1")) {
        throw ValueReader.invalid(path, value, expected, protocols.isEmpty() ? "no protocol"
            : "'" + String.join(",", protocols) + "' (h1 cannot be left out: Pekko HTTP always offers HTTP/1.1)");
      }
      return List.copyOf(protocols);
    };
  }

  /** http2-cleartext: on/off, or gunicorn's prior-knowledge and both (on); upgrade (deprecated by RFC 9113) is not offered. */
  static ValueReader<Boolean> http2Cleartext() {
    return ValueReader.scalar("on or off (also prior-knowledge or both, which mean on: the HTTP/2 preface; "
        + "Upgrade: h2c is not offered)", text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "prior-knowledge", "both" -> true;
      case "false", "off", "no" -> false;
      default -> throw new IllegalArgumentException();
    });
  }

  /**
   * Host names a request's {@code Host} header may carry: {@code *} (any), a name
   * ({@code admin.example.com}), a domain and its subdomains ({@code .example.com}), or an IP
   * literal; a list, or one string joined with commas. Ports are left out: any port matches.
   * Read lower-cased, IPv6 literals without brackets.
   */
  static ValueReader<List<String>> hostList() {
    return ReaderSupport.commaList("'*', host names (admin.example.com, or .example.com with its subdomains) or IP "
        + "addresses, without ports, separated by commas (or a list)", item -> {
      String host = item.startsWith("[") && item.endsWith("]") ? item.substring(1, item.length() - 1) : item;
      boolean ip = !host.contains("/") && IpLiteral.isValid(host);
      if (!host.equals("*") && !ip && !host.matches("\\.?[\\p{L}\\p{N}_-]+(\\.[\\p{L}\\p{N}_-]+)*")) {
        throw new IllegalArgumentException();
      }
      return host.toLowerCase(Locale.ROOT);
    });
  }

  /** gunicorn's proxy_protocol: off, v1, v2 or auto; on/true (gunicorn's bare flag) mean auto. Read as the name. */
  static ValueReader<String> proxyProtocol() {
    return ValueReader.scalar("off, v1, v2 or auto (on and true mean auto)", text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "off", "false", "no" -> "off";
      case "v1" -> "v1";
      case "v2" -> "v2";
      case "auto", "on", "true", "yes" -> "auto";
      default -> throw new IllegalArgumentException();
    });
  }

  /** One {@code HOST:PORT} (see {@link BindAddress#parse}), or {@code off} for none. */
  static ValueReader<Optional<BindAddress>> bindOrOff() {
    return ValueReader.scalar("HOST:PORT, [IPv6]:PORT or HOST, or off", text -> {
      if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false") || text.equalsIgnoreCase("none")) {
        return Optional.empty();
      }
      return Optional.of(BindAddress.parse(text));
    });
  }

  /** A statsd server: {@code HOST:PORT}, or {@code HOST} for port 8125; empty or {@code off} for none. */
  static ValueReader<Optional<BindAddress>> statsdHost() {
    return ValueReader.scalar("HOST:PORT or HOST (port 8125), or empty/off for none", text -> {
      if (text.isEmpty() || text.equalsIgnoreCase("off") || text.equalsIgnoreCase("none")) {
        return Optional.empty();
      }
      BindAddress address = BindAddress.parse(text);
      boolean portGiven = text.matches(".*:\\d+") && !text.matches("[^\\[]*:[^\\]]*:.*");
      return Optional.of(portGiven ? address : new BindAddress(address.host(), 8125));
    });
  }

  /**
   * IP addresses or networks: {@code *}, IPv4 or IPv6 literals, optionally with a CIDR prefix
   * ({@code 10.0.0.0/8}); a list, or one string joined with commas. Host names are refused: they
   * would need a DNS lookup to compare against a peer address.
   */
  static ValueReader<List<String>> ipList() {
    String expected = "'*' or IP addresses/networks (e.g. 127.0.0.1, ::1, 10.0.0.0/8), as a list or joined with ','";
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      List<String> addresses = new ArrayList<>();
      for (String item : ReaderSupport.items(config, path, value)) {
        for (String part : item.split(",")) {
          String ip = part.strip();
          if (ip.isEmpty()) {
            continue;
          }
          if (!IpLiteral.isValid(ip)) {
            throw ValueReader.invalid(path, value, expected, "'" + ip + "'");
          }
          addresses.add(ip);
        }
      }
      return List.copyOf(addresses);
    };
  }

  /** HOST:PORT items, as a list or one comma-separated string; may be empty. */
  static ValueReader<List<BindAddress>> bindList() {
    return ReaderSupport.commaList("HOST:PORT items separated by commas (or a list), or empty", item -> {
      BindAddress address = BindAddress.parse(item);
      if (!item.contains(":")) {
        throw new IllegalArgumentException("no port");
      }
      return address;
    });
  }
}
