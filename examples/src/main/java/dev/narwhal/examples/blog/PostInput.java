package dev.narwhal.examples.blog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A post as a client submits it, from a form or JSON, before validation. Also what the form
 * template shows again when validation fails, so the user's text is never lost.
 */
public record PostInput(String title, String body) {
  public static final int MAX_TITLE = 200;
  public static final int MAX_BODY = 20_000;

  public static final PostInput EMPTY = new PostInput("", "");

  public PostInput {
    title = title == null ? "" : title.strip();
    body = body == null ? "" : body.strip();
  }

  static PostInput of(Post post) {
    return new PostInput(post.title(), post.body());
  }

  /** Field → problem, in form order; empty when the input is acceptable. */
  public Map<String, String> problems() {
    Map<String, String> problems = new LinkedHashMap<>();
    Validation.required(problems, "title", title, MAX_TITLE);
    Validation.required(problems, "body", body, MAX_BODY);
    return problems;
  }

  /** This input, or a 422 naming every bad field. */
  PostInput validated() {
    return Validation.orThrow(this, problems());
  }
}
