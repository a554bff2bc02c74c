package io.relstore.internal.query;

import java.math.BigDecimal;
import java.math.MathContext;
import org.jspecify.annotations.Nullable;

/**
 * A compiled {@code F} expression: a field reached through forward relations, a constant, or
 * arithmetic on numbers (integers stay integers, any BigDecimal makes BigDecimal, otherwise double;
 * integer division truncates as SQL's does; null in, null out).
 */
public sealed interface Expr {

  record Ref(PathResolver.Resolved path) implements Expr {
    @Override
    public String toString() {
      return "F(" + path.text() + ")";
    }
  }

  record Const(Object value) implements Expr {
    @Override
    public String toString() {
      return Values.show(value);
    }
  }

  record Arith(Expr left, char op, Expr right) implements Expr {
    @Override
    public String toString() {
      return "(" + left + " " + op + " " + right + ")";
    }
  }

  static @Nullable Object arith(@Nullable Object a, char op, @Nullable Object b) {
    if (!(a instanceof Number x) || !(b instanceof Number y)) {
      return null;
    }
    if (x instanceof BigDecimal || y instanceof BigDecimal) {
      BigDecimal p = Values.toBigDecimal(x);
      BigDecimal q = Values.toBigDecimal(y);
      return switch (op) {
        case '+' -> p.add(q);
        case '-' -> p.subtract(q);
        case '*' -> p.multiply(q);
        default -> q.signum() == 0 ? null : p.divide(q, MathContext.DECIMAL64);
      };
    }
    if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
      double p = x.doubleValue();
      double q = y.doubleValue();
      return switch (op) {
        case '+' -> p + q;
        case '-' -> p - q;
        case '*' -> p * q;
        default -> q == 0 ? null : p / q;
      };
    }
    long p = x.longValue();
    long q = y.longValue();
    return switch (op) {
      case '+' -> p + q;
      case '-' -> p - q;
      case '*' -> p * q;
      default -> q == 0 ? null : p / q;
    };
  }
}
