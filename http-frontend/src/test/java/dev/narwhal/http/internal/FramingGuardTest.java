package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RawRequestURI;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.junit.jupiter.api.Test;
import scala.Option;

class FramingGuardTest {
  /** A request as Pekko's server hands it over: raw target header first, a parsed Host. */
  private static HttpRequest request(String method, String target) {
    return HttpRequest.create("/")
        .withMethod(HttpMethods.lookup(method).orElseThrow())
        .addHeader(RawRequestURI.create(target))
        .addHeader(Host.create("example.com"));
  }

  @Test
  void an_ordinary_request_passes() {
    assertThat(FramingGuard.check(request("GET", "/a?b=1"))).isEmpty();
  }

  @Test
  void options_with_the_asterisk_form_passes() {
    assertThat(FramingGuard.check(request("OPTIONS", "*"))).isEmpty();
  }

  @Test
  void the_asterisk_form_with_any_other_method_gets_400() {
    assertThat(FramingGuard.check(request("GET", "*")))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
  }

  @Test
  void a_host_pekko_could_not_parse_gets_400() {
    HttpRequest http = HttpRequest.create("/")
        .withProtocol(HttpProtocols.HTTP_1_0)
        .addHeader(RawRequestURI.create("/"))
        .addHeader(RawHeader.create("Host", "a b"));

    assertThat(FramingGuard.check(http)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
  }

  @Test
  void an_empty_host_gets_400() {
    HttpRequest http = HttpRequest.create("/")
        .addHeader(RawRequestURI.create("/"))
        .addHeader(Host.create(""));

    assertThat(FramingGuard.check(http)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
  }

  @Test
  void an_http_1_0_request_without_host_passes() {
    HttpRequest http = HttpRequest.create("/")
        .withProtocol(HttpProtocols.HTTP_1_0)
        .addHeader(RawRequestURI.create("/"));

    assertThat(FramingGuard.check(http)).isEmpty();
  }

  @Test
  void a_transfer_encoding_left_in_the_headers_gets_400() {
    HttpRequest http = request("POST", "/").addHeader(RawHeader.create("Transfer-Encoding", "\"chunked\""));

    assertThat(FramingGuard.check(http)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
  }

  @Test
  void a_rejection_closes_the_connection() {
    HttpResponse response = new FramingGuard.Rejection(400, "Invalid Host header").toHttpResponse();

    assertThat(response.status().intValue()).isEqualTo(400);
    assertThat(response.getHeader("Connection")).hasValueSatisfying(h -> assertThat(h.value()).isEqualTo("close"));
  }

  @Test
  void a_malformed_chunk_gets_400_not_500() {
    Throwable failure = new CompletionException(
        new EntityStreamException(new ErrorInfo("Illegal character 'z' in chunk start", "")));

    assertThat(FramingGuard.unreadableBody(failure).status()).isEqualTo(400);
  }

  @Test
  void a_body_over_the_limits_gets_413() {
    assertThat(FramingGuard.unreadableBody(new EntityStreamSizeException(10, Option.empty())).status())
        .isEqualTo(413);
    assertThat(FramingGuard.unreadableBody(
            new EntityStreamException(new ErrorInfo("Request too large", "Request of size 11 was longer"))).status())
        .isEqualTo(413);
  }

  @Test
  void a_body_that_stops_arriving_gets_408() {
    assertThat(FramingGuard.unreadableBody(new TimeoutException("no data")).status()).isEqualTo(408);
  }

  @Test
  void any_other_failure_stays_a_server_error() {
    assertThat(FramingGuard.unreadableBody(new IllegalStateException("boom")).status()).isEqualTo(500);
  }
}
