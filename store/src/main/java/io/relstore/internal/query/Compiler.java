package io.relstore.internal.query;

import io.relstore.F;
import io.relstore.FieldError;
import io.relstore.Q;
import io.relstore.QueryError;
import io.relstore.ValidationError;
import io.relstore.internal.schema.ModelMeta;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Compiles a {@link Q} against a model: resolves every path with {@link PathResolver}, applies
 * Django's value rules (None with {@code exact} is {@code isnull}; None with any other lookup is an
 * error; {@code in} drops None and matches nothing when empty; {@code isnull} takes a boolean), and
 * coerces values to the field's kind so evaluation compares like with like.
 */
public final class Compiler {
  private Compiler() {
  }

  public static Node compile(ModelMeta root, Q q) {
    if (q instanceof Q.Lookup l) {
      return lookup(root, l.path(), l.value());
    }
    if (q instanceof Q.And a) {
      return new Node.And(children(root, a.children()));
    }
    if (q instanceof Q.Or o) {
      return new Node.Or(children(root, o.children()));
    }
    if (q instanceof Q.Not n) {
      return new Node.Not(compile(root, n.child()));
    }
    Q.Where w = (Q.Where) q;
    return new Node.Where(w.test(), w.description());
  }

  private static List<Node> children(ModelMeta root, List<Q> qs) {
    List<Node> out = new ArrayList<>(qs.size());
    for (Q q : qs) {
      out.add(compile(root, q));
    }
    return out;
  }

  static Node lookup(ModelMeta root, String text, @Nullable Object value) {
    PathResolver.Resolved path = PathResolver.filter(root, text);
    if (value instanceof io.relstore.Param) {
      return new Node.Cond(path, path.lookup(), value);
    }
    return cond(path, value);
  }

  /** A lookup on a resolved path with its value rules applied (used again to bind parameters). */
  static Node cond(PathResolver.Resolved path, @Nullable Object value) {
    ModelMeta root = path.root();
    String text = path.text();
    Lookup lookup = path.lookup();
    Supplier<String> where = () -> root.name() + "." + text; // for error messages only
    if (value instanceof F f) {
      if (lookup == Lookup.IN || lookup == Lookup.RANGE || lookup == Lookup.ISNULL) {
        throw new QueryError(where.get() + ": an F() expression cannot be the value of '"
            + lookup.djangoName() + "'");
      }
      return new Node.Cond(path, lookup, expr(root, f));
    }
    if (value == null) {
      if (lookup == Lookup.EXACT || lookup == Lookup.IEXACT) {
        return new Node.Cond(path, Lookup.ISNULL, Boolean.TRUE);
      }
      if (lookup != Lookup.ISNULL) {
        throw new QueryError("Cannot use None as a query value (" + where.get() + ")");
      }
    }
    return switch (lookup) {
      case ISNULL -> {
        if (!(value instanceof Boolean)) {
          throw new QueryError("The QuerySet value for an isnull lookup must be True or False."
              + " (" + where.get() + " got " + Values.show(value) + ")");
        }
        yield new Node.Cond(path, lookup, value);
      }
      case IN -> in(path, where, value);
      case RANGE -> range(path, where, value);
      case REGEX, IREGEX -> new Node.Cond(path, lookup, regex(where, lookup, value));
      case IEXACT, ICONTAINS, ISTARTSWITH, IENDSWITH ->
          new Node.Cond(path, lookup, Values.fold(text(where, value)));
      case CONTAINS, STARTSWITH, ENDSWITH -> new Node.Cond(path, lookup, text(where, value));
      default -> new Node.Cond(path, lookup, operand(path, where, value));
    };
  }

  private static Node in(PathResolver.Resolved path, Supplier<String> where,
      @Nullable Object value) {
    if (value instanceof io.relstore.QuerySet<?> qs) {
      return new Node.Cond(path, Lookup.IN, new Subquery(qs::results, qs.toString()));
    }
    List<Object> items = new ArrayList<>();
    for (Object item : iterable(where, value)) {
      if (item != null) {
        items.add(operand(path, where, item));
      }
    }
    // an empty list matches nothing, but stays a lookup so that its join still counts
    return new Node.Cond(path, Lookup.IN, List.copyOf(items));
  }

  private static Node range(PathResolver.Resolved path, Supplier<String> where,
      @Nullable Object value) {
    List<Object> bounds = new ArrayList<>();
    for (Object item : iterable(where, value)) {
      bounds.add(item);
    }
    if (bounds.size() != 2 || bounds.get(0) == null || bounds.get(1) == null) {
      throw new QueryError(where.get() + ": 'range' needs exactly two non-null bounds, got "
          + Values.show(value));
    }
    return new Node.Cond(path, Lookup.RANGE, List.of(operand(path, where, bounds.get(0)),
        operand(path, where, bounds.get(1))));
  }

  private static Iterable<?> iterable(Supplier<String> where, @Nullable Object value) {
    if (value instanceof Collection<?> c) {
      return c;
    }
    if (value != null && value.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        out.add(Array.get(value, i));
      }
      return out;
    }
    throw new QueryError(where.get() + ": needs a collection or an array, not "
        + Values.show(value));
  }

  private static String text(Supplier<String> where, @Nullable Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw new ValidationError(where.get() + ": a text lookup needs a String, not "
        + Values.show(value));
  }

  private static Pattern regex(Supplier<String> where, Lookup lookup, @Nullable Object value) {
    try {
      return Pattern.compile(text(where, value), lookup == Lookup.IREGEX
          ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (PatternSyntaxException e) {
      throw new ValidationError(where.get() + ": invalid regular expression "
          + Values.show(value) + " (" + e.getDescription() + ")");
    }
  }

  /**
   * The node with the parameters named in {@code values} replaced by their values (value rules
   * applied now); other parameters stay.
   */
  public static Node bind(Node n, java.util.Map<String, @Nullable Object> values) {
    if (n instanceof Node.Cond c && c.value() instanceof io.relstore.Param p) {
      return values.containsKey(p.name()) ? cond(c.path(), values.get(p.name())) : c;
    }
    if (n instanceof Node.And a) {
      return new Node.And(bindAll(a.children(), values));
    }
    if (n instanceof Node.Or o) {
      return new Node.Or(bindAll(o.children(), values));
    }
    if (n instanceof Node.Not x) {
      return new Node.Not(bind(x.child(), values));
    }
    return n;
  }

  private static List<Node> bindAll(List<Node> nodes, java.util.Map<String, Object> values) {
    List<Node> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      out.add(bind(n, values));
    }
    return out;
  }

  /** Names of the parameters left in a node. */
  public static void params(Node n, java.util.Set<String> out) {
    if (n instanceof Node.Cond c && c.value() instanceof io.relstore.Param p) {
      out.add(p.name());
    } else if (n instanceof Node.And a) {
      a.children().forEach(child -> params(child, out));
    } else if (n instanceof Node.Or o) {
      o.children().forEach(child -> params(child, out));
    } else if (n instanceof Node.Not x) {
      params(x.child(), out);
    }
  }

  /** A query value for the path's kind; a model record for a relation becomes its key. */
  static Object operand(PathResolver.Resolved path, Supplier<String> where, Object value) {
    if (path.relation() && value instanceof Record r) {
      ModelMeta expected = path.field().foreignKey() != null && !path.field().isPrimaryKey()
          ? path.field().fk().target() : path.field().model();
      if (!expected.isInstance(r)) {
        String shown = r.getClass().getSimpleName();
        throw new QueryError("Cannot query \"" + shown + "\": Must be \"" + expected.name()
            + "\" instance (" + where.get() + ")");
      }
      return expected.pkOf(r);
    }
    return Values.coerce(value, path.valueKind(), path.valueType(), where);
  }

  /** An F expression on the root model; it may follow forward relations only. */
  public static Expr expr(ModelMeta root, F f) {
    if (f instanceof F.Field ref) {
      PathResolver.Resolved p = PathResolver.value(root, ref.path());
      if (p.multiValued()) {
        throw new FieldError("F('" + ref.path() + "') on model '" + root.name() + "' spans a"
            + " multi-valued relation; F() may follow forward relations only");
      }
      return new Expr.Ref(p);
    }
    if (f instanceof F.Value v) {
      return new Expr.Const(v.value());
    }
    F.Arith a = (F.Arith) f;
    if ("+-*/".indexOf(a.op()) < 0) {
      throw new QueryError("F(): unknown operator '" + a.op() + "'");
    }
    return new Expr.Arith(expr(root, a.left()), a.op(), expr(root, a.right()));
  }
}
