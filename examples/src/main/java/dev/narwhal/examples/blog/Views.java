package dev.narwhal.examples.blog;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.List;
import java.util.Map;

/**
 * The HTML pages, one method per page template in {@code src/main/jte/blog/} (layout and field are
 * partials those include). JTE compiles the
 * templates to Java classes at build time (so a template that does not type-check breaks the
 * build, not a request) and escapes every {@code ${...}} for its HTML context: a post titled
 * {@code <script>} shows as text.
 *
 * <p>Thread-safe: the engine only loads the precompiled classes, once, and rendering keeps no
 * state, so one instance serves every worker when the application is preloaded.
 */
final class Views {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(
      null, ContentType.Html, Views.class.getClassLoader(), "dev.narwhal.examples.blog.templates");

  String index(PostPage page) {
    return render("index", Map.of("page", page));
  }

  /** A post page; {@code comment} and {@code problems} refill the comment form after a bad submit. */
  String post(Post post, List<Comment> comments, CommentInput comment, Map<String, String> problems) {
    return render("post", Map.of("post", post, "comments", comments, "comment", comment, "problems", problems));
  }

  /** The post form, posting to {@code action}; {@code cancel} is where its Cancel link goes. */
  String form(String heading, String action, String cancel, PostInput input, Map<String, String> problems) {
    return render("form",
        Map.of("heading", heading, "action", action, "cancel", cancel, "input", input, "problems", problems));
  }

  String error(int status, String reason, String message) {
    return render("error", Map.of("status", status, "reason", reason, "message", message));
  }

  private String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render("blog/" + template + ".jte", params, out);
    return out.toString();
  }
}
