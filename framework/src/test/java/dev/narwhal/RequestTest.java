package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two homes of a request body, memory and a spool file, look the same to an application. */
class RequestTest {
  @TempDir
  Path tmp;

  @Test
  void a_body_in_memory_reads_as_bytes_text_and_stream() throws Exception {
    Request r = Request.builder("POST", "/").body("héllo").build();
    assertThat(r.bodySpooled()).isFalse();
    assertThat(r.bodySize()).isEqualTo(6);
    assertThat(r.bodyLength()).isEqualTo(6);
    assertThat(r.bodyAsString()).isEqualTo("héllo");
    try (InputStream in = r.bodyStream()) {
      assertThat(in.readAllBytes()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void a_spooled_body_reads_from_its_file_on_each_call() throws Exception {
    Path file = Files.writeString(tmp.resolve("body"), "spooled body");
    Request r = Request.builder("POST", "/").bodyFile(file, 12).build();
    assertThat(r.bodySpooled()).isTrue();
    assertThat(r.bodySize()).isEqualTo(12);
    assertThat(r.bodyLength()).isEqualTo(12);
    assertThat(r.body()).isEqualTo("spooled body".getBytes(StandardCharsets.UTF_8));
    assertThat(r.bodyAsString()).isEqualTo("spooled body");
    try (InputStream in = r.bodyStream()) {
      assertThat(in.readAllBytes()).isEqualTo("spooled body".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void a_spooled_body_whose_file_is_gone_fails_with_the_file_named() throws Exception {
    Path file = tmp.resolve("gone");
    Request r = Request.builder("POST", "/").bodyFile(file, 3).build();
    assertThatThrownBy(r::body).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file.toString());
    assertThatThrownBy(r::bodyStream).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void a_repeated_query_parameter_keeps_every_value_in_order_and_the_map_keeps_the_first() {
    Request r = Request.builder("GET", "/posts").query("tag=a&tag=b%20c&page=2&flag").build();

    assertThat(r.queryParamValues("tag")).containsExactly("a", "b c");
    assertThat(r.queryParamValues("flag")).containsExactly("");
    assertThat(r.queryParamValues("missing")).isEmpty();
    assertThat(r.queryParams()).containsEntry("tag", "a").containsEntry("page", "2");
  }
}
