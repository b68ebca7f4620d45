package dev.narwhal.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;

/**
 * A response body and its buffer. Narwhal sends a response whole, once the handler returns, so
 * every byte is kept; the buffer size only decides when the response counts as committed
 * ({@code isCommitted}), after which headers and status no longer change and {@code reset} fails,
 * as in a streaming container.
 */
final class ResponseOutput {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private int bufferSize = 8192;
  private boolean committed;
  /** After sendError, sendRedirect, a forward, or the declared content length: writes are dropped. */
  private boolean closed;
  private long contentLength = -1;
  private ServletOutputStream stream;
  /** Writes straight through to the body (PrintWriter adds no buffer of its own over a Writer). */
  private PrintWriter writer;

  void write(byte[] b, int off, int len) {
    if (closed) {
      return;
    }
    if (contentLength >= 0 && bytes.size() + (long) len >= contentLength) {
      len = (int) Math.max(0, contentLength - bytes.size());
      bytes.write(b, off, len);
      committed = true;
      closed = true;
      return;
    }
    bytes.write(b, off, len);
    if (bytes.size() > bufferSize) {
      committed = true;
    }
  }

  byte[] bytes() {
    return bytes.toByteArray();
  }

  int size() {
    return bytes.size();
  }

  boolean committed() {
    return committed;
  }

  void commit() {
    committed = true;
  }

  boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  /** Opens the response again for the container's error page after sendError. */
  void reopenForErrorPage() {
    bytes.reset();
    committed = false;
    closed = false;
    contentLength = -1;
    stream = null;
    writer = null;
  }

  void contentLength(long length) {
    this.contentLength = length;
  }

  int bufferSize() {
    return bufferSize;
  }

  void bufferSize(int size) {
    if (committed || bytes.size() > 0) {
      throw new IllegalStateException("setBufferSize after content was written");
    }
    this.bufferSize = Math.max(size, 0);
  }

  /** Drops the body written so far; the stream or writer chosen stays chosen. */
  void resetBuffer() {
    if (committed) {
      throw new IllegalStateException("resetBuffer after the response was committed");
    }
    bytes.reset();
  }

  /** reset(): the stream-or-writer choice is forgotten too. */
  void reset() {
    resetBuffer();
    stream = null;
    writer = null;
  }

  boolean usingWriter() {
    return writer != null;
  }

  ServletOutputStream stream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() was already called for this response");
    }
    if (stream == null) {
      stream = new Stream();
    }
    return stream;
  }

  PrintWriter writer(Charset charset) {
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() was already called for this response");
    }
    if (writer == null) {
      writer = new PrintWriter(new EncodingWriter(charset), false);
    }
    return writer;
  }

  private final class Stream extends ServletOutputStream {
    @Override
    public void write(int b) {
      ResponseOutput.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ResponseOutput.this.write(b, off, len);
    }

    @Override
    public void flush() {
      commit();
    }

    @Override
    public void close() {
      ResponseOutput.this.close();
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      throw new IllegalStateException("non-blocking writes (setWriteListener) need async mode, which "
          + "narwhal-servlet does not support");
    }
  }

  /**
   * Encodes characters straight into the body, so the byte count (and so isCommitted) is right at
   * every moment; a high surrogate waits for its low half.
   */
  private final class EncodingWriter extends Writer {
    private final Charset charset;
    private char pendingHigh;

    EncodingWriter(Charset charset) {
      this.charset = charset;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      if (len == 0) {
        return;
      }
      StringBuilder text = new StringBuilder(len + 1);
      if (pendingHigh != 0) {
        text.append(pendingHigh);
        pendingHigh = 0;
      }
      text.append(cbuf, off, len);
      char last = text.charAt(text.length() - 1);
      if (Character.isHighSurrogate(last)) {
        pendingHigh = last;
        text.setLength(text.length() - 1);
      }
      byte[] encoded = text.toString().getBytes(charset);
      ResponseOutput.this.write(encoded, 0, encoded.length);
    }

    @Override
    public void flush() {
      commit();
    }

    @Override
    public void close() {
      ResponseOutput.this.close();
    }
  }
}
