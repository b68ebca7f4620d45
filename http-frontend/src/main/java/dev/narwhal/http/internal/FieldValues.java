package dev.narwhal.http.internal;

import java.util.Locale;

/** INTERNAL API. The grammar of the values {@link RequestFraming} frames requests by. */
final class FieldValues {
  /** Longer Content-Length values are refused: 18 digits cannot overflow a long. */
  private static final int MAX_LENGTH_DIGITS = 18;

  private FieldValues() {}

  /** A Content-Length value (stripped): plain digits that fit a long, or -1. */
  static long contentLength(String v) {
    if (v.isEmpty() || v.length() > MAX_LENGTH_DIGITS || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(v);
  }

  /** A Transfer-Encoding value (stripped): null when it is exactly chunked, else what is wrong with it. */
  static FramingViolation transferEncoding(String v) {
    if (v.toLowerCase(Locale.ROOT).equals("chunked")) {
      return null;
    }
    int comma = v.lastIndexOf(',');
    boolean chunkedLast = comma >= 0 && v.substring(comma + 1).strip().equalsIgnoreCase("chunked");
    return chunkedLast ? FramingViolation.UNSUPPORTED_TRANSFER_CODING : FramingViolation.CHUNKED_NOT_FINAL;
  }

  /** Whether a field name is {@code lowercase}, ignoring case, without making a String of it. */
  static boolean nameIs(CharSequence name, String lowercase) {
    if (name.length() != lowercase.length()) {
      return false;
    }
    for (int i = 0; i < lowercase.length(); i++) {
      if (Character.toLowerCase(name.charAt(i)) != lowercase.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 section 5.6.2: the characters of a token. */
  static boolean isTchar(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  /** RFC 9110 section 5.6.2: a token, as a field name must be. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || !isTchar((byte) c)) {
        return false;
      }
    }
    return true;
  }
}
