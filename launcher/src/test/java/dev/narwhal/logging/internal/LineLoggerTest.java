package dev.narwhal.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** capture-output: what an application prints becomes one log line per printed line. */
class LineLoggerTest {
  final List<String> logged = new CopyOnWriteArrayList<>();
  final PrintStream out = new PrintStream(new LineLogger(logged::add), true, StandardCharsets.UTF_8);

  @Test
  void each_printed_line_is_one_log_call_and_a_half_line_waits_for_its_end() {
    out.print("half ");
    out.flush();
    assertThat(logged).isEmpty();
    out.println("a line");
    out.print("two\r\nlines\n");
    out.println("é ü");
    assertThat(logged).containsExactly("half a line", "two", "lines", "é ü");
  }

  @Test
  void threads_printing_at_once_never_mix_inside_a_line() throws InterruptedException {
    Thread a = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        out.print("aaaa");
        out.println("AAAA");
      }
    });
    Thread b = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        out.print("bbbb");
        out.println("BBBB");
      }
    });
    a.start();
    b.start();
    a.join();
    b.join();
    assertThat(logged).hasSize(400).allMatch(l -> l.equals("aaaaAAAA") || l.equals("bbbbBBBB"));
  }

  @Test
  void closing_logs_what_is_left() {
    out.print("no newline");
    out.close();
    assertThat(logged).containsExactly("no newline");
  }
}
