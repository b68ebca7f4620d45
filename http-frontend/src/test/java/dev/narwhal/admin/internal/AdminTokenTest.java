package dev.narwhal.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
  @TempDir
  Path dir;

  @Test
  void only_bearer_with_the_exact_token_matches() {
    assertThat(AdminToken.matches("abc", Optional.of("Bearer abc"))).isTrue();
    assertThat(AdminToken.matches("abc", Optional.of("bearer abc"))).isTrue();
    assertThat(AdminToken.matches("abc", Optional.of("Bearer abcd"))).isFalse();
    assertThat(AdminToken.matches("abc", Optional.of("Basic abc"))).isFalse();
    assertThat(AdminToken.matches("abc", Optional.of("abc"))).isFalse();
    assertThat(AdminToken.matches("abc", Optional.empty())).isFalse();
  }

  @Test
  void generated_tokens_are_long_and_different() {
    assertThat(AdminToken.generate()).hasSize(43).isNotEqualTo(AdminToken.generate());
  }

  @Test
  void the_default_file_is_under_xdg_runtime_dir_when_there_is_one() {
    assertThat(AdminToken.defaultFile(9191, Map.of("XDG_RUNTIME_DIR", dir.toString())))
        .isEqualTo(dir.resolve("narwhal/admin-9191.token"));
    assertThat(AdminToken.defaultFile(9191, Map.of()).getParent().getFileName().toString())
        .isEqualTo("narwhal-" + System.getProperty("user.name"));
  }

  @Test
  void a_written_token_is_owner_only_and_reads_back() throws IOException {
    Path file = dir.resolve("narwhal/admin-1.token");
    AdminToken.write(file, "t0ken", false);
    assertThat(AdminToken.read(file)).contains("t0ken");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    AdminToken.write(file, "again", false);
    assertThat(AdminToken.read(file)).contains("again");
  }

  @Test
  void a_default_directory_others_can_enter_is_refused() throws IOException {
    Path shared = Files.createDirectories(dir.resolve("narwhal"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> AdminToken.write(shared.resolve("admin-1.token"), "t", false))
        .isInstanceOf(IOException.class).hasMessageContaining("not a private directory");
    AdminToken.write(shared.resolve("admin-1.token"), "t", true); // a directory the user chose is theirs to judge
  }
}
