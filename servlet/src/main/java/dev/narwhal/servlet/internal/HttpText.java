package dev.narwhal.servlet.internal;

import jakarta.servlet.http.Cookie;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The small HTTP text formats the bridge reads and writes: forms, cookies, dates, languages. */
public final class HttpText {
  private static final Set<String> RFC_2109_ATTRIBUTES = Set.of("$Version", "$Path", "$Domain", "$Port");

  private HttpText() {}

  /** Adds the pairs of an {@code application/x-www-form-urlencoded} text (or a query), in order. */
  public static void parseForm(String text, Charset charset, Map<String, List<String>> into) {
    if (text == null || text.isEmpty()) {
      return;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), charset, true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), charset, true);
      into.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

  /** Form pairs as a fresh ordered map. */
  public static Map<String, List<String>> parseForm(String text, Charset charset) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    parseForm(text, charset, map);
    return map;
  }

  /**
   * Percent-decodes {@code s}; {@code +} is a space only in forms. A malformed escape is kept as
   * sent rather than failing the request.
   */
  public static String decode(String s, Charset charset, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(charset);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(charset);
  }

  /** The cookies of {@code Cookie} request headers ({@code a=1; b="2"}), in order. */
  public static List<Cookie> parseCookies(List<String> headers) {
    List<Cookie> cookies = new ArrayList<>();
    for (String header : headers) {
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String name = part.substring(0, eq).strip();
        String value = part.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (RFC_2109_ATTRIBUTES.contains(name)) {
          continue; // attributes of the cookie before, not cookies
        }
        try {
          cookies.add(new Cookie(name, value));
        } catch (IllegalArgumentException invalidName) {
          // a name the Cookie class refuses ($Version, a token with separators): skipped, as Tomcat does
        }
      }
    }
    return cookies;
  }

  /**
   * A {@code Set-Cookie} value: name=value then the cookie's attributes in the order set
   * (Max-Age, Path, Domain, Secure, HttpOnly, SameSite and any other); Expires is added beside
   * Max-Age for old clients.
   */
  public static String setCookie(Cookie cookie) {
    String value = cookie.getValue() == null ? "" : cookie.getValue();
    if (!cookieValue(value)) {
      // as Tomcat's RFC 6265 cookie processor: "a b;c" would end the value and add an attribute
      throw new IllegalArgumentException("cookie " + cookie.getName() + ": its value has a character a cookie value "
          + "may not hold (space, quote, comma, semicolon, backslash, a control, or one beyond Latin-1); encode it first");
    }
    StringBuilder sb = new StringBuilder(cookie.getName()).append('=').append(value);
    for (Map.Entry<String, String> a : cookie.getAttributes().entrySet()) {
      if (a.getValue() != null && a.getValue().chars().anyMatch(c -> c == ';' || c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("cookie " + cookie.getName() + ": its " + a.getKey()
            + " has a ';' or a control character, which would end the attribute");
      }
      sb.append("; ").append(canonical(a.getKey()));
      if (a.getValue() != null && !a.getValue().isEmpty()) {
        sb.append('=').append(a.getValue());
      }
      if (a.getKey().equalsIgnoreCase("Max-Age") && cookie.getMaxAge() >= 0) {
        Instant expires = cookie.getMaxAge() == 0 ? Instant.EPOCH : Instant.now().plusSeconds(cookie.getMaxAge());
        sb.append("; Expires=").append(formatDate(expires.toEpochMilli()));
      }
    }
    return sb.toString();
  }

  /**
   * What Tomcat's RFC 6265 processor allows in a value: RFC 6265's cookie-octets and, as Tomcat,
   * Latin-1 letters (Zürich), optionally in one pair of double quotes. Nothing past U+00FF: a
   * header is written byte by byte, and U+010A would come out as a line feed.
   */
  private static boolean cookieValue(String value) {
    String octets = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
    return octets.chars().allMatch(c -> c > 0x20 && c != '"' && c != ',' && c != ';' && c != '\\' && c != 0x7f
        && c <= 0xff);
  }

  private static String canonical(String attribute) {
    return switch (attribute.toLowerCase(Locale.ROOT)) {
      case "max-age" -> "Max-Age";
      case "path" -> "Path";
      case "domain" -> "Domain";
      case "secure" -> "Secure";
      case "httponly" -> "HttpOnly";
      case "samesite" -> "SameSite";
      default -> attribute;
    };
  }

  /** An IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  public static String formatDate(long epochMillis) {
    return HttpDates.format(epochMillis);
  }

  /** Milliseconds since the epoch of an HTTP date (any of its three forms); IllegalArgumentException if it is not one. */
  public static long parseDate(String value) {
    return HttpDates.parse(value);
  }

  /** The locales of {@code Accept-Language} headers, most preferred first; empty if none. */
  public static List<Locale> parseLocales(List<String> headers) {
    record Weighted(Locale locale, double q, int order) {}
    List<Weighted> all = new ArrayList<>();
    for (String header : headers) {
      for (String range : header.split(",")) {
        String[] parts = range.strip().split(";");
        String tag = parts[0].strip();
        if (tag.isEmpty() || tag.equals("*")) {
          continue;
        }
        double q = 1;
        for (int i = 1; i < parts.length; i++) {
          String p = parts[i].strip();
          if (p.startsWith("q=")) {
            try {
              q = Double.parseDouble(p.substring(2));
            } catch (NumberFormatException e) {
              q = 0;
            }
          }
        }
        if (q > 0) {
          all.add(new Weighted(Locale.forLanguageTag(tag), q, all.size()));
        }
      }
    }
    all.sort(Comparator.comparingDouble(Weighted::q).reversed().thenComparingInt(Weighted::order));
    return all.stream().map(Weighted::locale).toList();
  }

  /** The {@code charset} parameter of a media type, or null. */
  public static String charsetOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        String cs = p.substring(8).strip();
        return cs.replace("\"", "");
      }
    }
    return null;
  }

  /** A media type without its parameters, lower-cased. */
  public static String mediaTypeOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }
}
