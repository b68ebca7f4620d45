package dev.narwhal.examples.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC controller as Spring's users write it: JSON out, a path variable, a 400 for bad input. */
@RestController
public class GreetingController {
  public record Greeting(long id, String text) {}

  private final AtomicLong ids = new AtomicLong();

  @GetMapping("/greetings/{name}")
  // names given: this build does not compile with -parameters, which Spring would need to infer them
  public ResponseEntity<?> greet(@PathVariable("name") String name,
      @RequestParam(name = "salutation", defaultValue = "Hello") String salutation) {
    if (name.length() > 40) {
      return ResponseEntity.badRequest().body(java.util.Map.of("error", "name is longer than 40 characters"));
    }
    return ResponseEntity.ok(new Greeting(ids.incrementAndGet(), salutation + ", " + name + "!"));
  }

  /** A slow report: blocks its worker for {@code ms}, as a slow query would (past {@code timeout}: 504). */
  @GetMapping(value = "/report", produces = "text/plain")
  public String report(@RequestParam(name = "ms", defaultValue = "0") long ms) throws InterruptedException {
    Thread.sleep(Math.max(0, ms));
    return "report ready after " + ms + " ms\n";
  }

  @GetMapping(value = "/ping", produces = "text/plain")
  public String ping() {
    return "pong";
  }
}
