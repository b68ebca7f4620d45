package dev.narwhal.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level mutations of a valid request, aimed at what decides framing: line ends, spaces,
 * colons, digits, field names, chunk sizes, token lengths. Seeded, so an input is reproduced from
 * the seed and its index alone.
 */
public final class Mutator {
  /**
   * A mutated request, the classes of the mutations applied to it in order, and the offsets at
   * which it is to be cut into separate writes (empty: one write).
   */
  public record Input(byte[] bytes, List<String> mutations, String seedName, int[] splits) {
    public Input(byte[] bytes, List<String> mutations, String seedName) {
      this(bytes, mutations, seedName, new int[0]);
    }
  }

  /** The mutation classes, as they appear in the findings (and split-write, which cuts the writes). */
  public static final List<String> CLASSES = List.of("crlf", "space", "colon", "digits", "field-name",
      "framing-field", "chunk", "long-token", "byte", "truncate", "duplicate-range");

  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern HEX_LINE = Pattern.compile("(?<=\r\n|^)[0-9a-fA-F]+(?=[;\r])");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern FIELD_LINE = Pattern.compile("(?<=\r\n)[^\r\n]+\r\n");
  private static final String[] LINE_ENDS = {"\n", "\r", "", "\r\r\n", "\n\r", "\r\n\r\n", " \r\n", "\r\n "};
  private static final String[] SPACES = {"", "  ", "\t", "\r\n ", "\u000b", "\u0000"};
  private static final String[] COLONS = {"", "::", " :", ": :", "\t:", " ", ":\r\n "};
  private static final String[] NUMBERS = {"0", "1", "00005", "1 1", "+5", "-1", "", "1,1", "5, 5", "0x5",
      "99999999999999999999", "18446744073709551617", "9223372036854775807", "9223372036854775808",
      "2147483648", "4294967296", "1.0", "5a", "\u00b9"};
  private static final String[] FRAMING_FIELDS = {"Content-Length: 3", "Content-Length: 0",
      "Content-Length: 100", "Content-Length:  5 ", "Content-Length: 1 1", "Content-Length:",
      "Transfer-Encoding: chunked", "Transfer-Encoding: chunked, chunked", "Transfer-Encoding: identity",
      "Transfer-Encoding: xchunked", "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunked, gzip",
      "Transfer-Encoding: gzip, chunked", "Transfer-Encoding:\tchunked", "Transfer-Encoding : chunked",
      " Transfer-Encoding: chunked", "Transfer-Encoding\u000b: chunked", "Host: a", "Host: a b", "Host:",
      "Connection: close", "Expect: 100-continue", ": empty-name", "X\u00ffY: z"};
  private static final String[] CHUNK_SIZES = {"0", "5", "ffffffffffffffffff", "-1", "+5", "5;a=b",
      "5 ;a", "5;a=\"b\"", "5\t", "0x5", "00000005", "FFFFFFFF", "5 5", "", "5;", "5;a b"};
  private static final int[] LONG_LENGTHS = {300, 4093, 4094, 4095, 4096, 8189, 8190, 8191, 8192, 16384, 65537};
  private static final byte[] ODD_BYTES = {0, '\r', '\n', ' ', '\t', ':', ',', ';', 0x7f, (byte) 0x80, (byte) 0xff, 0x0b, 0x0c};

  private final SplittableRandom random;

  public Mutator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** One to three mutations of one of {@code seeds} (name → bytes). */
  public Input next(List<String> names, List<byte[]> seeds) {
    int pick = random.nextInt(seeds.size());
    byte[] bytes = seeds.get(pick);
    List<String> applied = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      String mutation = CLASSES.get(random.nextInt(CLASSES.size()));
      byte[] mutated = apply(mutation, bytes);
      if (mutated != null) {
        bytes = mutated;
        applied.add(mutation);
      }
    }
    // a quarter of the inputs arrive in two to four writes, so the parser also resumes mid-token
    int[] splits = new int[0];
    if (bytes.length > 1 && random.nextInt(4) == 0) {
      splits = random.ints(1 + random.nextInt(3), 1, bytes.length).sorted().distinct().toArray();
      applied.add("split-write");
    }
    return new Input(bytes, applied, names.get(pick), splits);
  }

  /** {@code mutation} applied once to {@code in}, or null where it finds nothing to act on. */
  private byte[] apply(String mutation, byte[] in) {
    String s = new String(in, StandardCharsets.ISO_8859_1);
    return switch (mutation) {
      case "crlf" -> replaceOne(s, Pattern.compile("\r\n"), pick(LINE_ENDS));
      case "space" -> random.nextBoolean()
          ? replaceOne(s, Pattern.compile(" "), pick(SPACES))
          : insertAt(s, random.nextInt(s.length() + 1), " ");
      case "colon" -> replaceOne(s, Pattern.compile(":"), pick(COLONS));
      case "digits" -> replaceOne(s, DIGITS, random.nextInt(4) == 0 ? "0".repeat(1 + random.nextInt(30)) + "1" : pick(NUMBERS));
      case "field-name" -> fieldName(s);
      case "framing-field" -> insertField(s, pick(FRAMING_FIELDS));
      case "chunk" -> replaceOne(s, HEX_LINE, pick(CHUNK_SIZES));
      case "long-token" -> longToken(s);
      case "byte" -> insertAt(s, random.nextInt(s.length() + 1),
          String.valueOf((char) (ODD_BYTES[random.nextInt(ODD_BYTES.length)] & 0xff)));
      case "truncate" -> s.isEmpty() ? null : bytes(s.substring(0, random.nextInt(s.length())));
      case "duplicate-range" -> duplicateRange(s);
      default -> throw new IllegalArgumentException(mutation);
    };
  }

  /** A field line duplicated, dropped, emptied of its name, padded, or its name's case changed. */
  private byte[] fieldName(String s) {
    List<int[]> lines = matches(s, FIELD_LINE, headEnd(s));
    if (lines.isEmpty()) {
      return null;
    }
    int[] line = lines.get(random.nextInt(lines.size()));
    String text = s.substring(line[0], line[1]);
    int colon = Math.max(0, text.indexOf(':'));
    String changed = switch (random.nextInt(6)) {
      case 0 -> text + text;
      case 1 -> "";
      case 2 -> text.substring(colon);
      case 3 -> text.substring(0, colon) + " " + text.substring(colon);
      case 4 -> text.substring(0, colon).toUpperCase() + text.substring(colon);
      default -> text.substring(0, colon / 2) + pick(new String[] {" ", "\t", "\u0000", "\r", "_", "\u00e9"})
          + text.substring(colon / 2);
    };
    return bytes(s.substring(0, line[0]) + changed + s.substring(line[1]));
  }

  private byte[] insertField(String s, String field) {
    List<int[]> lines = matches(s, FIELD_LINE, headEnd(s));
    int at = lines.isEmpty() ? s.indexOf("\r\n") + 2 : lines.get(random.nextInt(lines.size()))[random.nextInt(2)];
    return at < 2 ? null : insertAt(s, at, field + "\r\n");
  }

  /** A token repeated to one of the lengths around the server's limits. */
  private byte[] longToken(String s) {
    List<int[]> tokens = matches(s, TOKEN, s.length());
    if (tokens.isEmpty()) {
      return null;
    }
    int[] token = tokens.get(random.nextInt(tokens.size()));
    String text = s.substring(token[0], token[1]);
    int length = LONG_LENGTHS[random.nextInt(LONG_LENGTHS.length)];
    String longer = text.repeat(length / text.length() + 1).substring(0, length);
    return bytes(s.substring(0, token[0]) + longer + s.substring(token[1]));
  }

  private byte[] duplicateRange(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int from = random.nextInt(s.length());
    int to = Math.min(s.length(), from + 1 + random.nextInt(40));
    return insertAt(s, random.nextInt(s.length() + 1), s.substring(from, to));
  }

  private byte[] replaceOne(String s, Pattern pattern, String with) {
    List<int[]> found = matches(s, pattern, s.length());
    if (found.isEmpty()) {
      return null;
    }
    int[] m = found.get(random.nextInt(found.size()));
    return bytes(s.substring(0, m[0]) + with + s.substring(m[1]));
  }

  private static List<int[]> matches(String s, Pattern pattern, int before) {
    List<int[]> found = new ArrayList<>();
    Matcher m = pattern.matcher(s);
    while (m.find() && m.start() < before) {
      found.add(new int[] {m.start(), m.end()});
    }
    return found;
  }

  private static int headEnd(String s) {
    int end = s.indexOf("\r\n\r\n");
    return end < 0 ? s.length() : end + 2;
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] insertAt(String s, int at, String what) {
    return bytes(s.substring(0, at) + what + s.substring(at));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Printable form of an input for a report: CR, LF and other non-printing bytes escaped, long runs cut. */
  public static String show(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes.length && out.length() < 400; i++) {
      int b = bytes[i] & 0xff;
      switch (b) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
      }
    }
    return bytes.length > 0 && out.length() >= 400 ? out + "... (" + bytes.length + " bytes)" : out.toString();
  }
}
