package dev.narwhal.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file that hands the admin API's bearer token from the server to its clients
 * ({@code narwhal ctl}, scripts): where it lives by default, how it is written, how it is read. One
 * line, the token; readable by its owner only. The server writes it at start unless
 * {@code admin-token} is set; {@code admin-token-file} chooses another place.
 *
 * <p>Hazard: the default file lives under the shared temporary directory when there is no
 * {@code XDG_RUNTIME_DIR}. Another user could create {@code narwhal-USER} there first (to read the
 * token, or to plant a symlink), so the directory must be ours and closed to everyone else, or we
 * refuse it; the file is written to a fresh temporary file created 0600 and renamed into place,
 * never opened by its final name.
 */
public final class AdminTokenFile {
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private AdminTokenFile() {}

  /**
   * Where the token for the admin API on {@code port} is written by default:
   * {@code $XDG_RUNTIME_DIR/narwhal/admin-PORT.token}, else
   * {@code TMPDIR/narwhal-USER/admin-PORT.token}.
   */
  public static Path defaultFile(int port, Map<String, String> env) {
    String runtime = env.get("XDG_RUNTIME_DIR");
    Path dir = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
        ? Path.of(runtime, "narwhal")
        : Path.of(System.getProperty("java.io.tmpdir"), "narwhal-" + System.getProperty("user.name"));
    return dir.resolve("admin-" + port + ".token");
  }

  /**
   * Writes {@code token} to {@code file}, readable and writable by the owner only.
   *
   * @param chosen whether the user chose the file (admin-token-file); the default location's
   *     directory must also be private
   */
  public static void write(Path file, String token, boolean chosen) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    ensureDirectory(dir, file, !chosen);
    FileAttribute<?>[] attrs = POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, ".admin-", ".tmp", attrs);
    try {
      Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The default directory is created private; an existing one must be a real directory, ours, and
   * closed to group and others. A directory the user chose (admin-token-file) only has to exist.
   */
  private static void ensureDirectory(Path dir, Path file, boolean mustBePrivate) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (POSIX) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectories(dir);
      }
      return;
    }
    if (!mustBePrivate || !POSIX) {
      return;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).stream().allMatch(OWNER_ONLY_DIR::contains)) {
      throw new IOException(dir + " is not a private directory of " + System.getProperty("user.name")
          + " (owner only, mode 700): refusing to write the admin token " + file.getFileName()
          + " there; set admin-token or admin-token-file");
    }
  }

  /** The token in {@code file}, if it exists and is not empty. */
  public static Optional<String> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
