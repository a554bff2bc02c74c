package io.relstore;

import java.util.Objects;

/**
 * A reference to a field of the row, as Django's {@code F}: compare two fields
 * ({@code Q.of("rating__gt", F.of("min_rating"))}) or compute a new value in an update
 * ({@code update("views", F.of("views").plus(1))}). Arithmetic is on numbers.
 */
public sealed interface F permits F.Field, F.Value, F.Arith {

  /** The value of the field at {@code path} (which may follow forward relations). */
  static F of(String path) {
    return new Field(path);
  }

  default F plus(Object other) {
    return new Arith(this, '+', lift(other));
  }

  default F minus(Object other) {
    return new Arith(this, '-', lift(other));
  }

  default F times(Object other) {
    return new Arith(this, '*', lift(other));
  }

  default F div(Object other) {
    return new Arith(this, '/', lift(other));
  }

  private static F lift(Object o) {
    return o instanceof F f ? f : new Value(Objects.requireNonNull(o, "operand"));
  }

  /** A field reference. */
  record Field(String path) implements F {
    @Override
    public String toString() {
      return "F(" + path + ")";
    }
  }

  /** A constant operand. */
  record Value(Object value) implements F {
    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /** {@code left op right} with op one of {@code + - * /}. */
  record Arith(F left, char op, F right) implements F {
    @Override
    public String toString() {
      return "(" + left + " " + op + " " + right + ")";
    }
  }
}
