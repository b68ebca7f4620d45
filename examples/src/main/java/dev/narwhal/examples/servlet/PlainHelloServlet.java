package dev.narwhal.examples.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code hello} as a servlet, byte for byte what {@code HelloApp} answers: what bench/servlet-ratio
 * compares to measure the bridge's own cost.
 *
 * <pre>
 * bin/narwhal servlet:dev.narwhal.examples.servlet.PlainHelloServlet
 * </pre>
 */
@WebServlet(urlPatterns = "/*")
public class PlainHelloServlet extends HttpServlet {
  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain; charset=UTF-8");
    resp.setContentLength(HELLO.length);
    resp.getOutputStream().write(HELLO);
  }
}
