package io.relstore.shell.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line of Django-style Python into tokens: names, numbers, strings (single or double
 * quotes, backslash escapes), operators and brackets. Newlines and {@code ;} separate statements
 * unless inside brackets. Errors name the column.
 */
public final class Lexer {
  private static final String OPS = "()[]{},:.=~|&+-*/;";

  private final String src;
  private int pos;
  private int depth;

  private Lexer(String src) {
    this.src = src;
  }

  public static List<Token> tokens(String src) {
    return new Lexer(src).run();
  }

  private List<Token> run() {
    List<Token> out = new ArrayList<>();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      int col = pos + 1;
      if (c == '\n' || c == ';') {
        pos++;
        if (depth == 0) {
          out.add(new Token(Token.Kind.NEWLINE, String.valueOf(c), null, col));
        }
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (Character.isLetter(c) || c == '_') {
        out.add(name(col));
      } else if (Character.isDigit(c)) {
        out.add(number(col));
      } else if (c == '"' || c == '\'') {
        out.add(string(c, col));
      } else if (OPS.indexOf(c) >= 0) {
        pos++;
        if ("([{".indexOf(c) >= 0) {
          depth++;
        } else if (")]}".indexOf(c) >= 0) {
          depth = Math.max(0, depth - 1);
        }
        out.add(new Token(Token.Kind.OP, String.valueOf(c), null, col));
      } else {
        throw new ParseError("unexpected character '" + c + "'", col);
      }
    }
    out.add(new Token(Token.Kind.END, "", null, src.length() + 1));
    return out;
  }

  private Token name(int col) {
    int start = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos))
        || src.charAt(pos) == '_')) {
      pos++;
    }
    return new Token(Token.Kind.NAME, src.substring(start, pos), null, col);
  }

  private Token number(int col) {
    int start = pos;
    boolean real = false;
    while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_'
        || src.charAt(pos) == '.' && !real && pos + 1 < src.length()
        && Character.isDigit(src.charAt(pos + 1)))) {
      real |= src.charAt(pos) == '.';
      pos++;
    }
    String text = src.substring(start, pos).replace("_", "");
    Object value = real ? (Object) Double.valueOf(text) : parseLong(text, col);
    return new Token(Token.Kind.NUMBER, text, value, col);
  }

  private static Long parseLong(String text, int col) {
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException e) {
      throw new ParseError("number too large: " + text, col);
    }
  }

  private Token string(char quote, int col) {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw new ParseError("unterminated string (opened with " + quote + ")", col);
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        break;
      }
      if (c == '\\' && pos < src.length()) {
        char e = src.charAt(pos++);
        sb.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
      } else {
        sb.append(c);
      }
    }
    return new Token(Token.Kind.STRING, src.substring(col - 1, pos), sb.toString(), col);
  }
}
