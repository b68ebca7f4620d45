package dev.narwhal.examples.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database on its own: first start, migrations under a race, transactions, health. */
class DatabaseTest {
  @TempDir
  Path dir;

  static long count(Database db, String table) throws SQLException {
    return db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static String pragma(Database db, String name) throws SQLException {
    return db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  @Test
  void the_data_directory_and_the_file_are_created_in_wal_mode_and_migrated() throws Exception {
    try (Database db = Database.open(BlogConfig.in(dir.resolve("nested/data")))) {
      assertThat(dir.resolve("nested/data/blog.db")).isRegularFile();
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(db, "user_version")).isEqualTo(String.valueOf(Schema.MIGRATIONS.size()));
      assertThat(pragma(db, "busy_timeout")).isEqualTo(String.valueOf(Database.BUSY_TIMEOUT_MS));
      assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
      assertThat(count(db, "posts")).isEqualTo(4);
    }
  }

  @Test
  void workers_opening_a_new_file_at_the_same_moment_migrate_and_seed_it_exactly_once() throws Exception {
    int workers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Database>> opened = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        Callable<Database> open = () -> {
          go.await();
          return Database.open(new BlogConfig(dir.resolve("blog.db"), 2));
        };
        opened.add(pool.submit(open));
      }
      go.countDown();
      List<Database> dbs = new ArrayList<>();
      for (Future<Database> f : opened) {
        dbs.add(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(count(dbs.get(0), "posts")).isEqualTo(4);
      assertThat(count(dbs.get(0), "comments")).isEqualTo(1);
      dbs.forEach(Database::close);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_write_that_fails_halfway_leaves_nothing_behind() throws Exception {
    try (Database db = Database.open(BlogConfig.in(dir))) {
      PostRepository posts = new PostRepository(db);
      assertThatThrownBy(() -> db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO posts (title, body, created_at, updated_at) VALUES ('half', 'x', 'now', 'now')");
          s.executeUpdate("INSERT INTO no_such_table VALUES (1)");
        }
        return null;
      })).isInstanceOf(SQLException.class);
      assertThat(count(db, "posts")).isEqualTo(4);
      assertThat(posts.create(new PostInput("whole", "x")).id()).isPositive(); // the connection is fine after
    }
  }

  @Test
  void deleting_a_post_deletes_its_comments() throws Exception {
    try (Database db = Database.open(BlogConfig.in(dir))) {
      PostRepository posts = new PostRepository(db);
      long id = posts.create(new PostInput("t", "b")).id();
      posts.addComment(id, new CommentInput("a", "c"));
      assertThat(posts.delete(id)).isTrue();
      assertThat(count(db, "comments")).isEqualTo(1); // the seeded one
      assertThat(posts.addComment(id, new CommentInput("a", "late"))).isEmpty();
    }
  }

  @Test
  void health_is_good_while_the_file_answers() throws Exception {
    try (Database db = Database.open(BlogConfig.in(dir))) {
      assertThat(db.check().healthy()).isTrue();
    }
  }

  @Test
  void health_fails_when_the_pool_is_closed() throws Exception {
    Database db = Database.open(BlogConfig.in(dir));
    db.close();
    assertThat(db.check().problem()).hasValueSatisfying(p -> assertThat(p).startsWith("the database does not answer"));
  }

  @Test
  void health_fails_when_the_file_is_replaced_by_a_directory_although_open_connections_still_work() throws Exception {
    try (Database db = Database.open(BlogConfig.in(dir))) {
      Path file = dir.resolve("blog.db");
      replaceWithDirectory(file);
      // the pooled connection still reads the deleted inode: a query alone would say healthy
      assertThat(count(db, "posts")).isEqualTo(4);
      assertThat(db.check().problem()).hasValueSatisfying(p -> assertThat(p).contains(file.toString()));
    }
  }

  @Test
  void health_fails_when_the_file_is_deleted() throws Exception {
    try (Database db = Database.open(BlogConfig.in(dir))) {
      Files.delete(dir.resolve("blog.db"));
      assertThat(db.check().problem()).hasValueSatisfying(p -> assertThat(p).endsWith("is gone"));
    }
  }

  /**
   * Makes the database path unusable in a way that holds for root too (chmod 000 does not stop
   * root from reading): the file and its WAL companions are removed and a directory takes its place.
   */
  static void replaceWithDirectory(Path file) throws Exception {
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
    }
    Files.createDirectory(file);
  }
}
