package dev.narwhal.examples.blog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The blog for programs, under {@code /api/posts}: the same operations as the pages, as JSON.
 *
 * <pre>
 * GET    /api/posts?page=N           a page of posts, newest first
 * POST   /api/posts                  {"title": ..., "body": ...} → 201, Location: /api/posts/{id}
 * GET    /api/posts/{id}             the post with its comments
 * PUT    /api/posts/{id}             {"title": ..., "body": ...} → 200
 * DELETE /api/posts/{id}             → 204
 * GET    /api/posts/{id}/comments    the comments, oldest first
 * POST   /api/posts/{id}/comments    {"author": ..., "body": ...} → 201
 * </pre>
 *
 * Field names are snake_case ({@code created_at}). Fields the API does not know are ignored, so
 * clients can send more than this version reads.
 */
final class JsonApi {
  /** Thread-safe once built; shared by every request. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final PostRepository posts;

  JsonApi(PostRepository posts) {
    this.posts = posts;
  }

  Response list(Request request) throws SQLException {
    int page = Validation.pageParam(request);
    return json(200, posts.page(page).orElseThrow(() -> HttpError.notFound("there is no page " + page)));
  }

  Response create(Request request) throws SQLException {
    PostInput input = postInput(readObject(request)).validated();
    Post post = posts.create(input);
    return Response.status(201).header("Location", "/api/posts/" + post.id()).json(write(post));
  }

  Response show(Request request, long id) throws SQLException {
    PostRepository.PostWithComments found = posts.findWithComments(id).orElseThrow(() -> HtmlPages.noPost(id));
    ObjectNode body = MAPPER.valueToTree(found.post());
    body.set("comments", MAPPER.valueToTree(found.comments()));
    return json(200, body);
  }

  Response update(Request request, long id) throws SQLException {
    PostInput input = postInput(readObject(request)).validated();
    return json(200, posts.update(id, input).orElseThrow(() -> HtmlPages.noPost(id)));
  }

  Response delete(Request request, long id) throws SQLException {
    if (!posts.delete(id)) {
      throw HtmlPages.noPost(id);
    }
    return Response.status(204).build();
  }

  Response comments(Request request, long id) throws SQLException {
    List<Comment> comments = posts.comments(id).orElseThrow(() -> HtmlPages.noPost(id));
    return json(200, comments);
  }

  Response addComment(Request request, long id) throws SQLException {
    JsonNode object = readObject(request);
    CommentInput input = new CommentInput(text(object, "author"), text(object, "body")).validated();
    Comment comment = posts.addComment(id, input).orElseThrow(() -> HtmlPages.noPost(id));
    return Response.status(201).header("Location", "/api/posts/" + id + "/comments").json(write(comment));
  }

  private static PostInput postInput(JsonNode object) {
    return new PostInput(text(object, "title"), text(object, "body"));
  }

  /**
   * Jackson's message for an unclosed object or array ends with where it opened, in its own
   * notation ("(start marker at [Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1])"),
   * which says more about Jackson than about the body.
   */
  static String withoutSourceNote(String message) {
    int note = message.indexOf(" (start marker at [Source:");
    return note < 0 ? message : message.substring(0, note);
  }

  /** The request's body as a JSON object, or the 4xx that says what is wrong with it. */
  private static JsonNode readObject(Request request) {
    String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new HttpError(415, "expected JSON (Content-Type: application/json), got "
          + (type.isEmpty() ? "no Content-Type" : type));
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(request.body());
    } catch (JsonProcessingException e) {
      // the original message without Jackson's source excerpt: the client has its own body
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw HttpError.badRequest("malformed JSON" + where + ": " + withoutSourceNote(e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      throw HttpError.badRequest("unreadable JSON: " + e.getMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw HttpError.badRequest("the request body is empty; expected a JSON object");
    }
    if (!node.isObject()) {
      throw HttpError.badRequest("expected a JSON object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return node;
  }

  /** A string field; absent or null is "" (validation reports it as required), any other type a 422. */
  private static String text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new HttpError(422, field + " must be a string", Map.of(field, field + " must be a string"), Map.of());
    }
    return value.textValue();
  }

  private static Response json(int status, Object body) {
    return Response.status(status).json(write(body));
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
