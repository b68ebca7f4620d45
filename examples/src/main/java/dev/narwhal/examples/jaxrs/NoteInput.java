package dev.narwhal.examples.jaxrs;

/** A note as a client sends it (POST and PUT); checked before it is stored. */
public record NoteInput(String title, String body) {
  static final int MAX_TITLE = 200;

  /** Fails with the first problem found, naming the field. */
  NoteInput validated() {
    if (title == null || title.isBlank()) {
      throw new InvalidNoteException("title", "title is required");
    }
    if (title.length() > MAX_TITLE) {
      throw new InvalidNoteException("title", "title is longer than " + MAX_TITLE + " characters");
    }
    return this;
  }

  String bodyOrEmpty() {
    return body == null ? "" : body;
  }
}
