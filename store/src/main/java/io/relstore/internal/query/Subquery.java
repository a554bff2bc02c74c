package io.relstore.internal.query;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A QuerySet used as the value of an {@code in} lookup (Django's subquery): kept unevaluated until
 * the outer query runs, then evaluated once per run, its rows turned into keys (or its projected
 * values coerced to the field's kind), None dropped.
 */
public record Subquery(Supplier<List<?>> source, String describe) {

  List<Object> values(PathResolver.Resolved path) {
    List<Object> out = new ArrayList<>();
    Supplier<String> where = () -> path.root().name() + "." + path.text();
    for (Object item : source.get()) {
      if (item != null) {
        out.add(Compiler.operand(path, where, item));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return describe;
  }
}
