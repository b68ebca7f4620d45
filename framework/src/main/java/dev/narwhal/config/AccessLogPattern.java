package dev.narwhal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of {@code access-log-format}: a gunicorn access-log format ({@code %(h)s %(l)s ...},
 * Python's %-formatting with a mapping) split into literal text and atoms. Parsed twice with this
 * one parser: by the settings reader, so a typo fails at start-up with its file and line, and by
 * the front end, which renders the atoms per request.
 *
 * <p>Gunicorn prints {@code -} for an atom it does not know; Narwhal rejects it instead, since an
 * unknown atom in a format is almost always a typo.
 */
public record AccessLogPattern(List<Segment> segments) {
  /** The single-letter atoms, as in gunicorn. */
  public static final String LETTERS = "hlutrmUqHsBbfaTMDLp";
  private static final Pattern ATOM = Pattern.compile("%\\(([^)]*)\\)[sd]");
  private static final Pattern BRACED = Pattern.compile("\\{[^{}]+}[ioe]");

  /** A piece of the format: text copied as is, or an atom replaced per request. */
  public sealed interface Segment {}

  public record Literal(String text) implements Segment {}

  /**
   * An atom: a letter of {@link #LETTERS}, or {@code {name}i} (request header), {@code {name}o}
   * (response header), {@code {name}e} (request or process variable).
   */
  public record Atom(String name) implements Segment {
    /** {@code i}, {@code o} or {@code e} for a braced atom; the letter itself otherwise. */
    public char kind() {
      return name.charAt(name.length() - 1);
    }

    /** The name inside the braces of a braced atom. */
    public String variable() {
      return name.substring(1, name.length() - 2);
    }

    public boolean braced() {
      return name.startsWith("{");
    }
  }

  public AccessLogPattern {
    segments = List.copyOf(segments);
  }

  /** Parses a format; throws {@link IllegalArgumentException} naming the first thing wrong. */
  public static AccessLogPattern parse(String format) {
    List<Segment> segments = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        literal.append(c);
        i++;
      } else if (format.startsWith("%%", i)) {
        literal.append('%');
        i += 2;
      } else {
        Matcher m = ATOM.matcher(format).region(i, format.length());
        if (!m.lookingAt()) {
          throw new IllegalArgumentException("'%' at position " + i + " starts no %(atom)s; write %% for a literal %");
        }
        if (!literal.isEmpty()) {
          segments.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        segments.add(atom(m.group(1)));
        i = m.end();
      }
    }
    if (!literal.isEmpty()) {
      segments.add(new Literal(literal.toString()));
    }
    return new AccessLogPattern(segments);
  }

  private static Atom atom(String name) {
    boolean letter = name.length() == 1 && LETTERS.indexOf(name.charAt(0)) >= 0;
    if (!letter && !BRACED.matcher(name).matches()) {
      throw new IllegalArgumentException("unknown atom %(" + name + ")s; known: "
          + String.join(" ", LETTERS.split("")) + " {header}i {header}o {variable}e");
    }
    return new Atom(name);
  }
}
