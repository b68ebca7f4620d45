package dev.narwhal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenFileTest {
  @TempDir
  Path dir;

  @Test
  void the_default_file_is_under_xdg_runtime_dir_when_there_is_one() {
    assertThat(AdminTokenFile.defaultFile(9191, Map.of("XDG_RUNTIME_DIR", dir.toString())))
        .isEqualTo(dir.resolve("narwhal/admin-9191.token"));
    assertThat(AdminTokenFile.defaultFile(9191, Map.of()).getParent().getFileName().toString())
        .isEqualTo("narwhal-" + System.getProperty("user.name"));
  }

  @Test
  void a_written_token_is_owner_only_and_reads_back() throws IOException {
    Path file = dir.resolve("narwhal/admin-1.token");
    AdminTokenFile.write(file, "t0ken", false);
    assertThat(AdminTokenFile.read(file)).contains("t0ken");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    AdminTokenFile.write(file, "again", false);
    assertThat(AdminTokenFile.read(file)).contains("again");
  }

  @Test
  void a_default_directory_others_can_enter_is_refused() throws IOException {
    Path shared = Files.createDirectories(dir.resolve("narwhal"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> AdminTokenFile.write(shared.resolve("admin-1.token"), "t", false))
        .isInstanceOf(IOException.class).hasMessageContaining("not a private directory");
    AdminTokenFile.write(shared.resolve("admin-1.token"), "t", true); // a directory the user chose is theirs to judge
  }
}
