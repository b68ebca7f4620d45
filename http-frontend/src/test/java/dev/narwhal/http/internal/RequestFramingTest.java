package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The scan on its own: however TCP splits the bytes, the parser must get the same ones. */
class RequestFramingTest {
  private static final String VALID = "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
      + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n\r\n\r\nGET / HTTP"
      + "POST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "5;ext=1\r\nab\r\nc\r\n0\r\nTrailer: t\r\n\r\n"
      + "GET /four HTTP/1.0\r\n\r\n";

  private final List<Boolean> declaredEmpty = new ArrayList<>();
  private final RequestFraming framing = new RequestFraming(1 << 20, (empty, type) -> declaredEmpty.add(empty));

  private static ByteString bytes(String text) {
    return ByteString.fromString(text, StandardCharsets.ISO_8859_1);
  }

  @Test
  void valid_requests_fed_a_byte_at_a_time_come_out_unchanged() {
    ByteString out = ByteString.emptyByteString();
    for (int i = 0; i < VALID.length(); i++) {
      out = out.concat(framing.feed(bytes(VALID.substring(i, i + 1))));
    }

    assertThat(framing.violation()).isNull();
    assertThat(out.utf8String()).isEqualTo(VALID);
    assertThat(declaredEmpty).hasSize(4);
  }

  @Test
  void each_heads_content_type_is_told_as_sent_and_none_from_a_trailer_or_with_bytes_it_cannot_hand_on() {
    List<String> types = new ArrayList<>();
    RequestFraming scan = new RequestFraming(1 << 20, (empty, type) -> types.add(type));
    String requests = "POST /a HTTP/1.1\r\nHost: x\r\ncontent-TYPE:  application/x-www-form-urlencoded; charset=iso-8859-1 \r\n"
        + "Content-Length: 2\r\n\r\nhi"
        + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        + "POST /c HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; x=\"\u00e9\"\r\nContent-Length: 0\r\n\r\n"
        + "POST /d HTTP/1.1\r\nHost: x\r\nContent-Type: a/b\r\nContent-Type: c/d\r\nContent-Length: 0\r\n\r\n"
        + "POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Type: t/t\r\n\r\n"
        + "POST /f HTTP/1.1\r\nHost: x\r\nContent-Type: \r\nContent-Length: 0\r\n\r\n";
    for (int i = 0; i < requests.length(); i++) { // a byte at a time: the value spans many feeds
      scan.feed(bytes(requests.substring(i, i + 1)));
    }

    assertThat(scan.violation()).isNull();
    // an empty value is a field all the same: unknown here, so not taken for none
    assertThat(types).containsExactly("application/x-www-form-urlencoded; charset=iso-8859-1", "", null, null, "", null);
  }

  @Test
  void a_head_past_the_free_bytes_takes_from_a_shared_budget_and_one_that_would_overdraw_it_is_refused_503() {
    HeadBudget budget = new HeadBudget(10_000);
    String large = "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + "a".repeat((int) HeadBudget.FREE + 8_000) + "\r\n";
    RequestFraming first = new RequestFraming(1 << 20, (empty, type) -> { }, budget.account());
    RequestFraming second = new RequestFraming(1 << 20, (empty, type) -> { }, budget.account());

    assertThat(first.feed(bytes(large)).isEmpty()).isTrue(); // held: the head is not whole yet
    assertThat(first.violation()).isNull();
    second.feed(bytes(large));
    assertThat(second.violation()).isEqualTo(FramingViolation.HEADS_OVER_BUDGET);
    assertThat(FramingViolation.HEADS_OVER_BUDGET.status).isEqualTo(503);

    // the first head is whole and goes to the parser: its share comes back for the next connection
    assertThat(first.feed(bytes("\r\n")).length()).isEqualTo(large.length() + 2);
    RequestFraming third = new RequestFraming(1 << 20, (empty, type) -> { }, budget.account());
    third.feed(bytes(large));
    assertThat(third.violation()).isNull();
    // and a connection that ends mid-head gives it back too
    third.finish();
    RequestFraming fourth = new RequestFraming(1 << 20, (empty, type) -> { }, budget.account());
    fourth.feed(bytes(large));
    assertThat(fourth.violation()).isNull();
  }

  @Test
  void complete_valid_requests_pass_as_the_same_bytes_without_a_copy() {
    ByteString chunk = bytes(VALID);

    assertThat(framing.feed(chunk)).isSameAs(chunk);
  }

  @Test
  void a_head_split_across_reads_is_held_until_it_is_complete() {
    assertThat(framing.feed(bytes("GET / HTTP/1.1\r\nHo")).isEmpty()).isTrue();
    assertThat(framing.feed(bytes("st: x\r\n\r\n")).utf8String()).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  @Test
  void a_violation_passes_only_the_bytes_before_the_bad_message() {
    String good = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";

    ByteString out = framing.feed(bytes(good + "GET /b HTTP/1.1\r\nHost: x\r\nX-Folded: 1\r\n 2\r\n\r\n"));

    assertThat(out.utf8String()).isEqualTo(good);
    assertThat(framing.violation()).isEqualTo(FramingViolation.OBS_FOLD);
    assertThat(framing.feed(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEmpty()).isTrue();
  }

  @Test
  void empty_lines_before_a_request_line_are_dropped() {
    assertThat(framing.feed(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")).utf8String())
        .isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  @Test
  void chunk_extensions_must_follow_the_grammar_and_anything_else_after_a_size_is_refused() {
    String head = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (String ok : List.of("5;a\r\n", "5 ; a = b\r\n", "5;a=\"q \\\" d\";b\r\n")) {
      RequestFraming fresh = new RequestFraming(1 << 20, (empty, type) -> { });
      fresh.feed(bytes(head + ok + "hello\r\n0\r\n\r\n"));
      assertThat(fresh.violation()).as(ok).isNull();
    }
    for (String bad : List.of("5\t\r\n", "5 \r\n", "5 x\r\n", "5;\r\n", "5;a=\r\n", "5;a b\r\n")) {
      RequestFraming fresh = new RequestFraming(1 << 20, (empty, type) -> { });
      fresh.feed(bytes(head + bad + "hello\r\n0\r\n\r\n"));
      assertThat(fresh.violation()).as(bad).isEqualTo(FramingViolation.MALFORMED_CHUNK);
    }
  }

  @Test
  void a_head_longer_than_the_limit_is_431() {
    RequestFraming small = new RequestFraming(64, (empty, type) -> declaredEmpty.add(empty));

    small.feed(bytes("GET / HTTP/1.1\r\nX: " + "a".repeat(100)));

    assertThat(small.violation()).isEqualTo(FramingViolation.HEAD_TOO_LARGE);
  }

  @Test
  void a_sentinel_names_its_violation() {
    String line = FramingViolation.BARE_LF.sentinel().utf8String();

    assertThat(FramingViolation.fromSentinel(line.substring(0, line.indexOf(' '))))
        .isEqualTo(FramingViolation.BARE_LF);
    assertThat(line.indexOf(' ')).isLessThan(16); // Pekko's default max-method-length
  }
}
