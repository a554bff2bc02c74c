package io.relstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A filter condition, as Django's {@code Q}: lookups ({@code Q.of("author__username__startswith",
 * "al")}) combined with {@link #and}, {@link #or} and {@link #negate}. Conditions given in one
 * {@code filter()} call that span a multi-valued relation must hold for the same related row;
 * conditions in separate calls may hold for different rows (Django's rule).
 */
public sealed interface Q permits Q.Lookup, Q.And, Q.Or, Q.Not, Q.Where {

  /** One lookup: a path with an optional lookup suffix, and its value (or an {@link F}). */
  static Q of(String path, @Nullable Object value) {
    return new Lookup(path, value);
  }

  /** Lookups AND-ed, as Django's keyword arguments: {@code Q.of("a", 1, "b__gt", 2)}. */
  static Q of(String path, @Nullable Object value, Object... more) {
    if (more.length % 2 != 0) {
      throw new QueryError("Q.of needs path/value pairs; got an odd number of arguments");
    }
    List<Q> all = new ArrayList<>();
    all.add(new Lookup(path, value));
    for (int i = 0; i < more.length; i += 2) {
      if (!(more[i] instanceof String p)) {
        throw new QueryError("Q.of: argument " + (i + 3) + " must be a path string, not "
            + more[i]);
      }
      all.add(new Lookup(p, more[i + 1]));
    }
    return new And(all);
  }

  /** All of the conditions. */
  static Q and(Q... qs) {
    return new And(List.of(qs));
  }

  /** Any of the conditions. */
  static Q or(Q... qs) {
    return new Or(List.of(qs));
  }

  /** A plain Java predicate on the row: allowed, but never indexed ({@code explain()} says so). */
  static <T> Q where(Predicate<? super T> test, String description) {
    @SuppressWarnings("unchecked")
    Predicate<Object> p = (Predicate<Object>) test;
    return new Where(p, description);
  }

  default Q and(Q other) {
    return new And(List.of(this, other));
  }

  default Q or(Q other) {
    return new Or(List.of(this, other));
  }

  /** Django's {@code ~Q(...)}. */
  default Q negate() {
    return new Not(this);
  }

  /**
   * One lookup.
   *
   * @param path {@code field}, {@code relation__field}, with an optional {@code __lookup}
   * @param value the value: a field value, a model record (for a relation), a collection (for
   *     {@code in}), a two-element list (for {@code range}), or an {@link F}
   */
  record Lookup(String path, @Nullable Object value) implements Q {
    public Lookup {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return path + "=" + (value instanceof String s ? "'" + s + "'" : value);
    }
  }

  /** Conjunction. */
  record And(List<Q> children) implements Q {
    public And {
      children = List.copyOf(children);
    }

    @Override
    public String toString() {
      return "(" + String.join(" AND ", children.stream().map(Object::toString).toList()) + ")";
    }
  }

  /** Disjunction. */
  record Or(List<Q> children) implements Q {
    public Or {
      children = List.copyOf(children);
    }

    @Override
    public String toString() {
      return "(" + String.join(" OR ", children.stream().map(Object::toString).toList()) + ")";
    }
  }

  /** Negation. */
  record Not(Q child) implements Q {
    public Not {
      Objects.requireNonNull(child, "child");
    }

    @Override
    public String toString() {
      return "NOT " + child;
    }
  }

  /** A residual Java predicate on rows of the queried model. */
  record Where(Predicate<Object> test, String description) implements Q {
    public Where {
      Objects.requireNonNull(test, "test");
    }

    @Override
    public String toString() {
      return "where(" + description + ")";
    }
  }
}
