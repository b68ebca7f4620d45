package dev.narwhal.config.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API. Splits the text of a Python module into logical lines of tokens, as Python's own
 * tokenizer does for the subset a {@code gunicorn.conf.py} uses: names, numbers, strings (single,
 * double and triple quoted, with r/b/u/f prefixes), operators, comments, bracket and backslash
 * continuation. Nothing is evaluated here.
 */
public final class PyTokenizer {
  /** What a token is. */
  public enum Kind { NAME, NUMBER, STRING, OP }

  /**
   * One token. {@code text} is the name, the number's digits, the operator, or a string's decoded
   * value; {@code prefix} holds a string's lower-case prefix ({@code f} for an f-string).
   */
  public record Token(Kind kind, String text, String prefix, int line) {
    public boolean is(String op) {
      return kind == Kind.OP && text.equals(op) || kind == Kind.NAME && text.equals(op);
    }
  }

  /** A logical line: where it starts, how far it is indented, its tokens. */
  public record Line(int number, int indent, List<Token> tokens) {}

  private static final String[] OPERATORS = {
      "**=", "//=", "...", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "->", ":=",
      "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ",", ":", ".", "=", "<", ">", "@", ";", "|", "&", "~", "^"};

  private final String src;
  private final String file;
  private int pos;
  private int line = 1;

  private PyTokenizer(String src, String file) {
    this.src = src;
    this.file = file;
  }

  /** The logical lines of {@code src}; errors name {@code file} and the line. */
  public static List<Line> lines(String src, String file) {
    return new PyTokenizer(src.replace("\r\n", "\n"), file).all();
  }

  private List<Line> all() {
    List<Line> lines = new ArrayList<>();
    while (pos < src.length()) {
      int start = line;
      int indent = 0;
      while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
        indent++;
        pos++;
      }
      List<Token> tokens = logicalLine();
      if (!tokens.isEmpty()) {
        lines.add(new Line(start, indent, tokens));
      }
    }
    return lines;
  }

  /** Tokens up to the end of the logical line (a newline outside brackets), consuming it. */
  private List<Token> logicalLine() {
    List<Token> tokens = new ArrayList<>();
    int depth = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        if (depth == 0) {
          return tokens;
        }
      } else if (c == ' ' || c == '\t' || c == '\f') {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
        pos += 2;
        line++;
      } else if (Character.isDigit(c) || c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
        tokens.add(number());
      } else if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')
            && word.toLowerCase().matches("[rbuf]{1,2}")) {
          tokens.add(string(word.toLowerCase()));
        } else {
          tokens.add(new Token(Kind.NAME, word, "", line));
        }
      } else if (c == '"' || c == '\'') {
        tokens.add(string(""));
      } else {
        Token op = operator();
        depth += "([{".contains(op.text()) ? 1 : ")]}".contains(op.text()) ? -1 : 0;
        tokens.add(op);
      }
    }
    return tokens;
  }

  private Token number() {
    int start = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
        || src.charAt(pos) == '.' || (src.charAt(pos) == '-' || src.charAt(pos) == '+')
            && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E') && !src.substring(start, pos).startsWith("0x"))) {
      pos++;
    }
    return new Token(Kind.NUMBER, src.substring(start, pos).replace("_", ""), "", line);
  }

  private Token operator() {
    for (String op : OPERATORS) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return new Token(Kind.OP, op, "", line);
      }
    }
    throw PyError.at(file, line, "unexpected character '" + src.charAt(pos) + "'");
  }

  /** A string literal; escapes are decoded unless raw, f-strings keep their braces for the evaluator. */
  private Token string(String prefix) {
    int startLine = line;
    char quote = src.charAt(pos);
    boolean triple = src.startsWith(String.valueOf(quote).repeat(3), pos);
    pos += triple ? 3 : 1;
    boolean raw = prefix.contains("r");
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw PyError.at(file, startLine, "string literal is not closed");
      }
      char c = src.charAt(pos);
      if (triple ? src.startsWith(String.valueOf(quote).repeat(3), pos) : c == quote) {
        pos += triple ? 3 : 1;
        return new Token(Kind.STRING, out.toString(), prefix, startLine);
      }
      if (c == '\n') {
        if (!triple) {
          throw PyError.at(file, startLine, "string literal is not closed");
        }
        line++;
      }
      if (c == '\\' && pos + 1 < src.length()) {
        char next = src.charAt(pos + 1);
        pos += 2;
        if (next == '\n') {
          line++;
          if (raw) {
            out.append("\\\n");
          }
        } else if (raw) {
          out.append('\\').append(next);
        } else {
          out.append(switch (next) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '0' -> "\0";
            case '\\', '\'', '"' -> String.valueOf(next);
            default -> "\\" + next;
          });
        }
        continue;
      }
      out.append(c);
      pos++;
    }
  }
}
