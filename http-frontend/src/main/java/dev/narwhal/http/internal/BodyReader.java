package dev.narwhal.http.internal;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. Reads a request body in full before any worker sees the request, with
 * {@code body-timeout} as the longest pause allowed between two pieces of it.
 *
 * <p>The size limit ({@code limit-request-body}) is Pekko's: it is set as parsing.max-content-length,
 * and the entity's byte stream fails with an {@code EntityStreamSizeException} at once when a
 * declared Content-Length is over it, or as soon as a chunked body grows past it. A pause past the
 * timeout fails it with a {@code TimeoutException}. {@link FramingGuard#unreadableBody} turns those
 * into 413 and 408.
 */
final class BodyReader {
  private final Duration bodyTimeout;
  private final Materializer materializer;

  /** @param bodyTimeout the longest silence while reading a body; zero for none */
  BodyReader(Duration bodyTimeout, Materializer materializer) {
    this.bodyTimeout = bodyTimeout;
    this.materializer = materializer;
  }

  /** The whole body, read from a streamed entity. */
  CompletionStage<HttpEntity.Strict> read(HttpEntity entity) {
    Source<ByteString, ?> bytes = entity.getDataBytes();
    if (!bodyTimeout.isZero()) {
      bytes = bytes.idleTimeout(bodyTimeout);
    }
    return bytes.runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
        .thenApply(all -> HttpEntities.create(entity.getContentType(), all));
  }
}
