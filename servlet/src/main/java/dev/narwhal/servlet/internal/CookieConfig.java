package dev.narwhal.servlet.internal;

import jakarta.servlet.SessionCookieConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The session cookie's settings; the bridge reads the name (JSESSIONID unless changed). */
final class CookieConfig implements SessionCookieConfig {
  private volatile String name = "JSESSIONID";
  private final Map<String, String> attributes = new ConcurrentHashMap<>();

  @Override public void setName(String name) { this.name = name; }
  @Override public String getName() { return name; }
  @Override public void setDomain(String domain) { setAttribute("Domain", domain); }
  @Override public String getDomain() { return getAttribute("Domain"); }
  @Override public void setPath(String path) { setAttribute("Path", path); }
  @Override public String getPath() { return getAttribute("Path"); }
  @Override @SuppressWarnings("deprecation") public void setComment(String comment) {}
  @Override @SuppressWarnings("deprecation") public String getComment() { return null; }
  @Override public void setHttpOnly(boolean httpOnly) { setAttribute("HttpOnly", Boolean.toString(httpOnly)); }
  @Override public boolean isHttpOnly() { return !"false".equals(getAttribute("HttpOnly")); }
  @Override public void setSecure(boolean secure) { setAttribute("Secure", Boolean.toString(secure)); }
  @Override public boolean isSecure() { return "true".equals(getAttribute("Secure")); }
  @Override public void setMaxAge(int maxAge) { setAttribute("Max-Age", Integer.toString(maxAge)); }
  @Override public int getMaxAge() {
    String v = getAttribute("Max-Age");
    return v == null ? -1 : Integer.parseInt(v);
  }
  @Override public void setAttribute(String attribute, String value) {
    if (value == null) {
      attributes.remove(attribute);
    } else {
      attributes.put(attribute, value);
    }
  }
  @Override public String getAttribute(String attribute) { return attributes.get(attribute); }
  @Override public Map<String, String> getAttributes() { return Map.copyOf(attributes); }
}
