package dev.narwhal;

import java.util.Objects;

/**
 * One field line of a request or response, as received or as it will be sent.
 *
 * <p>Names keep the case the client used; compare them with {@link #is(String)}.
 */
public record Header(String name, String value) {
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** True when this field's name equals {@code otherName}, ignoring ASCII case as HTTP does. */
  public boolean is(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }
}
