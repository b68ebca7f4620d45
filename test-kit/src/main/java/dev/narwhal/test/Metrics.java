package dev.narwhal.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code /metrics} scrape (Prometheus' text format), read by sample: a metric's name and its
 * labels, in any order. Kamon is one per JVM, so servers started in one test JVM share their
 * counters; assert on changes, or on metrics only one server produces.
 */
public record Metrics(String text) {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One line of the scrape. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  public List<Sample> samples() {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.lines().toList()) {
      Matcher sample = SAMPLE.matcher(line.strip());
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
    }
    return samples;
  }

  /** The sample named {@code name} with exactly these labels; empty when there is none. */
  public OptionalDouble value(String name, Map<String, String> labels) {
    Map<String, String> wanted = new TreeMap<>(labels);
    return samples().stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
        .mapToDouble(Sample::value).findFirst();
  }

  public OptionalDouble value(String name) {
    return value(name, Map.of());
  }

  /** Whether any sample's name starts with {@code prefix}. */
  public boolean has(String prefix) {
    return samples().stream().anyMatch(s -> s.name().startsWith(prefix));
  }
}
