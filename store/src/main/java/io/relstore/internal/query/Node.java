package io.relstore.internal.query;

import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The compiled predicate tree of one {@code filter()} or {@code exclude()} call: paths resolved,
 * values coerced to the field's kind, Django's None rules applied. Immutable.
 */
public sealed interface Node {

  /**
   * A lookup on a path. {@code value} is the coerced operand: one value; a list for {@code in}
   * (None dropped); two values for {@code range}; a Boolean for {@code isnull}; a compiled
   * {@link java.util.regex.Pattern} for regex; a folded String for the case-insensitive lookups;
   * or an {@link Expr} comparing with another field.
   */
  record Cond(PathResolver.Resolved path, Lookup lookup, @Nullable Object value) implements Node {
    @Override
    public String toString() {
      return path.text() + "=" + Values.show(value instanceof java.util.regex.Pattern p
          ? p.pattern() : value);
    }
  }

  record And(List<Node> children) implements Node {
    @Override
    public String toString() {
      return "(" + String.join(" AND ", children.stream().map(Object::toString).toList()) + ")";
    }
  }

  record Or(List<Node> children) implements Node {
    @Override
    public String toString() {
      return "(" + String.join(" OR ", children.stream().map(Object::toString).toList()) + ")";
    }
  }

  record Not(Node child) implements Node {
    @Override
    public String toString() {
      return "NOT " + child;
    }
  }

  /** A Java predicate on the root row: never indexed. */
  record Where(Predicate<Object> test, String description) implements Node {
    @Override
    public String toString() {
      return "where(" + description + ") [unindexed]";
    }
  }

  /** Always true or always false ({@code in []}, {@code none()}). */
  record Const(boolean value) implements Node {
    @Override
    public String toString() {
      return value ? "TRUE" : "FALSE";
    }
  }
}
