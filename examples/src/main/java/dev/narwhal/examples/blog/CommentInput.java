package dev.narwhal.examples.blog;

import java.util.LinkedHashMap;
import java.util.Map;

/** A comment as submitted, before validation. */
public record CommentInput(String author, String body) {
  public static final int MAX_AUTHOR = 80;
  public static final int MAX_BODY = 2_000;

  public static final CommentInput EMPTY = new CommentInput("", "");

  public CommentInput {
    author = author == null ? "" : author.strip();
    body = body == null ? "" : body.strip();
  }

  public Map<String, String> problems() {
    Map<String, String> problems = new LinkedHashMap<>();
    Validation.required(problems, "author", author, MAX_AUTHOR);
    Validation.required(problems, "body", body, MAX_BODY);
    return problems;
  }

  CommentInput validated() {
    return Validation.orThrow(this, problems());
  }
}
