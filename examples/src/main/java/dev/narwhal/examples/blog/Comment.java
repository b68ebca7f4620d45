package dev.narwhal.examples.blog;

/** A comment on a post. */
public record Comment(long id, long postId, String author, String body, String createdAt) {

  public String displayDate() {
    return Times.display(createdAt);
  }
}
