package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class SentContentTypeTest {
  private static final List<HttpHeader> NONE = List.of();

  private static ContentType parsed(String value) {
    return ContentTypes.parse(value);
  }

  @Test
  void the_value_as_sent_stands_where_pekkos_parse_has_the_same_media_type() {
    String sent = "application/x-www-form-urlencoded; charset=iso-8859-1";

    assertThat(SentContentType.of(Optional.of(sent), parsed(sent), NONE)).isEqualTo(sent);
    assertThat(SentContentType.of(Optional.of("Multipart/Form-Data; boundary=x; boundary=y"),
        parsed("multipart/form-data; boundary=y"), NONE)).isEqualTo("Multipart/Form-Data; boundary=x; boundary=y");
  }

  @Test
  void another_heads_value_gives_way_to_pekkos_own() {
    assertThat(SentContentType.of(Optional.of("text/html"), parsed("application/json"), NONE)).isNull();
    assertThat(SentContentType.of(Optional.of(""), parsed("application/json"), NONE)).isNull();
    assertThat(SentContentType.of(Optional.of("text/html"), ContentTypes.NO_CONTENT_TYPE, NONE)).isNull();
  }

  @Test
  void a_value_pekko_could_not_parse_stands_when_pekko_kept_it_as_a_field() {
    List<HttpHeader> kept = List.of(RawHeader.create("content-type", "foo"));

    assertThat(SentContentType.of(Optional.of("foo"), ContentTypes.APPLICATION_OCTET_STREAM, kept)).isEqualTo("foo");
  }

  @Test
  void no_field_stays_none_instead_of_pekkos_made_up_default() {
    assertThat(SentContentType.of(Optional.of(""), ContentTypes.APPLICATION_OCTET_STREAM, NONE)).isEmpty();
    assertThat(SentContentType.of(Optional.of(""), ContentTypes.NO_CONTENT_TYPE, NONE)).isEmpty();
  }

  @Test
  void without_the_guard_pekkos_copy_is_used() {
    assertThat(SentContentType.of(Optional.empty(), parsed("text/plain"), NONE)).isNull();
  }
}
