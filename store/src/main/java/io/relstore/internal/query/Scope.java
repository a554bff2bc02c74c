package io.relstore.internal.query;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.tx.StoreView;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One {@code filter()} call, compiled with SQL's join semantics, which is what makes Django's
 * multi-valued rules and duplicate counts come out right.
 *
 * <p>Every distinct relation path used by a non-negated lookup of the call is one join, shared by
 * all lookups of the call (so conditions of one call must hold for the same related row). A row's
 * <em>multiplicity</em> is the number of join assignments (one related row, or a null row when there
 * is none, per join) for which the condition holds: the number of times SQL would return it. A
 * lookup under a negation that crosses a multi-valued relation is an EXISTS test of its own, as
 * Django's {@code split_exclude} subquery; so {@code exclude(a, b)} excludes rows with some related
 * row matching {@code a} and some (maybe other) matching {@code b}, as Django documents. Unknown
 * (null) compares false, and a negation applies to that two-valued result, as Django's
 * {@code IS NOT NULL} guards make it.
 *
 * <p>Cost per root row: the product of the related rows of its joins (usually one join, so its
 * children), read through the reverse indexes and forward pointers.
 */
public final class Scope {
  private final Node node;
  private final List<Join> joins = new ArrayList<>();
  private final Map<Node.Cond, Integer> slots = new IdentityHashMap<>(8);
  /** Built on first use, after every join is registered; racing builders make equal trees. */
  private volatile @Nullable Test compiled;

  /** A join: from the row bound at {@code parentSlot} along {@code hop}; bound at its own slot. */
  record Join(int parentSlot, PathResolver.Hop hop) {
  }

  /**
   * What evaluation reads: the tables of one state, the zone of date transforms, and the values of
   * subqueries, computed once per evaluation.
   */
  public record Ctx(StoreView view, ZoneId zone, Map<Object, List<Object>> subqueries) {
    public Ctx(StoreView view, ZoneId zone) {
      this(view, zone, new IdentityHashMap<>(2));
    }

    /** The operands of an {@code in} lookup: its list, or its subquery's values (evaluated once). */
    @SuppressWarnings("unchecked")
    public List<Object> operands(Node.Cond c) {
      Object v = c.value();
      if (v instanceof Subquery s) {
        return subqueries.computeIfAbsent(c, k -> s.values(c.path()));
      }
      return (List<Object>) v;
    }
  }

  public Scope(Node node) {
    this(node, List.of());
  }

  /**
   * A scope whose joins also cover {@code extra} paths (ordering or aggregated values), so that
   * each assignment binds a row for them; {@link #slot} finds it.
   */
  public Scope(Node node, List<PathResolver.Resolved> extra) {
    this(node, extra, List.of());
  }

  /**
   * A scope that also joins for {@code conditions} (aggregate filters), so that each can be tested
   * on an assignment with {@link #holds}; they do not filter the assignments themselves.
   */
  public Scope(Node node, List<PathResolver.Resolved> extra, List<Node> conditions) {
    this.node = node;
    register(node, false);
    for (PathResolver.Resolved p : extra) {
      slotFor(p.hops());
    }
    for (Node c : conditions) {
      register(c, false);
    }
  }

  private final Map<Node, Test> extraTests = new IdentityHashMap<>(2);

  /**
   * Whether a condition given to the constructor holds for an assignment of this scope. Such
   * scopes belong to one evaluation (one thread).
   */
  public boolean holds(Node condition, Object[] bound, Ctx ctx) {
    return extraTests.computeIfAbsent(condition, this::compile).test(bound, ctx);
  }

  /** The slot bound to the end of {@code path}'s joins (0: the root row); the path must be registered. */
  public int slot(PathResolver.Resolved path) {
    int slot = 0;
    for (PathResolver.Hop hop : path.hops()) {
      int found = -1;
      for (int i = 0; i < joins.size() && found < 0; i++) {
        Join j = joins.get(i);
        if (j.parentSlot() == slot && j.hop().equals(hop)) {
          found = i + 1;
        }
      }
      if (found < 0) {
        throw new IllegalStateException(path.text() + " is not joined in this scope");
      }
      slot = found;
    }
    return slot;
  }

  /** Receives each matching assignment: {@code bound[0]} is the root row. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Object[] bound);
  }

  /** Calls {@code visitor} once per join assignment of {@code root} for which the condition holds. */
  public void forEach(Object root, Ctx ctx, Visitor visitor) {
    Object[] bound = new Object[joins.size() + 1];
    bound[0] = root;
    walk(0, bound, ctx, visitor);
  }

  /** How many times {@code root} is in this call's result: 0 when it does not match. */
  public int multiplicity(Object root, Ctx ctx) {
    Object[] bound = new Object[joins.size() + 1];
    bound[0] = root;
    return walk(0, bound, ctx, null);
  }

  /**
   * Enumerates the assignments of joins {@code index..} (LEFT JOIN: a null row where a join has no
   * row), counting those for which the condition holds and passing each to the visitor, if any.
   */
  private int walk(int index, Object[] bound, Ctx ctx, @Nullable Visitor visitor) {
    if (index == joins.size()) {
      if (!eval(node, bound, ctx)) {
        return 0;
      }
      if (visitor != null) {
        visitor.visit(bound);
      }
      return 1;
    }
    Join j = joins.get(index);
    Object from = bound[j.parentSlot()];
    int slot = index + 1;
    if (!j.hop().reverse()) {
      bound[slot] = from == null ? null : parent(j.hop().fk(), from, ctx);
      return walk(index + 1, bound, ctx, visitor);
    }
    LongTrie<Object> children = from == null ? LongTrie.empty() : children(j.hop(), from, ctx);
    if (children.isEmpty()) {
      bound[slot] = null;
      return walk(index + 1, bound, ctx, visitor);
    }
    var table = ctx.view().table(j.hop().fk().model());
    LongTrie.Cursor c = children.cursor(true);
    int total = 0;
    while (c.next()) {
      bound[slot] = table.row(c.key());
      total += walk(index + 1, bound, ctx, visitor);
    }
    return total;
  }

  /** Whether this call joined the chain {@code hops} from the root row (later steps may reuse it). */
  public boolean joinsChain(List<PathResolver.Hop> hops) {
    int slot = 0;
    for (PathResolver.Hop hop : hops) {
      int found = -1;
      for (int i = 0; i < joins.size() && found < 0; i++) {
        Join j = joins.get(i);
        if (j.parentSlot() == slot && j.hop().equals(hop)) {
          found = i + 1;
        }
      }
      if (found < 0) {
        return false;
      }
      slot = found;
    }
    return true;
  }

  /** Whether some row can match more than once (a non-negated multi-valued join). */
  public boolean multiplies() {
    for (Join j : joins) {
      if (j.hop().reverse()) {
        return true;
      }
    }
    return false;
  }

  private void register(Node n, boolean negated) {
    if (n instanceof Node.Cond c) {
      if (!negated) {
        slots.put(c, slotFor(c.path().hops()));
      }
      if (c.value() instanceof Expr e) {
        checkExpr(e);
      }
    } else if (n instanceof Node.And a) {
      a.children().forEach(child -> register(child, negated));
    } else if (n instanceof Node.Or o) {
      o.children().forEach(child -> register(child, negated));
    } else if (n instanceof Node.Not x) {
      register(x.child(), true);
    }
  }

  private static void checkExpr(Expr e) {
    // F paths were checked single-valued at compile time; nothing to join.
  }

  private int slotFor(List<PathResolver.Hop> hops) {
    int slot = 0;
    for (PathResolver.Hop hop : hops) {
      int found = -1;
      for (int i = 0; i < joins.size(); i++) {
        Join j = joins.get(i);
        if (j.parentSlot() == slot && j.hop().equals(hop)) {
          found = i + 1;
          break;
        }
      }
      if (found < 0) {
        joins.add(new Join(slot, hop));
        found = joins.size();
      }
      slot = found;
    }
    return slot;
  }

  static @Nullable Object parent(FieldMeta fk, Object child, Ctx ctx) {
    long key = fk.getLong(child);
    return key == 0 ? null : ctx.view().table(fk.fk().target()).row(key);
  }

  static LongTrie<Object> children(PathResolver.Hop hop, Object parent, Ctx ctx) {
    FieldMeta fk = hop.fk();
    return ctx.view().table(fk.model()).children(fk.fk().ordinal(),
        fk.fk().target().pkOf(parent));
  }

  /** The condition compiled once into a tree of tests, each lookup knowing its join slot. */
  @FunctionalInterface
  private interface Test {
    boolean test(Object[] bound, Ctx ctx);
  }

  private boolean eval(Node n, Object[] bound, Ctx ctx) {
    Test t = compiled;
    if (t == null) {
      t = compile(n);
      compiled = t;
    }
    return t.test(bound, ctx);
  }

  private Test compile(Node n) {
    if (n instanceof Node.Cond c) {
      Integer slot = slots.get(c);
      if (slot == null) {
        return (bound, ctx) -> exists(c, bound[0], ctx);
      }
      int s = slot;
      Test direct = direct(c, s);
      return direct != null ? direct : (bound, ctx) -> test(c, bound[s], bound[0], ctx);
    }
    if (n instanceof Node.And a) {
      Test[] parts = compileAll(a.children());
      return (bound, ctx) -> {
        for (Test p : parts) {
          if (!p.test(bound, ctx)) {
            return false;
          }
        }
        return true;
      };
    }
    if (n instanceof Node.Or o) {
      Test[] parts = compileAll(o.children());
      return (bound, ctx) -> {
        for (Test p : parts) {
          if (p.test(bound, ctx)) {
            return true;
          }
        }
        return false;
      };
    }
    if (n instanceof Node.Not x) {
      Test inner = compile(x.child());
      return (bound, ctx) -> !inner.test(bound, ctx);
    }
    if (n instanceof Node.Where w) {
      return (bound, ctx) -> w.test().test(bound[0]);
    }
    boolean value = ((Node.Const) n).value();
    return (bound, ctx) -> value;
  }

  /**
   * The test of a lookup that compares a field of the bound row with a constant (no transform, no
   * F expression, no subquery), with the field's kind and the operand decided once: the common
   * case, read without the general path's checks. Null when the lookup is not of that kind.
   */
  private static @Nullable Test direct(Node.Cond c, int s) {
    PathResolver.Resolved p = c.path();
    Object arg = c.value();
    if (!p.transforms().isEmpty() || arg instanceof Expr || arg instanceof Subquery) {
      return null;
    }
    FieldMeta f = p.field();
    Lookup lookup = c.lookup();
    if (f.foreignKey() != null || f.isPrimaryKey()) {
      if (lookup == Lookup.EXACT && arg instanceof Long k) {
        long key = k;
        return (bound, ctx) -> {
          Object row = bound[s];
          return row != null && f.getLong(row) == key;
        };
      }
      return (bound, ctx) -> {
        Object row = bound[s];
        long key = row == null ? 0 : f.getLong(row);
        return matches(lookup, key == 0 ? null : key, arg);
      };
    }
    if (lookup == Lookup.EXACT && arg != null) {
      return (bound, ctx) -> {
        Object row = bound[s];
        Object v = row == null ? null : f.get(row);
        return v != null && Values.same(v, arg);
      };
    }
    return (bound, ctx) -> {
      Object row = bound[s];
      return matches(lookup, row == null ? null : f.get(row), arg);
    };
  }

  private Test[] compileAll(List<Node> nodes) {
    Test[] out = new Test[nodes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = compile(nodes.get(i));
    }
    return out;
  }

  /** A lookup evaluated on its own joins: true if some assignment of them makes it hold. */
  static boolean exists(Node.Cond c, Object root, Ctx ctx) {
    return existsFrom(c, 0, root, root, ctx);
  }

  private static boolean existsFrom(Node.Cond c, int hopIndex, @Nullable Object at, Object root,
      Ctx ctx) {
    List<PathResolver.Hop> hops = c.path().hops();
    if (hopIndex == hops.size()) {
      return test(c, at, root, ctx);
    }
    PathResolver.Hop hop = hops.get(hopIndex);
    if (!hop.reverse()) {
      return existsFrom(c, hopIndex + 1, at == null ? null : parent(hop.fk(), at, ctx), root,
          ctx);
    }
    LongTrie<Object> kids = at == null ? LongTrie.empty() : children(hop, at, ctx);
    if (kids.isEmpty()) {
      return existsFrom(c, hopIndex + 1, null, root, ctx);
    }
    var table = ctx.view().table(hop.fk().model());
    LongTrie.Cursor cur = kids.cursor(true);
    while (cur.next()) {
      if (existsFrom(c, hopIndex + 1, table.row(cur.key()), root, ctx)) {
        return true;
      }
    }
    return false;
  }

  /** The value a path reads on the row bound at its end (null row: null value). */
  static @Nullable Object read(PathResolver.Resolved path, @Nullable Object row, Ctx ctx) {
    if (row == null) {
      return null;
    }
    FieldMeta f = path.field();
    Object v;
    if (f.foreignKey() != null || f.isPrimaryKey()) {
      long key = f.getLong(row);
      v = key == 0 ? null : key;
    } else {
      v = f.get(row);
    }
    for (Transform t : path.transforms()) {
      v = t.apply(v, ctx.zone());
    }
    return v;
  }

  /** Evaluates an F expression on a root row. */
  public static @Nullable Object value(Expr e, Object root, Ctx ctx) {
    if (e instanceof Expr.Const k) {
      return k.value();
    }
    if (e instanceof Expr.Arith a) {
      return Expr.arith(value(a.left(), root, ctx), a.op(), value(a.right(), root, ctx));
    }
    PathResolver.Resolved p = ((Expr.Ref) e).path();
    Object row = root;
    for (PathResolver.Hop hop : p.hops()) {
      row = row == null ? null : parent(hop.fk(), row, ctx);
    }
    return read(p, row, ctx);
  }

  static boolean test(Node.Cond c, @Nullable Object row, Object root, Ctx ctx) {
    Object v = read(c.path(), row, ctx);
    Object arg = c.value();
    if (arg instanceof Expr e) {
      arg = value(e, root, ctx);
      if (arg == null) {
        return false;
      }
    }
    if (arg instanceof Subquery) {
      arg = ctx.operands(c);
    }
    return matches(c.lookup(), v, arg);
  }

  @SuppressWarnings("unchecked")
  static boolean matches(Lookup lookup, @Nullable Object v, @Nullable Object arg) {
    if (lookup == Lookup.ISNULL) {
      return (v == null) == Boolean.TRUE.equals(arg);
    }
    if (v == null || arg == null) {
      return false;
    }
    return switch (lookup) {
      case EXACT -> Values.same(v, arg);
      case IEXACT -> Values.fold(v.toString()).equals(arg);
      case CONTAINS -> v.toString().contains((String) arg);
      case ICONTAINS -> Values.fold(v.toString()).contains((String) arg);
      case STARTSWITH -> v.toString().startsWith((String) arg);
      case ISTARTSWITH -> Values.fold(v.toString()).startsWith((String) arg);
      case ENDSWITH -> v.toString().endsWith((String) arg);
      case IENDSWITH -> Values.fold(v.toString()).endsWith((String) arg);
      case IN -> inList(v, (List<Object>) arg);
      case GT -> Values.compare(v, arg) > 0;
      case GTE -> Values.compare(v, arg) >= 0;
      case LT -> Values.compare(v, arg) < 0;
      case LTE -> Values.compare(v, arg) <= 0;
      case RANGE -> {
        List<Object> b = (List<Object>) arg;
        yield Values.compare(v, b.get(0)) >= 0 && Values.compare(v, b.get(1)) <= 0;
      }
      case REGEX, IREGEX -> ((Pattern) arg).matcher(v.toString()).find();
      case ISNULL -> throw new IllegalStateException("handled above");
    };
  }

  private static boolean inList(Object v, List<Object> items) {
    for (Object item : items) {
      if (Values.same(v, item)) {
        return true;
      }
    }
    return false;
  }
}
