package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BenchAppTest {
  final BenchApp app = new BenchApp();

  static Request get(String path) {
    return Request.builder("GET", path).build();
  }

  static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void hello_answers_the_13_byte_greeting_at_both_paths() throws Exception {
    for (String path : new String[] {"/", "/hello"}) {
      Response r = app.handle(get(path));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsString()).isEqualTo("Hello, World!");
      assertThat(r.bodyUnsafe()).hasSize(13);
    }
  }

  @Test
  void sleep10_blocks_at_least_10_ms() throws Exception {
    long start = System.nanoTime();
    assertThat(app.handle(get("/sleep10")).bodyAsString()).isEqualTo("Hello, World!");
    assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(10);
  }

  @Test
  void async_sleep10_holds_no_thread_while_waiting() throws Exception {
    // 50 waits of 10 ms issued from one thread: a blocking handleAsync returns each one answered,
    // so all 50 would be done when the loop ends; a waiting one leaves at least the last pending
    // (counted, not timed). A pause of over 10 ms right after the last call can finish them all
    // on a loaded machine, so that counts only if it happens three times running.
    long start = System.nanoTime();
    List<CompletableFuture<Response>> stages = new ArrayList<>();
    long pending = 0;
    for (int attempt = 0; attempt < 3 && pending == 0; attempt++) {
      List<CompletableFuture<Response>> issued = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        issued.add(app.handleAsync(get("/sleep10")).toCompletableFuture());
      }
      pending = issued.stream().filter(stage -> !stage.isDone()).count();
      stages.addAll(issued);
    }
    assertThat(pending).as("waits still pending as the last was issued").isPositive();
    for (CompletableFuture<Response> stage : stages) {
      assertThat(stage.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("Hello, World!");
    }
    assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(10);
  }

  @Test
  void cpu1_spends_at_least_1_ms_in_both_forms() throws Exception {
    long start = System.nanoTime();
    assertThat(app.handle(get("/cpu1")).statusCode()).isEqualTo(200);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_000_000);
    start = System.nanoTime();
    assertThat(app.handleAsync(get("/cpu1")).toCompletableFuture().get().statusCode()).isEqualTo(200);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_000_000);
  }

  @Test
  void unknown_paths_are_404() throws Exception {
    assertThat(app.handle(get("/nope")).statusCode()).isEqualTo(404);
    assertThat(app.handleAsync(get("/nope")).toCompletableFuture().get().statusCode()).isEqualTo(404);
  }
}
