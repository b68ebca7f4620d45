package dev.narwhal.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Checks that a string is an IP address or network ({@code 10.0.0.0/8}, {@code ::1}, {@code *})
 * without ever resolving a name: a host name here would mean a DNS lookup while validating a config
 * file, or while checking a request's {@code Host}. The settings that take addresses
 * ({@code forwarded-allow-ips}, {@code admin-allowed-hosts}) and the admin API's host check use this
 * one test, so what a setting accepts as an address is what a request is matched as.
 */
public final class IpLiteral {
  private static final Pattern V4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiteral() {}

  /** True for {@code *}, an IPv4 or IPv6 literal, either optionally with a {@code /prefix}. */
  public static boolean isValid(String text) {
    if (text.equals("*")) {
      return true;
    }
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    int maxPrefix;
    if (V4.matcher(address).matches()) {
      maxPrefix = 32;
    } else if (address.contains(":") && V6_CHARS.matcher(address).matches() && isV6(address)) {
      maxPrefix = 128;
    } else {
      return false;
    }
    return slash < 0 || prefixWithin(text.substring(slash + 1), maxPrefix);
  }

  /** Safe from DNS: the JDK parses a string containing ':' as an IPv6 literal or rejects it. */
  private static boolean isV6(String address) {
    try {
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean prefixWithin(String prefix, int max) {
    return prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= max;
  }
}
