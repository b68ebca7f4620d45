package dev.narwhal.dist.reliability;

import java.util.Set;

/**
 * One kind of request in a load mix: what to send, how often relative to the others, and which
 * statuses count as the right answer. An answer outside {@code expected} is counted as unexpected,
 * never silently as a success.
 *
 * @param name the label in reports
 * @param weight relative share of the mix
 * @param method GET or POST
 * @param path path and query
 * @param body request body (empty for none)
 * @param expectedLength the response body length a complete answer has, or -1 for any
 * @param expected the statuses that are the right answer
 */
public record Target(String name, int weight, String method, String path, byte[] body, int expectedLength,
    Set<Integer> expected) {

  public static Target get(String name, int weight, String path, int... expected) {
    return new Target(name, weight, "GET", path, new byte[0], -1, statuses(expected));
  }

  public static Target post(String name, int weight, String path, byte[] body, int... expected) {
    return new Target(name, weight, "POST", path, body, -1, statuses(expected));
  }

  /** A GET whose complete answer is exactly {@code length} bytes: a cut-off body is an error. */
  public Target withLength(int length) {
    return new Target(name, weight, method, path, body, length, expected);
  }

  private static Set<Integer> statuses(int... expected) {
    return expected.length == 0 ? Set.of(200) : java.util.Arrays.stream(expected).boxed()
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
