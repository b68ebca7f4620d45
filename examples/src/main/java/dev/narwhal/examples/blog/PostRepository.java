package dev.narwhal.examples.blog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every SQL statement the blog runs. Stateless apart from the database, so safe to share. */
final class PostRepository {
  static final int PAGE_SIZE = 10;

  private final Database db;

  PostRepository(Database db) {
    this.db = db;
  }

  /**
   * Page {@code page} (1-based) of the posts, newest first; empty when past the last page. The
   * count and the rows are two autocommit reads: a post committed in between can shift a page by
   * one, which a list page may do anyway.
   */
  Optional<PostPage> page(int page) throws SQLException {
    return db.read(c -> {
      long total;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM posts")) {
        rs.next();
        total = rs.getLong(1);
      }
      int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
      if (page > pages) {
        return Optional.empty();
      }
      List<Post> posts = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, title, body, created_at, updated_at FROM posts ORDER BY id DESC LIMIT ? OFFSET ?")) {
        s.setInt(1, PAGE_SIZE);
        s.setLong(2, (long) (page - 1) * PAGE_SIZE);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            posts.add(post(rs));
          }
        }
      }
      return Optional.of(new PostPage(posts, page, pages, total));
    });
  }

  Optional<Post> find(long id) throws SQLException {
    return db.read(c -> find(c, id));
  }

  Post create(PostInput input) throws SQLException {
    return db.write(c -> {
      String now = Times.now();
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO posts (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        s.setString(1, input.title());
        s.setString(2, input.body());
        s.setString(3, now);
        s.setString(4, now);
        s.executeUpdate();
        try (ResultSet keys = s.getGeneratedKeys()) {
          keys.next();
          return new Post(keys.getLong(1), input.title(), input.body(), now, now);
        }
      }
    });
  }

  /** The updated post; empty when there is no post {@code id}. */
  Optional<Post> update(long id, PostInput input) throws SQLException {
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE posts SET title = ?, body = ?, updated_at = ? WHERE id = ?")) {
        s.setString(1, input.title());
        s.setString(2, input.body());
        s.setString(3, Times.now());
        s.setLong(4, id);
        if (s.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      return find(c, id);
    });
  }

  /** Deletes the post and its comments; false when there was no such post. */
  boolean delete(long id) throws SQLException {
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM posts WHERE id = ?")) {
        s.setLong(1, id);
        return s.executeUpdate() == 1; // comments go with it: ON DELETE CASCADE
      }
    });
  }

  /** The comments on a post, oldest first; empty when there is no post {@code postId}. */
  Optional<List<Comment>> comments(long postId) throws SQLException {
    return db.read(c -> find(c, postId).isEmpty() ? Optional.empty() : Optional.of(comments(c, postId)));
  }

  /** The post with its comments; empty when there is no post {@code id}. */
  Optional<PostWithComments> findWithComments(long id) throws SQLException {
    return db.read(c -> {
      Optional<Post> post = find(c, id);
      return post.isEmpty() ? Optional.empty() : Optional.of(new PostWithComments(post.get(), comments(c, id)));
    });
  }

  /** The new comment; empty when there is no post {@code postId}. */
  Optional<Comment> addComment(long postId, CommentInput input) throws SQLException {
    return db.write(c -> {
      // checked inside the write transaction: a post deleted after the check cannot slip in between
      if (find(c, postId).isEmpty()) {
        return Optional.empty();
      }
      String now = Times.now();
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO comments (post_id, author, body, created_at) VALUES (?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        s.setLong(1, postId);
        s.setString(2, input.author());
        s.setString(3, input.body());
        s.setString(4, now);
        s.executeUpdate();
        try (ResultSet keys = s.getGeneratedKeys()) {
          keys.next();
          return Optional.of(new Comment(keys.getLong(1), postId, input.author(), input.body(), now));
        }
      }
    });
  }

  record PostWithComments(Post post, List<Comment> comments) {}

  private static Optional<Post> find(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, title, body, created_at, updated_at FROM posts WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(post(rs)) : Optional.empty();
      }
    }
  }

  private static List<Comment> comments(Connection c, long postId) throws SQLException {
    List<Comment> comments = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, post_id, author, body, created_at FROM comments WHERE post_id = ? ORDER BY id")) {
      s.setLong(1, postId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          comments.add(new Comment(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
    }
    return comments;
  }

  private static Post post(ResultSet rs) throws SQLException {
    return new Post(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }
}
