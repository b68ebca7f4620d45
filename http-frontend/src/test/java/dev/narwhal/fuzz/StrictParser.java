package dev.narwhal.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fuzzer's reference: an RFC 9112 parser that is strict wherever framing is decided, so that
 * its verdict says which of a connection's bytes may be read as requests at all. Whatever it calls
 * {@link Verdict#framingError} is a message whose end (or start) two parsers could place in
 * different spots: exact CRLF line ends, no obs-fold, no empty or space-padded field names, one
 * Content-Length of plain digits that fits a long, Transfer-Encoding only as a lone {@code chunked}
 * in HTTP/1.1 without Content-Length, and valid chunked syntax. Leniency that cannot move a message
 * boundary (an odd character in the target, a missing Host) is only noted, in {@link
 * Request#notes}: the server may answer such a request either way.
 */
public final class StrictParser {
  /** One complete request the reference would hand to an application. */
  public record Request(String method, String target, String version, byte[] body, List<String> notes) {}

  /**
   * The requests before the first framing error, in order; then the error's class (null when
   * every byte parsed) and whether the bytes ended part-way through a message.
   */
  public record Verdict(List<Request> requests, String framingError, boolean incomplete) {
    public boolean clean() {
      return framingError == null && !incomplete;
    }
  }

  private static final long MAX_LENGTH = Long.MAX_VALUE;
  private final byte[] in;
  private int pos;

  private StrictParser(byte[] in) {
    this.in = in;
  }

  public static Verdict parse(byte[] bytes) {
    return new StrictParser(bytes).run();
  }

  /** Thrown to stop at the first framing error; {@code kind} names its class for the findings. */
  private static final class Framing extends Exception {
    final String kind;

    Framing(String kind) {
      super(kind, null, false, false);
      this.kind = kind;
    }
  }

  /** Thrown when the bytes run out inside a message. */
  private static final class Incomplete extends Exception {
    Incomplete() {
      super(null, null, false, false);
    }
  }

  private Verdict run() {
    List<Request> requests = new ArrayList<>();
    while (true) {
      List<String> notes = new ArrayList<>();
      // RFC 9112 section 2.2: empty lines before a request line are ignored (bare LF only noted)
      while (pos < in.length && (in[pos] == '\n' || (in[pos] == '\r' && pos + 1 < in.length && in[pos + 1] == '\n'))) {
        if (in[pos] == '\n') {
          notes.add("leading-bare-lf");
        }
        pos += in[pos] == '\r' ? 2 : 1;
      }
      if (pos >= in.length) {
        return new Verdict(requests, null, false);
      }
      try {
        requests.add(request(notes));
      } catch (Framing e) {
        return new Verdict(requests, e.kind, false);
      } catch (Incomplete e) {
        return new Verdict(requests, null, true);
      }
    }
  }

  private Request request(List<String> notes) throws Framing, Incomplete {
    String line = line("request-line");
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      // RFC 9112 section 3 lets a recipient split on any run of SP, HTAB, VT or FF instead; where
      // that still gives three words, the message's end is not in doubt
      parts = line.replaceAll("^[ \\t\\x0b\\x0c]+|[ \\t\\x0b\\x0c]+$", "").split("[ \\t\\x0b\\x0c]+", -1);
      if (parts.length != 3 || line.isEmpty()) {
        throw new Framing("request-line");
      }
      notes.add("request-line-whitespace");
    }
    if (!isToken(parts[0])) {
      throw new Framing("method");
    }
    for (char c : parts[1].toCharArray()) {
      if (c <= 0x20 || c >= 0x7f) {
        notes.add("target-chars");
        break;
      }
    }
    String version = parts[2];
    if (!version.matches("HTTP/[0-9]\\.[0-9]")) {
      throw new Framing("version");
    }
    if (version.charAt(5) != '1') {
      throw new Framing("version-major");
    }
    List<String[]> fields = fields(notes);
    boolean http10 = version.equals("HTTP/1.0");
    List<String> lengths = values(fields, "content-length");
    List<String> codings = values(fields, "transfer-encoding");
    if (!http10 && values(fields, "host").size() != 1) {
      notes.add("host");
    }
    byte[] body;
    if (!codings.isEmpty()) {
      if (http10) {
        throw new Framing("te-in-http10");
      }
      if (!lengths.isEmpty()) {
        throw new Framing("te-and-cl");
      }
      List<String> all = new ArrayList<>();
      for (String value : codings) {
        for (String coding : value.split(",", -1)) {
          all.add(coding.strip().toLowerCase(Locale.ROOT));
        }
      }
      if (!all.equals(List.of("chunked"))) {
        throw new Framing("te-value");
      }
      body = chunked(notes);
    } else if (!lengths.isEmpty()) {
      if (lengths.size() > 1) {
        throw new Framing("cl-repeated");
      }
      String value = lengths.get(0);
      if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new Framing(value.isEmpty() ? "cl-empty" : "cl-not-digits");
      }
      long length = digits(value, 10, "cl-overflow");
      if (in.length - pos < length) {
        throw new Incomplete();
      }
      body = java.util.Arrays.copyOfRange(in, pos, pos + (int) length);
      pos += (int) length;
    } else {
      body = new byte[0];
    }
    return new Request(parts[0], parts[1], version, body, List.copyOf(notes));
  }

  /** Field lines up to the empty line, each as {lowercase name, value without OWS}. */
  private List<String[]> fields(List<String> notes) throws Framing, Incomplete {
    List<String[]> fields = new ArrayList<>();
    for (String line = line("field-line"); !line.isEmpty(); line = line("field-line")) {
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new Framing("obs-fold");
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new Framing("field-no-colon");
      }
      if (colon == 0) {
        throw new Framing("field-name-empty");
      }
      String name = line.substring(0, colon);
      if (name.endsWith(" ") || name.endsWith("\t")) {
        throw new Framing("field-name-ws-before-colon");
      }
      if (!isToken(name)) {
        throw new Framing("field-name-chars");
      }
      String value = line.substring(colon + 1).strip();
      for (char c : value.toCharArray()) {
        if (c == 0) {
          throw new Framing("field-value-nul");
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          notes.add("field-value-ctl");
          break;
        }
      }
      fields.add(new String[] {name.toLowerCase(Locale.ROOT), value});
    }
    return fields;
  }

  private byte[] chunked(List<String> notes) throws Framing, Incomplete {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = line("chunk-size-line");
      int end = 0;
      while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
        end++;
      }
      if (end == 0) {
        throw new Framing("chunk-size");
      }
      String rest = line.substring(end);
      // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
      if (!rest.matches("([ \\t]*;[ \\t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+([ \\t]*=[ \\t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+|\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"))?)*")) {
        throw new Framing("chunk-ext");
      }
      long size = digits(line.substring(0, end), 16, "chunk-size-overflow");
      if (size == 0) {
        break;
      }
      if (in.length - pos < size) {
        throw new Incomplete();
      }
      body.write(in, pos, (int) size);
      pos += (int) size;
      if (in.length - pos < 2) {
        throw new Incomplete();
      }
      if (in[pos] != '\r' || in[pos + 1] != '\n') {
        throw new Framing("chunk-data-crlf");
      }
      pos += 2;
    }
    fields(notes); // the trailer section, with the same field-line rules
    return body.toByteArray();
  }

  /** The next line without its CRLF; a CR or LF anywhere but as that pair is a framing error. */
  private String line(String where) throws Framing, Incomplete {
    int start = pos;
    for (int i = pos; i < in.length; i++) {
      if (in[i] == '\n') {
        if (i == start || in[i - 1] != '\r') {
          throw new Framing("bare-lf-in-" + where);
        }
        pos = i + 1;
        return new String(in, start, i - 1 - start, StandardCharsets.ISO_8859_1);
      }
      if (in[i] == '\r' && i + 1 < in.length && in[i + 1] != '\n') {
        throw new Framing("bare-cr-in-" + where);
      }
    }
    throw new Incomplete();
  }

  private static long digits(String text, int radix, String overflow) throws Framing {
    long value = 0;
    for (char c : text.toCharArray()) {
      int digit = Character.digit(c, radix);
      if (value > (MAX_LENGTH - digit) / radix) {
        throw new Framing(overflow);
      }
      value = value * radix + digit;
    }
    // no request body the fuzzer sends comes near 2 GiB: larger can only be waited for
    return value;
  }

  private static List<String> values(List<String[]> fields, String name) {
    List<String> values = new ArrayList<>();
    for (String[] field : fields) {
      if (field[0].equals(name)) {
        values.add(field[1]);
      }
    }
    return values;
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (char c : s.toCharArray()) {
      boolean tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }
}
