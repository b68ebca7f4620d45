package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the bridge does not do fails loudly, with a message that says so, never silently. */
class UnsupportedFeaturesTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private String failureOf(Bridge.Body body) throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("s", Bridge.servlet((req, resp) -> {
      try {
        body.run(req, resp);
        resp.setHeader("X-Failure", "no failure");
      } catch (RuntimeException e) {
        resp.setHeader("X-Failure", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }), "/*"));
    return Bridge.get(app, "/").header("X-Failure").orElseThrow();
  }

  @Test
  void start_async_fails_with_a_clear_message() throws Exception {
    assertThat(failureOf((req, resp) -> req.startAsync())).startsWith("IllegalStateException")
        .contains("startAsync) are not supported");
    assertThat(failureOf((req, resp) -> { assertThat(req.isAsyncSupported()).isFalse(); })).isEqualTo("no failure");
  }

  @Test
  void http_upgrade_fails_with_a_clear_message() throws Exception {
    assertThat(failureOf((req, resp) -> req.upgrade(HttpUpgradeHandler.class))).startsWith("UnsupportedOperationException")
        .contains("HTTP upgrade");
  }

  @Test
  void multipart_parts_fail_with_a_clear_message() throws Exception {
    assertThat(failureOf((req, resp) -> req.getParts())).contains("multipart/form-data (getParts) is not supported");
  }

  @Test
  void non_blocking_io_fails_with_a_clear_message() throws Exception {
    assertThat(failureOf((req, resp) -> req.getInputStream().setReadListener(null))).contains("need async mode");
    assertThat(failureOf((req, resp) -> resp.getOutputStream().setWriteListener(null))).contains("need async mode");
  }

  @Test
  void a_jsp_fails_at_registration_with_a_clear_message() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().discoverInitializers(false));

    assertThatThrownBy(() -> app.servletContext().addJspFile("page", "/index.jsp"))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("JSP (/index.jsp) is not supported");
  }
}
