package dev.narwhal.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads every response a connection carries until the server closes it, checking each one's
 * framing as strictly as a client must rely on it: a status line {@code HTTP/1.1 NNN reason}, field
 * lines with a colon, and a body delimited by Content-Length, by chunked coding, or (only for the
 * last response) by the close. Interim 1xx responses are read and not counted as answers.
 */
public final class ResponseStream {
  /** How the connection ended. */
  public enum End { CLOSED, RESET, TIMED_OUT, MALFORMED }

  /** The final statuses in order, how the stream ended, and what was wrong if it was malformed. */
  public record Result(List<Integer> statuses, End end, String problem) {}

  private final InputStream in;
  private final Socket socket;
  private final long deadlineNanos;
  /** Set when the last response read ran to the close. */
  private boolean ended;

  private ResponseStream(Socket socket, long deadlineNanos) throws IOException {
    this.socket = socket;
    this.in = new java.io.BufferedInputStream(socket.getInputStream());
    this.deadlineNanos = deadlineNanos;
  }

  /** Malformed response, with what a client would have choked on. */
  private static final class Malformed extends Exception {
    Malformed(String problem) {
      super(problem, null, false, false);
    }
  }

  /**
   * Reads until the end of stream or the deadline. {@code headRequests} tells which answers have
   * no body whatever their headers say: answer {@code i} is to a HEAD when {@code headRequests[i]}.
   */
  public static Result read(Socket socket, long deadlineNanos, boolean[] headRequests) throws IOException {
    return new ResponseStream(socket, deadlineNanos).readAll(headRequests);
  }

  private Result readAll(boolean[] headRequests) {
    List<Integer> statuses = new ArrayList<>();
    try {
      while (true) {
        int first = next();
        if (first < 0) {
          return new Result(statuses, End.CLOSED, null);
        }
        boolean head = statuses.size() < headRequests.length && headRequests[statuses.size()];
        int status = response((byte) first, head);
        if (status >= 200) {
          statuses.add(status);
        }
        if (ended) { // a body that ran to the close, or a HEAD answer that closes: nothing follows
          return new Result(statuses, End.CLOSED, null);
        }
      }
    } catch (Malformed e) {
      return new Result(statuses, End.MALFORMED, e.getMessage());
    } catch (SocketTimeoutException e) {
      return new Result(statuses, End.TIMED_OUT, null);
    } catch (IOException e) {
      return new Result(statuses, End.RESET, e.getMessage());
    }
  }

  /** One response whose first byte is read; its status. */
  private int response(byte first, boolean head) throws IOException, Malformed {
    String statusLine = (char) (first & 0xff) + line();
    if (!statusLine.matches("HTTP/1\\.[01] [1-9][0-9][0-9] [\\x20-\\x7e\\t]*")) {
      throw new Malformed("status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(0, colon).strip().length() != colon) {
        throw new Malformed("field line: " + line);
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        if (length >= 0 || !value.matches("[0-9]{1,18}")) {
          throw new Malformed("Content-Length: " + value);
        }
        length = Long.parseLong(value);
      } else if (name.equals("connection")) {
        closes = value.equalsIgnoreCase("close");
      } else if (name.equals("transfer-encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
        if (!chunked) {
          throw new Malformed("Transfer-Encoding: " + value);
        }
      }
    }
    if (chunked && length >= 0) {
      throw new Malformed("both Content-Length and chunked");
    }
    if (head && closes) {
      // a HEAD the server could not parse is answered as any request, content included; harmless
      // since nothing can follow an answer with Connection: close, so the rest is skipped
      while (next() >= 0) {
        // to the close
      }
      ended = true;
      return status;
    }
    if (head || status < 200 || status == 204 || status == 304) {
      return status;
    }
    if (chunked) {
      for (long size = chunkSize(); size > 0; size = chunkSize()) {
        skip(size);
        if (!line().isEmpty()) {
          throw new Malformed("chunk not followed by CRLF");
        }
      }
      while (!line().isEmpty()) {
        // trailer fields
      }
    } else if (length >= 0) {
      skip(length);
    } else {
      while (next() >= 0) {
        // read to the close
      }
      ended = true;
    }
    return status;
  }

  private long chunkSize() throws IOException, Malformed {
    String line = line();
    int end = line.indexOf(';') < 0 ? line.length() : line.indexOf(';');
    String hex = line.substring(0, end).strip();
    if (!hex.matches("[0-9a-fA-F]{1,15}")) {
      throw new Malformed("chunk size: " + line);
    }
    return Long.parseLong(hex, 16);
  }

  private void skip(long n) throws IOException, Malformed {
    for (long i = 0; i < n; i++) {
      if (next() < 0) {
        throw new Malformed("body cut short by the close");
      }
    }
  }

  /** A CRLF-terminated line; a bare LF or the close inside it is malformed. */
  private String line() throws IOException, Malformed {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = next(); ; b = next()) {
      if (b < 0) {
        throw new Malformed("closed inside a response head");
      }
      if (b == '\r') {
        if (next() != '\n') {
          throw new Malformed("CR without LF");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b == '\n') {
        throw new Malformed("bare LF");
      }
      line.write(b);
      if (line.size() > 65536) {
        throw new Malformed("line over 64 KiB");
      }
    }
  }

  private int next() throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("deadline");
    }
    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    return in.read();
  }
}
