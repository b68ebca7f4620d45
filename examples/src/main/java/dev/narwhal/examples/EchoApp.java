package dev.narwhal.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.narwhal.Application;
import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.Base64;

/**
 * Answers every method and path with 200 and the request as JSON: method, path, query, version,
 * the field lines in order (repeated names kept) and the body in base64. This is the "echo
 * contract" of the HTTP conformance suite.
 *
 * <pre>
 * bin/narwhal echo
 * curl -d hi 'http://127.0.0.1:8000/a/b?x=1'
 * </pre>
 */
public final class EchoApp implements Application {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Response handle(Request request) throws Exception {
    ObjectNode echo = JSON.createObjectNode()
        .put("method", request.method())
        .put("path", request.path())
        .put("query", request.query())
        .put("version", request.version());
    ArrayNode headers = echo.putArray("headers");
    for (Header h : request.headers()) {
      headers.addArray().add(h.name()).add(h.value());
    }
    echo.put("body_b64", Base64.getEncoder().encodeToString(request.body()));
    return Response.json(200, JSON.writeValueAsString(echo));
  }
}
