package io.relstore.shell;

/** An error of the shell itself (Python's NameError, TypeError...), at a column of the input. */
final class ShellError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String kind;
  private final int column;

  ShellError(String kind, String message, int column) {
    super(message);
    this.kind = kind;
    this.column = column;
  }

  String kind() {
    return kind;
  }

  int column() {
    return column;
  }
}
