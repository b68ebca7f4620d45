package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import dev.narwhal.Response;
import java.sql.SQLException;
import java.util.Map;

/**
 * The blog for browsers: pages, and the forms that change it. Every successful form post answers
 * {@code 303 See Other} to a page (POST-redirect-GET), so reloading that page never posts twice. A
 * form with problems is shown again, as typed, with {@code 422}.
 */
final class HtmlPages {
  private final PostRepository posts;
  private final Views views;

  HtmlPages(PostRepository posts, Views views) {
    this.posts = posts;
    this.views = views;
  }

  Response index(Request request) throws SQLException {
    int page = Validation.pageParam(request);
    PostPage found = posts.page(page).orElseThrow(() -> HttpError.notFound("there is no page " + page));
    return html(200, views.index(found));
  }

  Response show(Request request, long id) throws SQLException {
    PostRepository.PostWithComments found = posts.findWithComments(id).orElseThrow(() -> noPost(id));
    return html(200, views.post(found.post(), found.comments(), CommentInput.EMPTY, Map.of()));
  }

  Response newPost(Request request) {
    return html(200, views.form("New post", "/posts", "/", PostInput.EMPTY, Map.of()));
  }

  Response create(Request request) throws SQLException {
    PostInput input = postInput(Forms.read(request));
    Map<String, String> problems = input.problems();
    if (!problems.isEmpty()) {
      return html(422, views.form("New post", "/posts", "/", input, problems));
    }
    Post post = posts.create(input);
    return seeOther("/posts/" + post.id());
  }

  Response edit(Request request, long id) throws SQLException {
    Post post = posts.find(id).orElseThrow(() -> noPost(id));
    return html(200, views.form("Edit post", "/posts/" + id + "/edit", "/posts/" + id, PostInput.of(post), Map.of()));
  }

  Response update(Request request, long id) throws SQLException {
    PostInput input = postInput(Forms.read(request));
    Map<String, String> problems = input.problems();
    if (!problems.isEmpty()) {
      posts.find(id).orElseThrow(() -> noPost(id)); // a 404 beats "fix your title" for a post that is gone
      return html(422, views.form("Edit post", "/posts/" + id + "/edit", "/posts/" + id, input, problems));
    }
    posts.update(id, input).orElseThrow(() -> noPost(id));
    return seeOther("/posts/" + id);
  }

  Response delete(Request request, long id) throws SQLException {
    if (!posts.delete(id)) {
      throw noPost(id);
    }
    return seeOther("/");
  }

  Response addComment(Request request, long id) throws SQLException {
    Map<String, String> form = Forms.read(request);
    CommentInput input = new CommentInput(form.get("author"), form.get("body"));
    Map<String, String> problems = input.problems();
    if (!problems.isEmpty()) {
      PostRepository.PostWithComments found = posts.findWithComments(id).orElseThrow(() -> noPost(id));
      return html(422, views.post(found.post(), found.comments(), input, problems));
    }
    posts.addComment(id, input).orElseThrow(() -> noPost(id));
    return seeOther("/posts/" + id + "#comments");
  }

  private static PostInput postInput(Map<String, String> form) {
    return new PostInput(form.get("title"), form.get("body"));
  }

  static HttpError noPost(long id) {
    return HttpError.notFound("there is no post " + id);
  }

  private static Response html(int status, String page) {
    return Response.status(status).html(page);
  }

  private static Response seeOther(String location) {
    return Response.status(303).header("Location", location).build();
  }
}
