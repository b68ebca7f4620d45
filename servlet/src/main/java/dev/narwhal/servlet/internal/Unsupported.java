package dev.narwhal.servlet.internal;

/** The bridge's loud refusals, worded once. */
final class Unsupported {
  private Unsupported() {}

  static IllegalStateException async() {
    return new IllegalStateException("asynchronous servlets (startAsync) are not supported by narwhal-servlet: "
        + "each request runs to completion on its worker's thread, under the worker timeout");
  }
}
