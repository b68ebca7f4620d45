package dev.narwhal.servlet.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The response methods that are other methods in another form: typed headers, cookies, URLs. */
abstract class ResponseBase implements HttpServletResponse {
  @Override
  public void setDateHeader(String name, long date) {
    setHeader(name, HttpText.formatDate(date));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, HttpText.formatDate(date));
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  @Override
  public void addCookie(Cookie cookie) {
    addHeader("Set-Cookie", HttpText.setCookie(cookie));
  }

  @Override
  public String encodeURL(String url) {
    return url; // sessions ride in the cookie only
  }

  @Override
  public String encodeRedirectURL(String url) {
    return url;
  }

  @Override
  public void sendError(int sc) throws IOException {
    sendError(sc, null);
  }

  @Override
  public void setContentLength(int len) {
    setContentLengthLong(len);
  }
}
