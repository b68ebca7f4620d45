package dev.narwhal.examples.blog;

import java.util.Arrays;
import java.util.List;

/**
 * A blog post as stored. Times are UTC ISO-8601 strings at second precision ({@code
 * 2026-11-25T12:00:00Z}), as the database keeps them: fixed width, sortable, and JSON-ready
 * without a date module.
 */
public record Post(long id, String title, String body, String createdAt, String updatedAt) {
  private static final int EXCERPT_CHARS = 240;

  /** The start of the body for the list page, cut at a word boundary. */
  public String excerpt() {
    String flat = body.strip().replaceAll("\\s+", " ");
    if (flat.length() <= EXCERPT_CHARS) {
      return flat;
    }
    int cut = flat.lastIndexOf(' ', EXCERPT_CHARS);
    return flat.substring(0, cut > 0 ? cut : EXCERPT_CHARS) + "…";
  }

  /** The body split on blank lines; the template wraps each in {@code <p>} (escaped, never raw HTML). */
  public List<String> paragraphs() {
    return Arrays.stream(body.strip().split("\\R\\s*\\R")).map(String::strip).filter(p -> !p.isEmpty()).toList();
  }

  /** {@code 2026-11-25 12:00 UTC}, for people. */
  public String displayDate() {
    return Times.display(createdAt);
  }

  public boolean edited() {
    return !updatedAt.equals(createdAt);
  }
}
