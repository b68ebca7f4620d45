package dev.narwhal.examples.blog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's migrations, in order. Step N brings the file to {@code PRAGMA user_version} N;
 * {@link Database} applies the missing ones at start. Append new steps; never edit an applied one.
 */
final class Schema {
  interface Migration {
    void apply(Connection c) throws SQLException;
  }

  static final List<Migration> MIGRATIONS = List.of(Schema::createTables, Schema::seedPosts);

  private Schema() {}

  private static void createTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      // AUTOINCREMENT: a deleted post's id is never handed out again, so an old link or a client's
      // cached id can never land on a different post
      s.execute("""
          CREATE TABLE posts (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            title      TEXT NOT NULL,
            body       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
          )""");
      s.execute("""
          CREATE TABLE comments (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            author     TEXT NOT NULL,
            body       TEXT NOT NULL,
            created_at TEXT NOT NULL
          )""");
      s.execute("CREATE INDEX comments_by_post ON comments (post_id, id)");
    }
  }

  /** A first start shows a blog, not an empty page. A migration, so it happens once per file. */
  private static void seedPosts(Connection c) throws SQLException {
    String now = Times.now();
    try (PreparedStatement post = c.prepareStatement(
        "INSERT INTO posts (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
      for (String[] seed : SEEDS) {
        post.setString(1, seed[0]);
        post.setString(2, seed[1]);
        post.setString(3, now);
        post.setString(4, now);
        post.executeUpdate();
      }
    }
    try (PreparedStatement comment = c.prepareStatement(
        "INSERT INTO comments (post_id, author, body, created_at) VALUES ((SELECT min(id) FROM posts), ?, ?, ?)")) {
      comment.setString(1, "Ada");
      comment.setString(2, "Served by five workers and not one of them noticed.");
      comment.setString(3, now);
      comment.executeUpdate();
    }
  }

  private static final String[][] SEEDS = {
      {"Hello from Narwhal", """
          This blog is Narwhal's flagship example: a small Java application served the way \
          Gunicorn serves a Django site, by an arbiter that supervises a pool of workers.

          Every page you see was rendered by one worker, on its own thread, one request at a time."""},
      {"Why idle workers pull", """
          Requests are not pushed to workers. The front end reads a request completely, then hands \
          it to an idle worker, or queues it until one is free.

          A slow client therefore costs a connection, never a worker."""},
      {"Preload or not", """
          Without preload-app every worker builds its own application, with its own connection \
          pool. With preload-app one instance is shared by every worker, so it must be thread-safe.

          This blog works both ways: the pool is sized for the threads that use it."""},
      {"SQLite in WAL mode", """
          The posts live in one SQLite file. Write-ahead logging lets readers carry on while a \
          writer commits, and a busy timeout makes concurrent writers wait their turn instead of \
          failing.

          Writes begin IMMEDIATE, so two workers never deadlock upgrading a read to a write."""},
  };
}
