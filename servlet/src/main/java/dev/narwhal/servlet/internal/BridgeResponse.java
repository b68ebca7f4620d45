package dev.narwhal.servlet.internal;

import dev.narwhal.Response;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * An {@code HttpServletResponse} that becomes one Narwhal {@link Response} when the request is
 * done. Setters after the commit are ignored, as a streaming container would ignore them.
 */
final class BridgeResponse extends ResponseBase {
  private final WebApp app;
  private BridgeRequest request;
  private final ResponseOutput out = new ResponseOutput();
  private final List<String[]> headers = new ArrayList<>();
  private int status = 200;
  private String mediaType;
  private String charset;
  private Locale locale;
  private Integer errorStatus;
  private String errorMessage;

  BridgeResponse(WebApp app) {
    this.app = app;
  }

  void request(BridgeRequest request) {
    this.request = request;
  }

  /** The status sendError asked for, if the error page (or plain body) is still to be made. */
  Integer errorStatus() {
    return errorStatus;
  }

  String errorMessage() {
    return errorMessage;
  }

  /** Lets an error page write the body sendError closed; the status stays. */
  void reopenForErrorPage() {
    errorStatus = null;
    out.reopenForErrorPage();
    mediaType = null;
    charset = null;
  }

  /** For forward: once the target returns, the response is complete. */
  void closeOutput() {
    out.commit();
    out.close();
  }

  Response toNarwhal() {
    Response.Builder b = Response.status(status);
    for (String[] h : headers) {
      if (!h[0].equalsIgnoreCase("Content-Length") && !h[0].equalsIgnoreCase("Transfer-Encoding")) {
        b.header(h[0], h[1]);
      }
    }
    if (mediaType != null) {
      b.header("Content-Type", getContentType());
    }
    if (locale != null && !containsHeader("Content-Language")) {
      b.header("Content-Language", locale.toLanguageTag());
    }
    return b.body(out.bytes());
  }

  // ---- status, errors, redirects

  @Override
  public void setStatus(int sc) {
    if (!out.committed()) {
      this.status = sc;
    }
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void sendError(int sc, String msg) {
    if (out.committed()) {
      throw new IllegalStateException("sendError(" + sc + ") after the response was committed");
    }
    out.resetBuffer();
    status = sc;
    errorStatus = sc;
    errorMessage = msg;
    out.commit();
    out.close();
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) {
    if (out.committed()) {
      throw new IllegalStateException("sendRedirect after the response was committed");
    }
    if (clearBuffer) {
      out.resetBuffer();
    }
    status = sc;
    setHeader("Location", absolute(location));
    out.commit();
    out.close();
  }

  /** Location made absolute against the request's URL, as the spec asks of the container. */
  private String absolute(String location) {
    if (request == null || URI.create(location.replace(" ", "%20")).isAbsolute()) {
      return location;
    }
    return URI.create(request.getRequestURL().toString()).resolve(location.replace(" ", "%20")).toString();
  }

  // ---- headers

  @Override
  public void setHeader(String name, String value) {
    if (out.committed() || name == null) {
      return;
    }
    if (special(name, value)) {
      return;
    }
    headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    if (value != null) {
      headers.add(new String[] {name, value});
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (out.committed() || name == null || value == null || special(name, value)) {
      return;
    }
    headers.add(new String[] {name, value});
  }

  /** Content-Type and Content-Length set as headers go through their own setters. */
  private boolean special(String name, String value) {
    if (name.equalsIgnoreCase("Content-Type")) {
      setContentType(value);
      return true;
    }
    if (name.equalsIgnoreCase("Content-Length") && value != null) {
      setContentLengthLong(Long.parseLong(value.strip()));
      return true;
    }
    return false;
  }

  @Override
  public boolean containsHeader(String name) {
    return getHeader(name) != null;
  }

  @Override
  public String getHeader(String name) {
    if (name.equalsIgnoreCase("Content-Type")) {
      return getContentType();
    }
    return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
  }

  @Override
  public Collection<String> getHeaderNames() {
    Collection<String> names = new LinkedHashSet<>();
    headers.forEach(h -> names.add(h[0]));
    if (mediaType != null) {
      names.add("Content-Type");
    }
    return names;
  }

  // ---- content type, encoding, body

  @Override
  public void setContentType(String type) {
    if (out.committed()) {
      return;
    }
    if (type == null) {
      mediaType = null;
      if (!out.usingWriter()) {
        charset = null;
      }
      return;
    }
    int semi = type.indexOf(';');
    mediaType = (semi < 0 ? type : type.substring(0, semi)).strip();
    String cs = HttpText.charsetOf(type);
    if (cs != null && !out.usingWriter()) {
      charset = cs;
    }
  }

  @Override
  public String getContentType() {
    if (mediaType == null) {
      return null;
    }
    return charset == null ? mediaType : mediaType + ";charset=" + charset;
  }

  @Override
  public void setCharacterEncoding(String encoding) {
    if (!out.committed() && !out.usingWriter()) {
      charset = encoding;
    }
  }

  @Override
  public String getCharacterEncoding() {
    if (charset != null) {
      return charset;
    }
    if (mediaType != null && utf8ByDefinition(mediaType)) {
      return "UTF-8";
    }
    String fallback = app.context().getResponseCharacterEncoding();
    return fallback != null ? fallback : "ISO-8859-1";
  }

  /**
   * JSON is UTF-8 by definition (RFC 8259), and the front end sends its Content-Type without a
   * charset: so getWriter writes it as UTF-8, as Jetty does, not in the servlet default of
   * ISO-8859-1, which a client would have read as UTF-8 (mojibake past ASCII).
   */
  private static boolean utf8ByDefinition(String mediaType) {
    String type = mediaType.toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }

  @Override
  public ServletOutputStream getOutputStream() {
    return out.stream();
  }

  @Override
  public PrintWriter getWriter() {
    if (!out.usingWriter()) {
      charset = getCharacterEncoding(); // from now on part of the Content-Type, and fixed
    }
    return out.writer(Charset.forName(charset));
  }

  @Override
  public void setContentLengthLong(long len) {
    if (!out.committed()) {
      out.contentLength(len);
    }
  }

  @Override
  public void setBufferSize(int size) {
    out.bufferSize(size);
  }

  @Override
  public int getBufferSize() {
    return out.bufferSize();
  }

  @Override
  public void flushBuffer() {
    out.commit();
  }

  @Override
  public void resetBuffer() {
    out.resetBuffer();
  }

  @Override
  public boolean isCommitted() {
    return out.committed();
  }

  @Override
  public void reset() {
    out.reset();
    status = 200;
    headers.clear();
    mediaType = null;
    charset = null;
    locale = null;
  }

  @Override
  public void setLocale(Locale loc) {
    if (!out.committed()) {
      this.locale = loc;
    }
  }

  @Override
  public Locale getLocale() {
    return locale == null ? Locale.getDefault() : locale;
  }
}
