package dev.narwhal.http.internal;

import java.util.regex.Pattern;

/** INTERNAL API. The bytes after a chunk size, up to its CRLF, as {@link RequestFraming} sees them arrive. */
final class ChunkExtension {
  /**
   * RFC 9112 section 7.1.1: {@code chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] )}, the
   * value a token or a quoted-string. Anything else after the size ({@code 5\t}, {@code 5 x}) is
   * read by some parsers as part of the size and skipped by others, so it is refused.
   */
  private static final Pattern CHUNK_EXT = Pattern.compile(
      "([ \\t]*;[ \\t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+([ \\t]*=[ \\t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+"
          + "|\"[\\t !#-\\[\\]-~\\x80-\\xff]*+(?:\\\\[\\t -~\\x80-\\xff][\\t !#-\\[\\]-~\\x80-\\xff]*+)*+\"))?)*");
  /** Longer extensions are refused, as Pekko's own max-chunk-ext-length (256) would. */
  private static final int MAX_CHUNK_EXT = 256;

  private final StringBuilder bytes = new StringBuilder();

  /** The first byte after the size: {@code ;} or whitespace. */
  void start(byte b) {
    bytes.setLength(0);
    bytes.append((char) (b & 0xff));
  }

  /** One more byte; false when the extension has grown past what is accepted. */
  boolean add(byte b) {
    if (bytes.length() >= MAX_CHUNK_EXT) {
      return false;
    }
    bytes.append((char) (b & 0xff));
    return true;
  }

  /** At the line's CR: whether what came after the size is extensions by the grammar. */
  boolean valid() {
    return CHUNK_EXT.matcher(bytes).matches();
  }
}
