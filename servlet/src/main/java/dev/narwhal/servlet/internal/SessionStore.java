package dev.narwhal.servlet.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The in-memory sessions of one web application, shared by every app instance of it in this JVM:
 * Narwhal's workers are actors of one process, so a session made by one worker is seen by the
 * next request on another. It is per node: a second server process (or cluster node) has its own.
 *
 * <p>Expiry is lazy: an expired session is dropped when it is next looked up, and a sweep runs
 * now and then as sessions are created, so no timer thread is needed.
 */
public final class SessionStore {
  private static final Map<String, SessionStore> SHARED = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SWEEP_EVERY = 64;

  private final Map<String, MemorySession> sessions = new ConcurrentHashMap<>();
  private volatile int timeoutSeconds = 30 * 60;
  /** Tells HttpSessionListeners: those of the app instance started last (all instances have the same). */
  private volatile Consumer<HttpSession> onDestroyed = s -> { };
  private int createdSinceSweep;

  /** The store for the web application called {@code name}, created on first use. */
  public static SessionStore shared(String name) {
    return SHARED.computeIfAbsent(name, n -> new SessionStore());
  }

  /** The timeout of sessions created from now on, in seconds (0 or less: never). */
  public void timeoutSeconds(int seconds) {
    this.timeoutSeconds = seconds;
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The live session with this id, marked as accessed; empty if unknown, invalidated or expired. */
  Optional<MemorySession> find(String id, ServletContext by, boolean touch) {
    if (id == null) {
      return Optional.empty();
    }
    MemorySession session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (session.expired(System.currentTimeMillis())) {
      sessions.remove(id, session);
      session.expire();
      return Optional.empty();
    }
    if (touch) {
      session.accessed(by);
    }
    return Optional.of(session);
  }

  MemorySession create(ServletContext by) {
    sweepNowAndThen();
    MemorySession session = new MemorySession(this, newId(), timeoutSeconds, by);
    sessions.put(session.getId(), session);
    return session;
  }

  /** Gives a session a new id (session fixation defence), returning the new id. */
  String changeId(MemorySession session) {
    String newId = newId();
    sessions.remove(session.getId(), session);
    session.changeId(newId);
    sessions.put(newId, session);
    return newId;
  }

  void onDestroyed(Consumer<HttpSession> listener) {
    this.onDestroyed = listener;
  }

  void destroyed(MemorySession session) {
    onDestroyed.accept(session);
  }

  void remove(MemorySession session) {
    sessions.remove(session.getId(), session);
  }

  /** Live sessions; expired ones still held count until swept. */
  public int size() {
    return sessions.size();
  }

  private void sweepNowAndThen() {
    boolean sweep;
    synchronized (this) {
      sweep = ++createdSinceSweep >= SWEEP_EVERY;
      if (sweep) {
        createdSinceSweep = 0;
      }
    }
    if (sweep) {
      long now = System.currentTimeMillis();
      sessions.values().removeIf(s -> {
        boolean dead = s.expired(now);
        if (dead) {
          s.expire();
        }
        return dead;
      });
    }
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
