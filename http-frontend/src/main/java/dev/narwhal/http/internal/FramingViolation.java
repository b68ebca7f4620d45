package dev.narwhal.http.internal;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. A framing rule of RFC 9110/9112 a request broke on its raw bytes
 * ({@link RequestFraming}): the answer's status and reason. Named to {@link ParsingErrors} through
 * a sentinel request line that Pekko's parser refuses.
 */
enum FramingViolation {
  BARE_LF(400, "Line ending without CR (bare LF)"),
  INVALID_REQUEST_LINE(400, "Invalid request-line"),
  UNSUPPORTED_SCHEME(400, "Invalid request-target: unsupported scheme"),
  BARE_CR(400, "CR not followed by LF"),
  WHITESPACE_BEFORE_FIRST_FIELD(400, "Whitespace between the request-line and the first field line"),
  OBS_FOLD(400, "Folded field line (obs-fold)"),
  EMPTY_FIELD_NAME(400, "Field line with an empty name"),
  INVALID_FIELD_NAME(400, "Invalid character in a field name (whitespace before the colon?)"),
  NUL_IN_FIELD(400, "NUL in a field value"),
  INVALID_CONTENT_LENGTH(400, "Invalid Content-Length"),
  CONFLICTING_CONTENT_LENGTH(400, "Repeated Content-Length"),
  CONTENT_LENGTH_WITH_TRANSFER_ENCODING(400, "Content-Length together with Transfer-Encoding"),
  TRANSFER_ENCODING_IN_HTTP_1_0(400, "Transfer-Encoding in an HTTP/1.0 request"),
  CHUNKED_NOT_FINAL(400, "Invalid Transfer-Encoding: chunked is not the final coding"),
  UNSUPPORTED_TRANSFER_CODING(501, "Unsupported transfer coding"),
  MALFORMED_CHUNK(400, "Malformed chunked body framing"),
  TOO_MANY_EMPTY_LINES(400, "Too many empty lines before the request-line"),
  HEAD_TOO_LARGE(431, "Request head too large"),
  /** Within the limits, but the process holds as many large incomplete heads as it may (HeadBudget). */
  HEADS_OVER_BUDGET(503, "Too many large request heads at once");

  /** An unknown method, short enough for Pekko's max-method-length (16): it answers 501 with the method as detail. */
  static final String SENTINEL_PREFIX = "NARWHAL-";

  final int status;
  final String reason;

  FramingViolation(int status, String reason) {
    this.status = status;
    this.reason = reason;
  }

  /** The request Pekko's parser is handed instead of a bad one: it refuses it, and {@link ParsingErrors} names the rule. */
  ByteString sentinel() {
    return ByteString.fromString(SENTINEL_PREFIX + ordinal() + " / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);
  }

  /** The rule a sentinel method stands for, if it is one. */
  static FramingViolation fromSentinel(String method) {
    if (!method.startsWith(SENTINEL_PREFIX)) {
      return null;
    }
    try {
      int ordinal = Integer.parseInt(method.substring(SENTINEL_PREFIX.length()));
      return ordinal >= 0 && ordinal < values().length ? values()[ordinal] : null;
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }
}
