package io.relstore.shell.lang;

/** A syntax error at a column (1-based) of the input line. */
public final class ParseError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int column;

  public ParseError(String message, int column) {
    super(message);
    this.column = column;
  }

  /** 1-based column of the offending character. */
  public int column() {
    return column;
  }

  /** The input line with a caret under the column, then the message. */
  public String render(String line) {
    return line + "\n" + " ".repeat(Math.max(0, column - 1)) + "^ SyntaxError: " + getMessage()
        + " (column " + column + ")";
  }
}
