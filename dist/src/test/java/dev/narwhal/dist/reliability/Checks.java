package dev.narwhal.dist.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's verdict: named checks, each printed as PASS or FAIL with what was measured, then
 * {@code N passed, N failed}. The summary and the figures also go to
 * {@code target/reliability/NAME.txt}, which {@code reliability/run} collects for
 * docs/reliability.md.
 */
public final class Checks {
  private final String scenario;
  private final List<String> lines = new ArrayList<>();
  private int passed;
  private int failed;

  public Checks(String scenario) {
    this.scenario = scenario;
  }

  /** Records a check; {@code detail} says what was measured, pass or fail. */
  public Checks check(String name, boolean ok, String detail) {
    if (ok) {
      passed++;
    } else {
      failed++;
    }
    note((ok ? "PASS " : "FAIL ") + name + ": " + detail);
    return this;
  }

  /** A line of figures that is not a check (load achieved, totals by status...). */
  public Checks note(String line) {
    lines.add(line);
    System.out.println("[" + scenario + "] " + line);
    return this;
  }

  public int failed() {
    return failed;
  }

  /** Prints and saves the summary; returns it. */
  public String finish() {
    String summary = passed + " passed, " + failed + " failed";
    note(summary);
    try {
      Path dir = Files.createDirectories(Path.of("target", "reliability"));
      Files.write(dir.resolve(scenario + ".txt"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return summary;
  }
}
