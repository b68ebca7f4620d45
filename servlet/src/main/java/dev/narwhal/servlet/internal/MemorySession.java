package dev.narwhal.servlet.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session held in memory by a {@link SessionStore}. Workers of one server share the store, so
 * one session may be used from several threads at once: its state is thread-safe.
 */
final class MemorySession implements HttpSession {
  private final SessionStore store;
  private volatile String id;
  private final long created = System.currentTimeMillis();
  private volatile long lastAccessed = created;
  private volatile int maxInactiveSeconds;
  private volatile boolean isNew = true;
  private volatile boolean invalid;
  private volatile ServletContext context;
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();

  MemorySession(SessionStore store, String id, int maxInactiveSeconds, ServletContext context) {
    this.store = store;
    this.id = id;
    this.maxInactiveSeconds = maxInactiveSeconds;
    this.context = context;
  }

  /** A request with this session's cookie arrived: it is no longer new, and its idle time restarts. */
  void accessed(ServletContext by) {
    isNew = false;
    lastAccessed = System.currentTimeMillis();
    context = by;
  }

  boolean expired(long now) {
    return invalid || (maxInactiveSeconds > 0 && now - lastAccessed > maxInactiveSeconds * 1000L);
  }

  boolean valid() {
    return !invalid;
  }

  void changeId(String newId) {
    this.id = newId;
  }

  private void checkValid(String method) {
    if (invalid) {
      throw new IllegalStateException("HttpSession." + method + ": the session " + id + " was invalidated");
    }
  }

  @Override
  public long getCreationTime() {
    checkValid("getCreationTime");
    return created;
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public long getLastAccessedTime() {
    checkValid("getLastAccessedTime");
    return lastAccessed;
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  @Override
  public void setMaxInactiveInterval(int interval) {
    this.maxInactiveSeconds = interval;
  }

  @Override
  public int getMaxInactiveInterval() {
    return maxInactiveSeconds;
  }

  @Override
  public Object getAttribute(String name) {
    checkValid("getAttribute");
    return attributes.get(name);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    checkValid("getAttributeNames");
    return Collections.enumeration(attributes.keySet());
  }

  @Override
  public void setAttribute(String name, Object value) {
    checkValid("setAttribute");
    if (value == null) {
      removeAttribute(name);
      return;
    }
    Object old = attributes.put(name, value);
    if (old != value && value instanceof HttpSessionBindingListener l) {
      l.valueBound(new HttpSessionBindingEvent(this, name, value));
    }
    if (old != null && old != value && old instanceof HttpSessionBindingListener l) {
      l.valueUnbound(new HttpSessionBindingEvent(this, name, old));
    }
  }

  @Override
  public void removeAttribute(String name) {
    checkValid("removeAttribute");
    Object old = attributes.remove(name);
    if (old instanceof HttpSessionBindingListener l) {
      l.valueUnbound(new HttpSessionBindingEvent(this, name, old));
    }
  }

  @Override
  public void invalidate() {
    checkValid("invalidate");
    store.remove(this);
    expire();
  }

  /** Marks the session dead and unbinds its attributes (invalidate, or expiry found by the store). */
  void expire() {
    if (invalid) {
      return;
    }
    store.destroyed(this); // before invalidation, as the spec says: the attributes are still readable
    invalid = true;
    for (String name : Map.copyOf(attributes).keySet()) {
      Object old = attributes.remove(name);
      if (old instanceof HttpSessionBindingListener l) {
        l.valueUnbound(new HttpSessionBindingEvent(this, name, old));
      }
    }
  }

  @Override
  public boolean isNew() {
    checkValid("isNew");
    return isNew;
  }
}
