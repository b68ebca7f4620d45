package dev.narwhal.examples.jaxrs;

/** Input that cannot be stored; {@link InvalidNoteMapper} answers it with 400. */
public final class InvalidNoteException extends RuntimeException {
  private final String field;

  public InvalidNoteException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
