package dev.narwhal.dist.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Request heads that are malformed by construction, from a seeded {@link Random}: every one of them
 * must be refused (4xx/5xx, or the connection closed), never answered 2xx. Mutations are chosen so
 * that no outcome can turn into a valid request by chance: random bytes where a method must be
 * a token, control bytes in the target, names or version, header lines without a colon, broken
 * Content-Length and Transfer-Encoding framing. Header values are left alone, since RFC 9110 lets
 * a server repair some bytes there rather than reject them.
 */
public final class Fuzz {
  private static final String[] KINDS = {"garbage", "ctl-in-target", "ctl-in-name", "no-colon", "bad-version",
      "bad-length", "bad-chunked", "space-in-name", "ctl-in-method"};
  private final Random random;

  public Fuzz(long seed) {
    this.random = new Random(seed);
  }

  /** One malformed request: its kind (for the report) and its bytes. */
  public record Case(String kind, byte[] bytes) {}

  public Case next() {
    String kind = KINDS[random.nextInt(KINDS.length)];
    return new Case(kind, switch (kind) {
      case "garbage" -> garbage();
      case "ctl-in-target" -> ascii("GET /a" + ctl() + "b HTTP/1.1\r\nHost: x\r\n\r\n");
      case "ctl-in-name" -> ascii("GET / HTTP/1.1\r\nHost: x\r\nX-F" + ctl() + "oo: 1\r\n\r\n");
      case "no-colon" -> ascii("GET / HTTP/1.1\r\nHost: x\r\n" + token(1 + random.nextInt(20)) + "\r\n\r\n");
      case "bad-version" -> ascii("GET / HTTP/" + (2 + random.nextInt(7)) + "." + random.nextInt(10) + "x\r\nHost: x\r\n\r\n");
      case "bad-length" -> ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + badNumber() + "\r\n\r\nabc");
      case "bad-chunked" -> ascii("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + token(3)
          + "z\r\nabc\r\n0\r\n\r\n");
      case "space-in-name" -> ascii("GET / HTTP/1.1\r\nHost: x\r\nX Foo: 1\r\n\r\n");
      case "ctl-in-method" -> ascii("G" + ctl() + "T / HTTP/1.1\r\nHost: x\r\n\r\n");
      default -> throw new AssertionError(kind);
    });
  }

  /** 1..512 random bytes starting with a byte that cannot begin a method, then the end of a head. */
  private byte[] garbage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(random.nextInt(32)); // a control byte: no method starts like this
    byte[] rest = new byte[random.nextInt(512)];
    random.nextBytes(rest);
    out.writeBytes(rest);
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** A control character other than HTAB, CR and LF. */
  private char ctl() {
    char c;
    do {
      c = (char) (random.nextBoolean() ? random.nextInt(32) : 127);
    } while (c == '\t' || c == '\r' || c == '\n');
    return c;
  }

  private String token(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  private String badNumber() {
    return switch (random.nextInt(4)) {
      case 0 -> "-" + (1 + random.nextInt(100));
      case 1 -> token(3);
      case 2 -> "3, 4";
      default -> "99999999999999999999999";
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
