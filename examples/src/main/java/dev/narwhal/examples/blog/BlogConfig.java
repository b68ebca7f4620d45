package dev.narwhal.examples.blog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the blog keeps its database and how many connections it may open.
 *
 * <p>Read from system properties first, then the environment, as deployments set one or the other:
 * {@code blog.data-dir} / {@code BLOG_DATA_DIR} (default {@code ./data}, relative to the working
 * directory; the file is {@code blog.db} in it) and {@code blog.pool-size} / {@code BLOG_POOL_SIZE}
 * (default 2 × cores + 1, the size of {@code workers = auto}; see {@link BlogApp} for why).
 *
 * @param database the SQLite file, created on first start
 * @param poolSize the most connections one application instance opens
 */
public record BlogConfig(Path database, int poolSize) {
  public static final String FILE_NAME = "blog.db";

  public BlogConfig {
    if (poolSize < 1) {
      throw new IllegalArgumentException("the blog's pool size must be at least 1, got " + poolSize);
    }
  }

  /** {@code dir/blog.db} with the default pool size; what tests use with a temporary directory. */
  public static BlogConfig in(Path dir) {
    return new BlogConfig(dir.resolve(FILE_NAME), defaultPoolSize());
  }

  /** From {@code blog.*} system properties or {@code BLOG_*} environment variables. */
  public static BlogConfig fromEnvironment() {
    Path dir = Path.of(setting("blog.data-dir", "BLOG_DATA_DIR").orElse("data"));
    int poolSize = setting("blog.pool-size", "BLOG_POOL_SIZE").map(BlogConfig::parsePoolSize)
        .orElseGet(BlogConfig::defaultPoolSize);
    return new BlogConfig(dir.resolve(FILE_NAME), poolSize);
  }

  private static Optional<String> setting(String property, String variable) {
    return Optional.ofNullable(System.getProperty(property))
        .or(() -> Optional.ofNullable(System.getenv(variable)))
        .filter(value -> !value.isBlank());
  }

  private static int parsePoolSize(String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BLOG_POOL_SIZE must be a whole number, got '" + value + "'");
    }
  }

  private static int defaultPoolSize() {
    return 2 * Runtime.getRuntime().availableProcessors() + 1;
  }
}
