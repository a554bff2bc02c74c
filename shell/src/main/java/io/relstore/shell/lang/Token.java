package io.relstore.shell.lang;

import org.jspecify.annotations.Nullable;

/** A token: its kind, its text, its value (for literals) and its 1-based column. */
public record Token(Kind kind, String text, @Nullable Object value, int column) {

  /** Token kinds of the shell's Python-like expression language. */
  public enum Kind { NAME, NUMBER, STRING, OP, NEWLINE, END }

  public boolean is(String op) {
    return kind == Kind.OP && text.equals(op);
  }

  @Override
  public String toString() {
    return kind == Kind.END ? "end of input" : kind == Kind.NEWLINE ? "end of line" : "'" + text + "'";
  }
}
