package dev.narwhal.http.internal;

import dev.narwhal.http.internal.BodySpool.Body;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * INTERNAL API. Reads a request body in full before any worker sees the request, with
 * {@code body-timeout} as the longest pause allowed between two pieces of it,
 * {@code body-total-timeout} as the longest it may take in all, its bytes counted against
 * {@code max-body-buffer} ({@link BodyBudget}), and with bodies over {@code body-spool-threshold}
 * spooled to {@code worker-tmp-dir} ({@link BodySpool}).
 *
 * <p>The size limit ({@code limit-request-body}) is set as Pekko's parsing.max-content-length, and
 * on HTTP/1 the entity's byte stream fails with an {@code EntityStreamSizeException} at once when a
 * declared Content-Length is over it, or as soon as a chunked body grows past it. Pekko applies no
 * such limit to HTTP/2 bodies (nor keeps their declared length), so the bytes are counted here too
 * and fail the same way once past it. A pause past the timeout, or a body past the total one, fails
 * it with a {@code TimeoutException}. {@link FramingGuard#unreadableBody} turns those into 413 and 408.
 *
 * <p>Only streamed entities come here. A body Pekko already holds in full, because it arrived in
 * the same read as the head (kilobytes, never near the spool threshold's default), is dispatched
 * as it is, in memory.
 */
final class BodyReader {
  private final Duration bodyTimeout;
  private final Duration totalTimeout;
  private final long limit;
  private final long spoolThreshold;
  private final Path spoolDir;
  private final Materializer materializer;

  /**
   * @param bodyTimeout the longest silence while reading a body; zero for none
   * @param totalTimeout the longest a whole body may take; zero for none
   * @param limit limit-request-body, the largest body taken; zero for none
   * @param spoolThreshold bodies larger than this go to a file in {@code spoolDir}; zero for never
   */
  BodyReader(Duration bodyTimeout, Duration totalTimeout, long limit, long spoolThreshold, Path spoolDir,
      Materializer materializer) {
    this.bodyTimeout = bodyTimeout;
    this.totalTimeout = totalTimeout;
    this.limit = limit;
    this.spoolThreshold = spoolThreshold;
    this.spoolDir = spoolDir;
    this.materializer = materializer;
  }

  /**
   * The whole body of a streamed entity; a spooled one must be discarded once answered. Its bytes
   * are reserved in {@code budget} before they are kept: all at once when Content-Length announces
   * them (so a body that will not fit is refused before any of it is read), else chunk by chunk.
   * Fails with {@link BodyBudget.Exhausted} when the budget cannot take them.
   */
  CompletionStage<Body> read(HttpEntity entity, BodyBudget.Reservation budget) {
    OptionalLong length = entity.getContentLengthOption();
    if (length.isPresent() && !budget.reserve(length.getAsLong())) {
      return CompletableFuture.failedFuture(new BodyBudget.Exhausted());
    }
    Source<ByteString, ?> bytes = entity.getDataBytes();
    if (!bodyTimeout.isZero()) {
      bytes = bytes.idleTimeout(bodyTimeout);
    }
    if (!totalTimeout.isZero()) {
      // a TimeoutException, like idleTimeout's: 408, and the spool deletes its file
      bytes = bytes.completionTimeout(totalTimeout);
    }
    if (limit > 0) {
      long[] taken = {0}; // this body's own count: the source is built for each request
      bytes = bytes.map(chunk -> {
        taken[0] += chunk.size();
        if (taken[0] > limit) {
          throw new EntityStreamSizeException(limit, Option.apply(taken[0]));
        }
        return chunk;
      });
    }
    if (length.isEmpty()) {
      bytes = bytes.map(chunk -> {
        if (!budget.reserve(chunk.size())) {
          throw new BodyBudget.Exhausted();
        }
        return chunk;
      });
    }
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
