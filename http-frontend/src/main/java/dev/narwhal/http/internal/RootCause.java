package dev.narwhal.http.internal;

/**
 * INTERNAL API. The innermost cause of a failure: a failed bind arrives wrapped by the future, by
 * Pekko and by the JDK, and only the innermost message ("Address already in use") helps the
 * operator.
 */
public final class RootCause {
  private RootCause() {}

  public static Throwable of(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The innermost cause's message. */
  public static String message(Throwable failure) {
    return of(failure).getMessage();
  }
}
