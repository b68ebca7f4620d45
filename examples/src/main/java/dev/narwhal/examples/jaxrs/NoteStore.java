package dev.narwhal.examples.jaxrs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Notes in memory, thread-safe: the workers of one server share one store. */
public final class NoteStore {
  private static final NoteStore SHARED = new NoteStore();

  private final Map<Long, Note> notes = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** The process's store, shared by every worker's application. */
  public static NoteStore shared() {
    return SHARED;
  }

  public List<Note> all() {
    return List.copyOf(notes.values());
  }

  public Optional<Note> find(long id) {
    return Optional.ofNullable(notes.get(id));
  }

  public Note add(NoteInput input) {
    Note note = new Note(ids.incrementAndGet(), input.title().strip(), input.bodyOrEmpty());
    notes.put(note.id(), note);
    return note;
  }

  /** Replaces a note's content; empty when there is no such note. */
  public Optional<Note> replace(long id, NoteInput input) {
    return Optional.ofNullable(notes.computeIfPresent(id, (k, old) -> new Note(id, input.title().strip(), input.bodyOrEmpty())));
  }

  public boolean remove(long id) {
    return notes.remove(id) != null;
  }
}
