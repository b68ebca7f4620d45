package dev.narwhal;

import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One cleartext HTTP/2 connection (prior knowledge) driven frame by frame, for what no client
 * library shows or does: how many streams the server lets a connection open, and when it closes
 * a connection that sends nothing.
 */
final class RawHttp2 implements AutoCloseable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int END_STREAM = 0x1;
  static final int END_HEADERS = 0x4;
  static final int ACK = 0x1;
  /** RFC 9113 section 7. */
  static final int REFUSED_STREAM = 0x7;
  static final int CANCEL = 0x8;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

  record Frame(int type, int flags, int stream, byte[] payload) {
    int errorCode() {
      return ByteBuffer.wrap(payload).getInt(type == GOAWAY ? 4 : 0);
    }

    /** A SETTINGS frame's value for {@code id}, or -1. */
    long setting(int id) {
      ByteBuffer b = ByteBuffer.wrap(payload);
      while (b.remaining() >= 6) {
        int key = b.getShort() & 0xffff;
        long value = b.getInt() & 0xffffffffL;
        if (key == id) {
          return value;
        }
      }
      return -1;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  /** The last GOAWAY the server sent, if it sent one. */
  private Frame goAway;

  /** Connects and sends the connection preface with empty SETTINGS. */
  RawHttp2(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    in = new DataInputStream(socket.getInputStream());
    OutputStream out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  /** A request's HEADERS, HPACK-coded by hand (static-table method and scheme, literal path). */
  void request(int stream, String method, String path, long contentLength, boolean endStream) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(method.equals("GET") ? 0x82 : 0x83); // :method GET / POST
    block.write(0x86); // :scheme http
    literal(block, 0x04, path); // :path
    literal(block, 0x01, "x"); // :authority
    if (contentLength >= 0) {
      literal(block, 0x1c, Long.toString(contentLength)); // content-length
    }
    frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
  }

  /**
   * A GET's HEADERS (ending the stream) with {@code fields}, name and value by turns, after the
   * pseudo-headers: each a literal with a new name, sent exactly as given.
   */
  void requestWith(int stream, String path, String... fields) throws IOException {
    requestMethod(stream, "GET", path, fields);
  }

  /** As {@link #requestWith}, with any method (a literal when not GET). */
  void requestMethod(int stream, String method, String path, String... fields) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    if (method.equals("GET")) {
      block.write(0x82); // :method GET
    } else {
      literal(block, 0x02, method); // :method's name from the static table
    }
    block.write(0x86); // :scheme http
    literal(block, 0x04, path);
    literal(block, 0x01, "x");
    for (int i = 0; i < fields.length; i += 2) {
      block.write(0x00); // literal without indexing, new name
      string(block, fields[i]);
      string(block, fields[i + 1]);
    }
    frame(HEADERS, END_HEADERS | END_STREAM, stream, block.toByteArray());
  }

  void data(int stream, byte[] bytes, boolean endStream) throws IOException {
    frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
  }

  void ping() throws IOException {
    frame(PING, 0, 0, new byte[8]);
  }

  void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(9);
    head.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    head.put((byte) type).put((byte) flags).putInt(stream);
    OutputStream out = socket.getOutputStream();
    out.write(head.array());
    out.write(payload);
    out.flush();
  }

  /** The next frame, acknowledging the server's SETTINGS on the way (and returning them); null at end of stream. */
  Frame read() throws IOException {
    byte[] head = new byte[9];
    try {
      in.readFully(head);
    } catch (EOFException | SocketException closed) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    int length = ((b.get() & 0xff) << 16) | ((b.get() & 0xff) << 8) | (b.get() & 0xff);
    Frame frame = new Frame(b.get() & 0xff, b.get() & 0xff, b.getInt() & 0x7fffffff, in.readNBytes(length));
    if (frame.type() == GOAWAY) {
      goAway = frame;
    }
    if (frame.type() == SETTINGS && (frame.flags() & ACK) == 0) {
      frame(SETTINGS, ACK, 0, new byte[0]);
    }
    return frame;
  }

  /**
   * curl's view of one request to {@code path} over cleartext HTTP/2 (prior knowledge): it fails
   * (exit 92) on a response RFC 9113 calls malformed, which is what the tests using it look for.
   * {@code show} is -i (headers and body) or -I (a HEAD, headers only).
   */
  static TestCerts.Result curl(TestServer t, String show, String path) throws Exception {
    TestCerts.assumeTool("curl");
    return TestCerts.run(java.util.List.of("curl", "-s", "-S", show, "--max-time", "10", "--http2-prior-knowledge",
        "http://127.0.0.1:" + t.server.port() + path));
  }

  /** The last GOAWAY read so far (by any of the reading methods), or null. */
  Frame goAway() {
    return goAway;
  }

  /** Reads until a frame of {@code type} (any when negative) on {@code stream} (any when negative); null if the connection ends first. */
  Frame readUntil(int type, int stream) throws IOException {
    for (Frame f = read(); f != null; f = read()) {
      if ((type < 0 || f.type() == type) && (stream < 0 || f.stream() == stream)) {
        return f;
      }
    }
    return null;
  }

  /** Reads frames until the server closes the connection; true once it has (false: still open after 15 s). */
  boolean closedByServer() throws IOException {
    try {
      while (read() != null) {
        // a GOAWAY, or answers still in flight, come before the end
      }
      return true;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    }
  }

  /**
   * Whether the server closes the connection within {@code limit}, reading (and discarding) what it
   * sends meanwhile; with {@code pinging}, a PING goes out every 200 ms as a client keeping the
   * connection alive would send.
   */
  boolean closedWithin(java.time.Duration limit, boolean pinging) throws IOException {
    socket.setSoTimeout(200);
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (pinging) {
        try {
          ping();
        } catch (IOException closed) {
          return true;
        }
      }
      try {
        while (read() != null) {
          // answers, PING acknowledgements, a GOAWAY: all before the end
        }
        return true;
      } catch (java.net.SocketTimeoutException quiet) {
        // still open
      }
    }
    return false;
  }

  /**
   * The {@code :status} of a response HEADERS frame, decoded as far as a status needs: the first
   * field, indexed (static table) or a literal with {@code :status}'s name, Huffman-coded or not.
   */
  static int status(Frame headers) {
    byte[] p = headers.payload();
    int first = p[0] & 0xff;
    if ((first & 0x80) != 0) {
      return switch (first & 0x7f) {
        case 8 -> 200; case 9 -> 204; case 10 -> 206; case 11 -> 304; case 12 -> 400; case 13 -> 404; case 14 -> 500;
        default -> throw new IllegalStateException("not a :status field: " + first);
      };
    }
    int length = p[1] & 0x7f;
    if ((p[1] & 0x80) == 0) {
      return Integer.parseInt(new String(p, 2, length, StandardCharsets.ISO_8859_1));
    }
    // Huffman (RFC 7541 appendix B), digits only: 0-2 take 5 bits, 3-9 take 6 (011001 for 3 onwards)
    StringBuilder digits = new StringBuilder();
    long bits = 0;
    int count = 0;
    for (int i = 0; i < length; i++) {
      bits = (bits << 8) | (p[2 + i] & 0xff);
      count += 8;
      while (count >= 5 && digits.length() < 3) {
        int five = (int) (bits >>> (count - 5)) & 0x1f;
        if (five <= 2) {
          digits.append(five);
          count -= 5;
        } else if (count >= 6) {
          digits.append(((int) (bits >>> (count - 6)) & 0x3f) - 0x19 + 3);
          count -= 6;
        } else {
          break;
        }
      }
    }
    return Integer.parseInt(digits.toString());
  }

  private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
    // literal without indexing, indexed name: a 4-bit prefix, then RFC 7541 section 5.1's continuation
    if (nameIndex < 0x0f) {
      block.write(nameIndex);
    } else {
      block.write(0x0f);
      block.write(nameIndex - 0x0f);
    }
    string(block, value);
  }

  /** A string literal without Huffman coding: RFC 7541 section 5.2, its length an integer of 7-bit prefix. */
  private static void string(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
    if (bytes.length < 0x7f) {
      block.write(bytes.length);
    } else {
      block.write(0x7f);
      int rest = bytes.length - 0x7f;
      for (; rest >= 0x80; rest >>>= 7) {
        block.write((rest & 0x7f) | 0x80);
      }
      block.write(rest);
    }
    block.write(bytes, 0, bytes.length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
