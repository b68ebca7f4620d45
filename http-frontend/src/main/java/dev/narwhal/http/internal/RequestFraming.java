package dev.narwhal.http.internal;

import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. The framing of the requests on one HTTP/1 connection, checked on the raw bytes
 * before Pekko HTTP's parser sees them ({@link RawFramingGuard}), for the leniencies of that parser
 * a request smuggler can use, since a proxy in front may frame the same bytes differently: each
 * is a {@link FramingViolation} (Content-Length wrap-around, {@code 1 1} or empty; empty field names,
 * whitespace before a colon, obs-fold; bare LF or CR; Transfer-Encoding other than a lone
 * {@code chunked}; chunk lines outside RFC 9112's grammar).
 *
 * <p>It scans each request head once, byte by byte, and skips each body by its framing: a
 * Content-Length body in one step, a chunked one by its chunk sizes, so that bytes inside a body
 * that look like a head are never taken for one. The bytes of a head are held back until the head
 * is complete and valid, so Pekko never sees part of a bad one; everything else passes through
 * unchanged (no copy). Empty lines before a request-line are dropped (section 2.2 lets a server
 * ignore them; Pekko would not). The first violation ends the scan for the connection.
 */
final class RequestFraming {
  /** Empty lines (CRLF) ignored before a request-line; more mean a client not speaking HTTP. */
  private static final int MAX_EMPTY_LINES = 4;
  /** Longer chunk sizes are refused: 15 hex digits cannot overflow a long. */
  private static final int MAX_CHUNK_SIZE_DIGITS = 15;
  /** Enough for any Content-Length or Transfer-Encoding value this class accepts, with its whitespace. */
  private static final int MAX_KEPT_VALUE = 64;
  /** A longer Content-Type is left to Pekko's parsed copy; so is one with bytes outside visible ASCII. */
  private static final int MAX_CONTENT_TYPE = 1024;

  private enum State {
    BETWEEN, LEADING_CR, REQUEST_LINE, REQUEST_LINE_CR, LINE_START, NAME, VALUE, VALUE_CR, END_CR,
    BODY, CHUNK_SIZE, CHUNK_EXT, CHUNK_SIZE_CR, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, REJECTED
  }

  private final long maxHead;
  /** Told of each head that passes. */
  private final HeadListener heads;
  private final HeadBudget.Account budget;
  private State state = State.BETWEEN;
  private FramingViolation violation;

  // the message being scanned
  private boolean trailer;
  private boolean firstField;
  private int emptyLines;
  private final RequestLine requestLine = new RequestLine();
  private final StringBuilder name = new StringBuilder();
  private final StringBuilder value = new StringBuilder();
  private boolean keepValue;
  private boolean keepContentType;
  /** The head's Content-Type value as sent; null while it has none, or none this scan can hand on. */
  private String contentType;
  private int contentTypeFields;
  private long contentLength = -1;
  private boolean transferEncoding;
  private boolean chunked;
  private long remaining;
  private int chunkSizeDigits;
  private boolean violatedInsideBody;
  private boolean violatedInTrailerValue;
  /** The current chunk-size line's bytes after its digits, checked against the chunk-ext grammar at its end. */
  private final ChunkExtension chunkExt = new ChunkExtension();

  // the bytes of the current chunk: [0, segmentStart) are decided; a head's bytes wait in held
  private ByteString out;
  private ByteString held = ByteString.emptyByteString();
  private int segmentStart;
  /** Whether this chunk had bytes dropped (empty lines before a request-line). */
  private boolean dropped;

  /** What Pekko's parsed request no longer shows of a head, told in order for every head handed to the parser. */
  interface HeadListener {
    /**
     * @param saidEmpty whether it carried {@code Content-Length: 0}
     * @param contentType its Content-Type value as sent (Pekko's parsed copy drops parameters it
     *     does not model, such as a form's charset), "" when it had none, null when unknown here
     */
    void headPassed(boolean saidEmpty, String contentType);
  }

  /** @param maxHead the largest head held back; more is answered 431 (Pekko's own limits sum, at least) */
  RequestFraming(long maxHead, HeadListener heads) {
    this(maxHead, heads, HeadBudget.UNLIMITED.account());
  }

  /** @param budget this connection's share of the bytes of incomplete heads the process holds */
  RequestFraming(long maxHead, HeadListener heads, HeadBudget.Account budget) {
    this.maxHead = maxHead;
    this.heads = heads;
    this.budget = budget;
  }

  /** The rule broken, once one is: from then on nothing more may reach the parser. */
  FramingViolation violation() {
    return violation;
  }

  /**
   * Scans the next bytes received; returns those the parser may have now (often {@code chunk}
   * itself). After a violation, returns the bytes before the bad message only.
   */
  ByteString feed(ByteString chunk) {
    if (state == State.REJECTED) {
      return ByteString.emptyByteString();
    }
    out = ByteString.emptyByteString();
    segmentStart = 0;
    boolean heldBefore = !held.isEmpty();
    dropped = false;
    int length = chunk.length();
    int i = 0;
    while (i < length) {
      if (state == State.BODY || state == State.CHUNK_DATA) {
        int skip = (int) Math.min(remaining, length - i);
        i += skip;
        remaining -= skip;
        if (remaining == 0) {
          state = state == State.BODY ? State.BETWEEN : State.CHUNK_DATA_CR;
        }
        continue;
      }
      FramingViolation broken = step(chunk, i, chunk.apply(i));
      if (broken != null) {
        reject(broken, chunk, i);
        return out;
      }
      i++;
    }
    ByteString rest = chunk.slice(segmentStart, length);
    if (inHead()) {
      held = held.concat(rest);
      if (held.length() > maxHead) {
        reject(FramingViolation.HEAD_TOO_LARGE, chunk, length);
      } else if (!budget.hold(held.length())) {
        reject(FramingViolation.HEADS_OVER_BUDGET, chunk, length);
      }
      return out;
    }
    budget.release();
    // the common case: every byte of the chunk goes on, in order; the chunk itself, not a rope of its slices
    return heldBefore || dropped ? out.concat(rest) : chunk;
  }

  /** The bytes still held when the client stops sending: an incomplete head, which the parser reports. */
  ByteString finish() {
    budget.release();
    ByteString rest = held;
    held = ByteString.emptyByteString();
    return state == State.REJECTED ? ByteString.emptyByteString() : rest;
  }

  /**
   * Whether the violation came inside a chunked body (a chunk line or the trailer section), whose
   * head the parser already has: no sentinel can end that message cleanly, so the guard breaks the
   * body instead, and it never completes.
   */
  boolean violatedInsideBody() {
    return violatedInsideBody;
  }

  /**
   * Whether the body broke inside a trailer field's value, where bytes appended would lengthen the
   * value up to the field-size limit instead of breaking the message: the line has to end first.
   */
  boolean violatedInTrailerValue() {
    return violatedInTrailerValue;
  }

  private boolean inHead() {
    return !trailer && switch (state) {
      case LEADING_CR, REQUEST_LINE, REQUEST_LINE_CR, LINE_START, NAME, VALUE, VALUE_CR, END_CR -> true;
      default -> false;
    };
  }

  /** The bytes before the bad message go; the held head and everything after do not. */
  private void reject(FramingViolation broken, ByteString chunk, int at) {
    violatedInsideBody = !inHead() && state != State.BETWEEN;
    violatedInTrailerValue = trailer && state == State.VALUE;
    if (!inHead()) {
      out = out.concat(chunk.slice(segmentStart, at)); // a body's bytes before the bad one
    }
    held = ByteString.emptyByteString();
    budget.release();
    violation = broken;
    state = State.REJECTED;
  }

  private FramingViolation step(ByteString chunk, int i, byte b) {
    switch (state) {
      case BETWEEN -> {
        // a new head begins: the body bytes before it go out, the head's are held until it is whole
        out = out.concat(chunk.slice(segmentStart, i));
        segmentStart = i;
        startMessage();
        if (b == '\r') {
          state = State.LEADING_CR;
        } else if (b == '\n') {
          return FramingViolation.BARE_LF;
        } else {
          state = State.REQUEST_LINE;
          requestLine.start();
          return requestLine.accept(b);
        }
      }
      case LEADING_CR -> {
        if (b != '\n') {
          return FramingViolation.BARE_CR;
        }
        if (++emptyLines > MAX_EMPTY_LINES) {
          return FramingViolation.TOO_MANY_EMPTY_LINES;
        }
        held = ByteString.emptyByteString(); // an ignored empty line: dropped
        dropped = true;
        segmentStart = i + 1;
        state = State.BETWEEN;
      }
      case REQUEST_LINE -> {
        if (b == '\r') {
          if (!requestLine.complete()) {
            return FramingViolation.INVALID_REQUEST_LINE;
          }
          state = State.REQUEST_LINE_CR;
        } else if (b == '\n') {
          return FramingViolation.BARE_LF;
        } else {
          return requestLine.accept(b);
        }
      }
      case REQUEST_LINE_CR -> {
        if (b != '\n') {
          return FramingViolation.BARE_CR;
        }
        state = State.LINE_START;
        firstField = true;
        emptyLines = 0;
      }
      case LINE_START -> {
        return lineStart(b);
      }
      case NAME -> {
        if (b == ':') {
          keepValue = !trailer && (FieldValues.nameIs(name, "content-length") || FieldValues.nameIs(name, "transfer-encoding"));
          keepContentType = !trailer && FieldValues.nameIs(name, "content-type");
          contentTypeFields += keepContentType ? 1 : 0;
          value.setLength(0);
          state = State.VALUE;
        } else if (FieldValues.isTchar(b)) {
          if (name.length() <= 17) {
            name.append((char) (b & 0xff));
          }
        } else {
          return b == '\n' ? FramingViolation.BARE_LF : FramingViolation.INVALID_FIELD_NAME;
        }
      }
      case VALUE -> {
        if (b == '\r') {
          state = State.VALUE_CR;
        } else if (b == '\n') {
          return FramingViolation.BARE_LF;
        } else if (b == 0) {
          return FramingViolation.NUL_IN_FIELD;
        } else if (keepValue) {
          if (value.length() == MAX_KEPT_VALUE) {
            return FieldValues.nameIs(name, "content-length") ? FramingViolation.INVALID_CONTENT_LENGTH : FramingViolation.UNSUPPORTED_TRANSFER_CODING;
          }
          value.append((char) (b & 0xff));
        } else if (keepContentType) {
          if (b < 0x20 && b != '\t' || b >= 0x7f || value.length() == MAX_CONTENT_TYPE) {
            keepContentType = false; // contentType stays null: not a value that can be handed on
          } else {
            value.append((char) b);
          }
        }
      }
      case VALUE_CR -> {
        if (b != '\n') {
          return FramingViolation.BARE_CR;
        }
        state = State.LINE_START;
        if (keepContentType) {
          contentType = value.toString().strip();
        }
        return keepValue ? framingField() : null;
      }
      case END_CR -> {
        if (b != '\n') {
          return FramingViolation.BARE_CR;
        }
        if (trailer) {
          state = State.BETWEEN; // the trailer section went out with the body it ends
          return null;
        }
        return endHead(chunk, i);
      }
      case CHUNK_SIZE -> {
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
          if (++chunkSizeDigits > MAX_CHUNK_SIZE_DIGITS) {
            return FramingViolation.MALFORMED_CHUNK;
          }
          remaining = remaining * 16 + digit;
        } else if (chunkSizeDigits > 0 && (b == ';' || b == ' ' || b == '\t')) {
          chunkExt.start(b);
          state = State.CHUNK_EXT;
        } else if (chunkSizeDigits > 0 && b == '\r') {
          state = State.CHUNK_SIZE_CR;
        } else {
          return b == '\n' ? FramingViolation.BARE_LF : FramingViolation.MALFORMED_CHUNK;
        }
      }
      case CHUNK_EXT -> {
        if (b == '\r') {
          if (!chunkExt.valid()) {
            return FramingViolation.MALFORMED_CHUNK;
          }
          state = State.CHUNK_SIZE_CR;
        } else if (b == '\n') {
          return FramingViolation.BARE_LF;
        } else if (b == 0 || !chunkExt.add(b)) {
          return FramingViolation.MALFORMED_CHUNK;
        }
      }
      case CHUNK_SIZE_CR -> {
        if (b != '\n') {
          return FramingViolation.BARE_CR;
        }
        if (remaining == 0) {
          trailer = true; // the last chunk: a trailer section follows, ended by an empty line
          firstField = false;
          state = State.LINE_START;
        } else {
          state = State.CHUNK_DATA;
        }
      }
      case CHUNK_DATA_CR -> {
        if (b != '\r') {
          return FramingViolation.MALFORMED_CHUNK;
        }
        state = State.CHUNK_DATA_LF;
      }
      case CHUNK_DATA_LF -> {
        if (b != '\n') {
          return FramingViolation.BARE_CR;
        }
        startChunk();
      }
      default -> throw new IllegalStateException(state.name());
    }
    return null;
  }

  private FramingViolation lineStart(byte b) {
    if (b == '\r') {
      state = State.END_CR;
    } else if (b == '\n') {
      return FramingViolation.BARE_LF;
    } else if (b == ' ' || b == '\t') {
      return firstField ? FramingViolation.WHITESPACE_BEFORE_FIRST_FIELD : FramingViolation.OBS_FOLD;
    } else if (b == ':') {
      return FramingViolation.EMPTY_FIELD_NAME;
    } else if (FieldValues.isTchar(b)) {
      firstField = false;
      name.setLength(0);
      name.append((char) (b & 0xff));
      state = State.NAME;
    } else {
      return FramingViolation.INVALID_FIELD_NAME;
    }
    return null;
  }

  /** A Content-Length or Transfer-Encoding field line has ended: its value, strictly. */
  private FramingViolation framingField() {
    String v = value.toString().strip();
    if (FieldValues.nameIs(name, "transfer-encoding")) {
      if (transferEncoding) {
        return FramingViolation.UNSUPPORTED_TRANSFER_CODING; // two fields: a coding list Pekko refuses
      }
      transferEncoding = true;
      FramingViolation coding = FieldValues.transferEncoding(v);
      chunked = coding == null;
      return coding;
    }
    long length = FieldValues.contentLength(v);
    if (length < 0) {
      return FramingViolation.INVALID_CONTENT_LENGTH;
    }
    // RFC 9110 section 8.6 lets a recipient merge identical repeated values; refusing any repeat
    // instead leaves nothing for a proxy in front to have read differently (which one, 11 or ' 11')
    if (contentLength >= 0) {
      return FramingViolation.CONFLICTING_CONTENT_LENGTH;
    }
    contentLength = length;
    return null;
  }

  /** The empty line after the fields: the head is whole, out it goes, and the body's framing is known. */
  private FramingViolation endHead(ByteString chunk, int i) {
    if (transferEncoding && contentLength >= 0) {
      return FramingViolation.CONTENT_LENGTH_WITH_TRANSFER_ENCODING;
    }
    if (transferEncoding && requestLine.isHttp10()) {
      return FramingViolation.TRANSFER_ENCODING_IN_HTTP_1_0;
    }
    // an empty value is a field the client sent: left to Pekko's copy, not taken for none
    heads.headPassed(contentLength == 0, contentTypeFields == 0 ? ""
        : contentTypeFields == 1 && contentType != null && !contentType.isEmpty() ? contentType : null);
    out = out.concat(held).concat(chunk.slice(segmentStart, i + 1));
    held = ByteString.emptyByteString();
    segmentStart = i + 1;
    if (chunked) {
      startChunk();
    } else if (contentLength > 0) {
      remaining = contentLength;
      state = State.BODY;
    } else {
      state = State.BETWEEN;
    }
    return null;
  }

  private void startMessage() {
    trailer = false;
    contentType = null;
    contentTypeFields = 0;
    contentLength = -1;
    transferEncoding = false;
    chunked = false;
  }

  private void startChunk() {
    remaining = 0;
    chunkSizeDigits = 0;
    state = State.CHUNK_SIZE;
  }
}
