package dev.narwhal.examples.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;

/**
 * The conformance suite's echo contract written as a servlet, the way any container's echo would
 * be: method, path, query, protocol, the field lines (grouped by name, as the Servlet API gives
 * them) and the body in base64. It answers every method, so the suite grades the bridge as it
 * grades {@code EchoApp}.
 *
 * <pre>
 * bin/narwhal servlet:dev.narwhal.examples.servlet.EchoServlet
 * </pre>
 */
@WebServlet(urlPatterns = "/")
public class EchoServlet extends HttpServlet {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    ObjectNode echo = JSON.createObjectNode()
        .put("method", req.getMethod())
        .put("path", req.getRequestURI())
        .put("query", req.getQueryString() == null ? "" : req.getQueryString())
        .put("version", req.getProtocol());
    ArrayNode headers = echo.putArray("headers");
    for (String name : Collections.list(req.getHeaderNames())) {
      for (String value : Collections.list(req.getHeaders(name))) {
        headers.addArray().add(name).add(value);
      }
    }
    echo.put("body_b64", Base64.getEncoder().encodeToString(req.getInputStream().readAllBytes()));
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.getOutputStream().write(JSON.writeValueAsBytes(echo));
  }
}
