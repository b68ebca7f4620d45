package dev.narwhal.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. Collects a request body: in memory up to {@code threshold} bytes, and once it is
 * larger (or from the first byte, when a Content-Length already says it will be) in a file in
 * {@code worker-tmp-dir}, so that a large upload does not sit in the heap.
 *
 * <p>The file is the caller's to delete once the request is answered ({@link Body#discard()});
 * when reading fails (a body over the limit, a pause past body-timeout, a client that goes away)
 * the spool deletes it itself. Writes block, so {@link BodyReader} runs this stage on Pekko's
 * blocking-I/O dispatcher, never on the dispatcher that parses requests.
 */
final class BodySpool extends AbstractGraphStageWithMaterializedValue<SinkShape<ByteString>, CompletionStage<BodySpool.Body>> {
  /** Every spool file is named {@code narwhal-body-PID-*.tmp}: the PID says whose it is. */
  private static final String PREFIX = "narwhal-body-";
  private static final Pattern SPOOL_FILE = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*\\.tmp");
  /** A body read in full: {@code bytes} in memory, or {@code size} bytes in {@code file}. */
  record Body(ByteString bytes, Path file, long size) {
    static Body inMemory(ByteString bytes) {
      return new Body(bytes, null, bytes.size());
    }

    /** Deletes the file, if there is one; safe to call more than once. */
    void discard() {
      if (file != null) {
        deleteQuietly(file);
      }
    }
  }

  private final Inlet<ByteString> in = Inlet.create("BodySpool.in");
  private final SinkShape<ByteString> shape = SinkShape.of(in);
  private final Path dir;
  private final long threshold;
  private final boolean spoolAtOnce;

  /**
   * @param dir where the file goes
   * @param threshold the most bytes kept in memory
   * @param spoolAtOnce true when the body is known to be larger than {@code threshold}
   */
  BodySpool(Path dir, long threshold, boolean spoolAtOnce) {
    this.dir = dir;
    this.threshold = threshold;
    this.spoolAtOnce = spoolAtOnce;
  }

  @Override
  public SinkShape<ByteString> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, CompletionStage<Body>> createLogicAndMaterializedValuePair(Attributes attributes) {
    CompletableFuture<Body> result = new CompletableFuture<>();
    GraphStageLogic logic = new GraphStageLogic(shape) {
      private ByteString memory = ByteString.emptyByteString();
      private long size;
      private Path file;
      private FileChannel channel;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            size += chunk.size();
            try {
              if (channel == null && size > threshold) {
                open();
              }
              if (channel != null) {
                write(chunk);
              } else {
                memory = memory.concat(chunk);
              }
            } catch (IOException e) {
              fail(e);
              return;
            }
            pull(in);
          }

          @Override
          public void onUpstreamFailure(Throwable cause) {
            fail(cause); // 413, 408 or a client gone: the cause decides the answer
          }

          @Override
          public void onUpstreamFinish() {
            try {
              if (channel != null) {
                channel.close();
              }
            } catch (IOException e) {
              fail(e);
              return;
            }
            result.complete(channel == null ? Body.inMemory(memory) : new Body(ByteString.emptyByteString(), file, size));
            completeStage();
          }
        });
      }

      @Override
      public void preStart() {
        try {
          if (spoolAtOnce) {
            open();
          }
        } catch (IOException e) {
          fail(e);
          return;
        }
        pull(in);
      }

      private void fail(Throwable cause) {
        discard();
        result.completeExceptionally(cause);
        failStage(cause);
      }

      /** Runs however the stage ends: a body that did not complete must leave no file behind. */
      @Override
      public void postStop() {
        if (!result.isDone()) {
          discard();
          result.completeExceptionally(new AbruptStageTerminationException(this));
        }
      }

      private void discard() {
        closeQuietly();
        if (file != null) {
          deleteQuietly(file);
        }
      }

      private void open() throws IOException {
        // createTempFile makes the file readable by its owner only (POSIX)
        file = Files.createTempFile(dir, PREFIX + ProcessHandle.current().pid() + "-", ".tmp");
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        write(memory);
        memory = null;
      }

      private void write(ByteString bytes) throws IOException {
        for (ByteBuffer buffer : bytes.getByteBuffers()) {
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        }
      }

      private void closeQuietly() {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException ignored) {
            // the file is deleted next; nothing more to do
          }
        }
      }
    };
    return Pair.create(logic, result);
  }

  /**
   * Deletes the spool files in {@code dir} of servers that are no longer running: a JVM killed
   * mid-request (kill -9, OOM) never deletes its own, and with a RAM-backed worker-tmp-dir such as
   * /dev/shm they would hold memory until reboot. Files of live processes, other servers sharing
   * the directory included, are left alone.
   *
   * @return how many files were deleted
   */
  static int deleteOrphans(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*.tmp")) {
      for (Path file : files) {
        Matcher name = SPOOL_FILE.matcher(file.getFileName().toString());
        if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
          deleteQuietly(file);
          deleted++;
        }
      }
    } catch (IOException | NumberFormatException | DirectoryIteratorException unreadable) {
      // an unreadable directory fails the first spool with a clear error; the sweep is only a courtesy
    }
    return deleted;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // worker-tmp-dir became unwritable under us; nothing better to do than leave the file
    }
  }
}
