package dev.narwhal.http.internal;

import dev.narwhal.http.internal.BodySpool.Body;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. Reads a request body in full before any worker sees the request, with
 * {@code body-timeout} as the longest pause allowed between two pieces of it, and with bodies over
 * {@code body-spool-threshold} spooled to {@code worker-tmp-dir} ({@link BodySpool}).
 *
 * <p>The size limit ({@code limit-request-body}) is Pekko's: it is set as parsing.max-content-length,
 * and the entity's byte stream fails with an {@code EntityStreamSizeException} at once when a
 * declared Content-Length is over it, or as soon as a chunked body grows past it. A pause past the
 * timeout fails it with a {@code TimeoutException}. {@link FramingGuard#unreadableBody} turns those
 * into 413 and 408.
 *
 * <p>Only streamed entities come here. A body Pekko already holds in full, because it arrived in
 * the same read as the head (kilobytes, never near the spool threshold's default), is dispatched
 * as it is, in memory.
 */
final class BodyReader {
  private final Duration bodyTimeout;
  private final long spoolThreshold;
  private final Path spoolDir;
  private final Materializer materializer;

  /**
   * @param bodyTimeout the longest silence while reading a body; zero for none
   * @param spoolThreshold bodies larger than this go to a file in {@code spoolDir}; zero for never
   */
  BodyReader(Duration bodyTimeout, long spoolThreshold, Path spoolDir, Materializer materializer) {
    this.bodyTimeout = bodyTimeout;
    this.spoolThreshold = spoolThreshold;
    this.spoolDir = spoolDir;
    this.materializer = materializer;
  }

  /** The whole body of a streamed entity; a spooled one must be discarded once answered. */
  CompletionStage<Body> read(HttpEntity entity) {
    Source<ByteString, ?> bytes = entity.getDataBytes();
    if (!bodyTimeout.isZero()) {
      bytes = bytes.idleTimeout(bodyTimeout);
    }
    OptionalLong length = entity.getContentLengthOption();
    if (spoolThreshold == 0 || (length.isPresent() && length.getAsLong() <= spoolThreshold)) {
      // known to fit: no spool, and no hop to another dispatcher
      return bytes.runFold(ByteString.emptyByteString(), ByteString::concat, materializer).thenApply(Body::inMemory);
    }
    // over the threshold, or chunked and so perhaps: file writes block, so the spool gets its own
    // island on the blocking-I/O dispatcher
    Sink<ByteString, CompletionStage<Body>> spool = Sink.fromGraph(new BodySpool(spoolDir, spoolThreshold, length.isPresent()))
        .withAttributes(ActorAttributes.dispatcher(ActorAttributes.IODispatcher().dispatcher()))
        .async();
    return bytes.runWith(spool, materializer);
  }
}
