package dev.narwhal.http.internal;

import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.MediaType;

/**
 * INTERNAL API. Whether the Content-Type the framing guard saw on a head may stand for the request
 * Pekko parsed from it. The guard's heads and Pekko's requests are paired by order alone, and a
 * request that took another head's value would carry a type its client never sent; so the value is
 * used only where it agrees with Pekko's parse (the same media type, or, where Pekko could not parse
 * it, the raw field Pekko kept), and Pekko's own copy stands otherwise.
 */
final class SentContentType {
  private SentContentType() {}

  /**
   * @param sent what the guard saw ("" for no field), empty where it saw no head (HTTP/2)
   * @param parsed Pekko's content type of the entity
   * @param headers the fields Pekko kept as headers (an unparsable Content-Type among them)
   * @return the value to give the application ("" for none), or null to use Pekko's
   */
  static String of(Optional<String> sent, ContentType parsed, Iterable<HttpHeader> headers) {
    if (sent.isEmpty()) {
      return null;
    }
    String value = sent.get();
    if (value.isEmpty()) {
      // no field: Pekko has none either, or the default it makes up for a body
      return parsed.equals(ContentTypes.NO_CONTENT_TYPE) || parsed.equals(ContentTypes.APPLICATION_OCTET_STREAM)
          ? "" : null;
    }
    if (!parsed.equals(ContentTypes.NO_CONTENT_TYPE) && mediaType(value).equals(name(parsed.mediaType()))) {
      return value;
    }
    for (HttpHeader h : headers) {
      if (h.is("content-type") && h.value().strip().equals(value)) {
        return value;
      }
    }
    return null;
  }

  private static String mediaType(String value) {
    int semicolon = value.indexOf(';');
    return (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  private static String name(MediaType media) {
    return (media.mainType() + "/" + media.subType()).toLowerCase(Locale.ROOT);
  }
}
