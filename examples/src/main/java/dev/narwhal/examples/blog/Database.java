package dev.narwhal.examples.blog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The blog's SQLite file behind a HikariCP pool. {@link BlogApp#onStart} opens it (creating and
 * migrating the file on first start) and {@link BlogApp#onStop} closes it; in between it runs
 * reads, transactional writes and health checks, from any number of threads.
 *
 * <p>How several workers write one file without corrupting it or losing a post:
 * <ul>
 *   <li><b>WAL.</b> Readers keep reading the last commit while a writer appends to the log, so
 *       page views never wait for a post being saved.
 *   <li><b>busy_timeout.</b> SQLite allows one writer at a time. A second writer waits up to
 *       {@link #BUSY_TIMEOUT_MS} for the lock instead of failing at once with SQLITE_BUSY.
 *   <li><b>BEGIN IMMEDIATE.</b> A write transaction takes the write lock at its first statement.
 *       With SQLite's default (DEFERRED) a transaction that reads first and writes later must
 *       upgrade its lock; if another writer committed in between, the upgrade fails at once with
 *       SQLITE_BUSY and the busy timeout cannot help. Reads run outside transactions (autocommit),
 *       so they never take that lock.
 *   <li><b>synchronous=FULL.</b> A post acknowledged to a client survives a power cut, not only
 *       a crash of the JVM. NORMAL is faster and cannot corrupt the file either, but may lose the
 *       last commits.
 * </ul>
 */
final class Database implements AutoCloseable {
  static final int BUSY_TIMEOUT_MS = 5_000;
  private static final Object OPENING = new Object();

  /** Work done on one borrowed connection. */
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** What a health check found; {@code problem} is empty when healthy. */
  record Health(Optional<String> problem) {
    boolean healthy() {
      return problem.isEmpty();
    }
  }

  private final Path file;
  private final Object fileKey;
  private final HikariDataSource pool;

  private Database(Path file, Object fileKey, HikariDataSource pool) {
    this.file = file;
    this.fileKey = fileKey;
    this.pool = pool;
  }

  /** Opens the pool on {@code config.database()}, creating the file and applying missing migrations. */
  static Database open(BlogConfig config) throws IOException, SQLException {
    Path file = config.database().toAbsolutePath();
    Files.createDirectories(file.getParent());
    // Opening a new file switches it to WAL, which needs the file to itself: SQLite answers a
    // second connection doing the same at that moment with SQLITE_BUSY at once, busy_timeout or
    // not. Workers in this JVM take turns on the monitor, other processes on the lock file.
    synchronized (OPENING) {
      try (FileChannel lock = FileChannel.open(file.resolveSibling(file.getFileName() + ".open-lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        HikariDataSource pool = new HikariDataSource(poolConfig(file, config.poolSize()));
        try {
          migrate(pool);
          return new Database(file, fileKey(file), pool);
        } catch (IOException | SQLException | RuntimeException e) {
          pool.close();
          throw e;
        }
      }
    }
  }

  private static HikariConfig poolConfig(Path file, int poolSize) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.enforceForeignKeys(true);
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
    sqliteSource.setUrl("jdbc:sqlite:" + file);

    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(sqliteSource);
    hikari.setPoolName("blog");
    hikari.setMaximumPoolSize(poolSize);
    // Hikari's default keeps maximumPoolSize connections open. One idle connection is enough: a
    // worker's own instance uses one at a time, and a shared one grows with the workers using it.
    hikari.setMinimumIdle(1);
    // longer than the busy timeout, so a writer waiting for SQLite's lock gives up first, with the
    // clearer error
    hikari.setConnectionTimeout(BUSY_TIMEOUT_MS + 5_000L);
    return hikari;
  }

  /**
   * Applies each missing migration in its own write transaction. When several workers start on a
   * new file at once, the version check runs inside the transaction, under the write lock, so
   * exactly one of them applies each step and the others find it done.
   */
  private static void migrate(HikariDataSource pool) throws SQLException {
    for (int i = 0; i < Schema.MIGRATIONS.size(); i++) {
      int version = i + 1;
      Schema.Migration migration = Schema.MIGRATIONS.get(i);
      inTransaction(pool, c -> {
        if (userVersion(c) < version) {
          migration.apply(c);
          try (Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + version);
          }
        }
        return null;
      });
    }
  }

  private static int userVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Runs {@code work} in autocommit mode: each statement sees the latest commit, no lock held. */
  <T> T read(SqlWork<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    }
  }

  /** Runs {@code work} in one write transaction: all of it is committed, or none of it. */
  <T> T write(SqlWork<T> work) throws SQLException {
    return inTransaction(pool, work);
  }

  private static <T> T inTransaction(HikariDataSource pool, SqlWork<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false); // the next statement begins IMMEDIATE (the data source's mode)
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /**
   * Healthy when the file at the configured path is still the one the pool opened and a query
   * answers. The first check matters: open connections keep working on a file that was deleted or
   * replaced (the inode lives on), so a query alone would report healthy while every new post goes
   * to a file nobody will ever open again.
   */
  Health check() {
    try {
      Object now = fileKey(file);
      if (!Objects.equals(now, fileKey)) {
        return unhealthy("the database file " + file + " was replaced since the server started");
      }
    } catch (NoSuchFileException e) {
      return unhealthy("the database file " + file + " is gone");
    } catch (IOException e) {
      return unhealthy("the database file " + file + " is unusable: " + e.getMessage());
    }
    try {
      read(c -> {
        try (Statement s = c.createStatement()) {
          s.setQueryTimeout(2);
          s.executeQuery("SELECT count(*) FROM posts").close();
        }
        return null;
      });
      return new Health(Optional.empty());
    } catch (SQLException e) {
      return unhealthy("the database does not answer: " + e.getMessage());
    }
  }

  private static Health unhealthy(String problem) {
    return new Health(Optional.of(problem));
  }

  /** The file's identity (device and inode on Linux); a directory or a new file has another one. */
  private static Object fileKey(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new IOException("not a regular file");
    }
    return attributes.fileKey();
  }

  Path file() {
    return file;
  }

  @Override
  public void close() {
    pool.close();
  }
}
