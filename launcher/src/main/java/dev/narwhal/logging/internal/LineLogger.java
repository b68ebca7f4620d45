package dev.narwhal.logging.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * INTERNAL API. An output stream that turns each line written to it into one log call, for
 * {@code capture-output}. Lines are collected per thread, so two workers printing at once never
 * interleave inside a line; {@code flush} is ignored, because {@code PrintStream} flushes after
 * every {@code print} and a half line is not a log line.
 */
final class LineLogger extends OutputStream {
  /** A line longer than this is logged in pieces rather than held in memory. */
  private static final int MAX_LINE = 16 * 1024;

  private final Consumer<String> log;
  private final ThreadLocal<ByteArrayOutputStream> line = ThreadLocal.withInitial(ByteArrayOutputStream::new);

  LineLogger(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void write(int b) {
    ByteArrayOutputStream buffer = line.get();
    if (b == '\n') {
      emit(buffer);
      return;
    }
    buffer.write(b);
    if (buffer.size() >= MAX_LINE) {
      emit(buffer);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public void close() {
    ByteArrayOutputStream buffer = line.get();
    if (buffer.size() > 0) {
      emit(buffer);
    }
  }

  private void emit(ByteArrayOutputStream buffer) {
    String text = buffer.toString(StandardCharsets.UTF_8);
    buffer.reset();
    log.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
  }
}
