package io.relstore.shell.lang;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The shell's syntax tree: statements and expressions, each knowing its column. */
public sealed interface Ast {

  int column();

  /** {@code name = value}. */
  record Assign(String name, Ast value, int column) implements Ast {
  }

  record Name(String name, int column) implements Ast {
  }

  record Literal(@Nullable Object value, int column) implements Ast {
  }

  /** {@code target.name}. */
  record Attr(Ast target, String name, int column) implements Ast {
  }

  /** {@code fn(args)}; an argument has a keyword ({@code title__icontains="x"}) or not. */
  record Call(Ast fn, List<Arg> args, int column) implements Ast {
  }

  record Arg(@Nullable String keyword, Ast value, int column) {
  }

  /** {@code target[index]}. */
  record Index(Ast target, Ast index, int column) implements Ast {
  }

  /** {@code target[low:high]}. */
  record Slice(Ast target, @Nullable Ast low, @Nullable Ast high, int column) implements Ast {
  }

  /** {@code -x} or {@code ~q}. */
  record Unary(char op, Ast operand, int column) implements Ast {
  }

  /** {@code a + b}, {@code q1 | q2}, ... */
  record Binary(char op, Ast left, Ast right, int column) implements Ast {
  }

  /** {@code [a, b]} or {@code (a, b)}. */
  record ListLit(List<Ast> items, int column) implements Ast {
  }
}
