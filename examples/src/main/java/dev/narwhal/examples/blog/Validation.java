package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import java.util.Map;

/**
 * The blog's input rules in one place: what is too big for the server ({@code 413}, checked before
 * parsing) and what is wrong with a field ({@code 422}, one message per field).
 */
final class Validation {
  /**
   * Largest request body the blog reads. A post body may hold {@link PostInput#MAX_BODY}
   * characters, up to 4 bytes each in UTF-8, plus the title and the encoding's overhead; anything
   * beyond cannot be a valid post, so it is refused before any parsing.
   */
  static final int MAX_REQUEST_BYTES = 128 * 1024;

  private Validation() {}

  static void required(Map<String, String> problems, String field, String value, int maxChars) {
    if (value.isBlank()) {
      problems.put(field, field + " is required");
    } else if (value.codePointCount(0, value.length()) > maxChars) {
      problems.put(field, field + " must be at most " + maxChars + " characters");
    }
  }

  static <T> T orThrow(T input, Map<String, String> problems) {
    if (!problems.isEmpty()) {
      throw new HttpError(422, String.join("; ", problems.values()), problems, Map.of());
    }
    return input;
  }

  static void checkSize(int bodyBytes) {
    if (bodyBytes > MAX_REQUEST_BYTES) {
      throw new HttpError(413, "request body too large: " + bodyBytes + " bytes, at most "
          + MAX_REQUEST_BYTES + " accepted");
    }
  }

  /** The {@code page} query parameter: 1 when absent, else a positive whole number or a 400. */
  static int pageParam(Request request) {
    String raw = request.queryParam("page").orElse("1");
    try {
      int page = Integer.parseInt(raw);
      if (page >= 1) {
        return page;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the 400
    }
    throw HttpError.badRequest("page must be a whole number from 1, got '" + raw + "'");
  }
}
