package dev.narwhal.servlet.internal;

import dev.narwhal.Request;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's body and parameters: the input stream or reader (one or the other), the character
 * encoding, and the parameters of the query and of an urlencoded form body, in order.
 *
 * <p>As the spec says, a form body read through the stream or reader first is no longer parsed
 * into parameters, and parameters read first leave the stream empty.
 */
final class RequestBody {
  private final Request request;
  private String encoding;
  private Map<String, List<String>> parameters;
  private ServletInputStream stream;
  private BufferedReader reader;

  RequestBody(Request request, String defaultEncoding) {
    this.request = request;
    String declared = HttpText.charsetOf(request.header("Content-Type").orElse(null));
    this.encoding = declared != null ? declared : defaultEncoding;
  }

  String encoding() {
    return encoding;
  }

  /** The charset bodies are decoded with: the declared one, else UTF-8 (what browsers send). */
  Charset charset() {
    return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
  }

  void encoding(String name) throws UnsupportedEncodingException {
    if (reader != null || parameters != null) {
      return; // too late, as the spec says: ignored
    }
    if (name == null) {
      this.encoding = null;
      return;
    }
    try {
      Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new UnsupportedEncodingException(name);
    }
    this.encoding = name;
  }

  ServletInputStream inputStream() {
    if (reader != null) {
      throw new IllegalStateException("getReader() was already called for this request");
    }
    if (stream == null) {
      stream = new BodyStream(parameters != null && isForm() ? InputStream.nullInputStream() : request.bodyStream());
    }
    return stream;
  }

  BufferedReader reader() {
    if (stream != null) {
      throw new IllegalStateException("getInputStream() was already called for this request");
    }
    if (reader == null) {
      InputStream in = parameters != null && isForm() ? InputStream.nullInputStream() : request.bodyStream();
      reader = new BufferedReader(new InputStreamReader(in, charset()));
    }
    return reader;
  }

  /** A form body is read as parameters for POST only, as the Servlet spec and Tomcat's parseBodyMethods say. */
  boolean isForm() {
    return request.method().equals("POST")
        && "application/x-www-form-urlencoded".equals(HttpText.mediaTypeOf(request.header("Content-Type").orElse(null)));
  }

  /** Query parameters first, then the form body's, repeated names kept in order. */
  Map<String, List<String>> parameters() {
    if (parameters == null) {
      Map<String, List<String>> all = new LinkedHashMap<>();
      HttpText.parseForm(request.query(), StandardCharsets.UTF_8, all);
      if (isForm() && stream == null && reader == null) {
        HttpText.parseForm(new String(request.body(), charset()), charset(), all);
      }
      parameters = all;
    }
    return parameters;
  }

  /** The body as a servlet stream; blocking only, since the whole body is already here. */
  private static final class BodyStream extends ServletInputStream {
    private final InputStream in;
    private boolean finished;

    BodyStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      finished = b < 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      finished = n < 0;
      return n;
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public boolean isFinished() {
      return finished;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
      throw new IllegalStateException("non-blocking reads (setReadListener) need async mode, which "
          + "narwhal-servlet does not support: the body is complete before the servlet runs; read it blocking");
    }
  }
}
