package dev.narwhal.examples.blog;

import java.util.List;

/**
 * One page of the post list, newest first. Serialised as is by the JSON API, so the component
 * names are the field names clients see.
 *
 * @param page 1-based
 * @param pages at least 1, so an empty blog still has a page 1
 */
public record PostPage(List<Post> posts, int page, int pages, long total) {

  public boolean hasNewer() {
    return page > 1;
  }

  public boolean hasOlder() {
    return page < pages;
  }
}
