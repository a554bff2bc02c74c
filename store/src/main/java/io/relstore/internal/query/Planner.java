package io.relstore.internal.query;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.table.SortedIndex;
import io.relstore.internal.table.TableView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.collections.api.set.primitive.MutableLongSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;
import org.jspecify.annotations.Nullable;

/**
 * Chooses where a query's candidate rows come from. Every lookup on the AND spine of a
 * {@code filter()} call can serve: a primary-key lookup, a foreign key's reverse index, a unique or
 * hash index, or a lookup across relations, answered set-wise (the matching rows of the far model,
 * found by its index or one scan of that table, mapped back to the root through the reverse indexes
 * and forward pointers). Estimates are index sizes, read in O(1); the smallest wins and only it is
 * materialised. Candidates are a superset of the answer: every candidate row is still checked
 * against every clause, so the choice affects speed only, never results.
 */
public final class Planner {
  private Planner() {
  }

  /**
   * Where candidates come from; keys are always produced in ascending key order. The description
   * (for {@code explain()}) is built only when asked for: planning runs on every execution.
   */
  public sealed interface Source {
    long estimate();

    Supplier<String> description();

    default String describe() {
      return description().get();
    }
  }

  /** An index's key set, shared, not copied: its size is exact and O(1). */
  public record TrieSource(LongTrie<Object> keys, Supplier<String> description, boolean exact)
      implements Source {
    @Override
    public long estimate() {
      return keys.size();
    }
  }

  /** Keys computed by the planner (unions, relation spanning), sorted. */
  public record ArraySource(long[] keys, Supplier<String> description) implements Source {
    @Override
    public long estimate() {
      return keys.length;
    }
  }

  /** Every row of the root table, in key order. */
  public record ScanSource(long estimate, Supplier<String> description) implements Source {
  }

  /** No row can match (an empty {@code in}, {@code none()}). */
  public record EmptySource(Supplier<String> description) implements Source {
    @Override
    public long estimate() {
      return 0;
    }
  }

  private record Candidate(long estimate, Supplier<Source> make) {
  }

  public static Source choose(Query q, Scope.Ctx ctx) {
    TableView root = ctx.view().table(q.root());
    if (q.none()) {
      return new EmptySource(() -> "none()");
    }
    Candidate best = null;
    for (Query.Clause clause : q.clauses()) {
      if (clause.exclude()) {
        continue;
      }
      List<Node> conjuncts = spine(clause.node());
      for (Node n : conjuncts) {
        if (n instanceof Node.Const k && !k.value()) {
          return new EmptySource(() -> n + " in a filter");
        }
        Candidate c = n instanceof Node.Cond cond ? candidate(cond, ctx) : null;
        if (c != null && (best == null || c.estimate() < best.estimate())) {
          best = c;
        }
      }
      Candidate c = composite(q.root(), conjuncts, root);
      if (c != null && (best == null || c.estimate() < best.estimate())) {
        best = c;
      }
    }
    if (best == null || best.estimate() >= root.size()) {
      return new ScanSource(root.size(), () -> "full scan of " + q.root().name());
    }
    return best.make().get();
  }

  /** A composite index whose every field has an equality among the conjuncts. */
  private static @Nullable Candidate composite(ModelMeta model, List<Node> conjuncts,
      TableView table) {
    Candidate best = null;
    for (int which = 0; which < model.composites().size(); which++) {
      int[] fields = model.composites().get(which);
      List<Object> values = new ArrayList<>();
      for (int f : fields) {
        Object v = equalityOn(conjuncts, f);
        if (v == null) {
          break;
        }
        values.add(v);
      }
      if (values.size() == fields.length) {
        LongTrie<Object> keys = table.lookupComposite(which, values);
        Supplier<String> d = () -> {
          List<String> names = new ArrayList<>();
          for (int f : fields) {
            names.add(model.field(f).name());
          }
          return "composite index on " + model.name() + names + " = " + values;
        };
        Candidate c = new Candidate(keys.size(), () -> new TrieSource(keys, d, false));
        if (best == null || c.estimate() < best.estimate()) {
          best = c;
        }
      }
    }
    return best;
  }

  private static @Nullable Object equalityOn(List<Node> conjuncts, int field) {
    for (Node n : conjuncts) {
      if (n instanceof Node.Cond c && c.lookup() == Lookup.EXACT && c.path().hops().isEmpty()
          && c.path().transforms().isEmpty() && c.path().field().index() == field
          && c.value() != null && !(c.value() instanceof Expr)) {
        return c.value();
      }
    }
    return null;
  }

  /** The conjuncts of a clause: nested ANDs flattened. */
  static List<Node> spine(Node n) {
    List<Node> out = new ArrayList<>();
    if (n instanceof Node.And a) {
      for (Node child : a.children()) {
        out.addAll(spine(child));
      }
    } else {
      out.add(n);
    }
    return out;
  }

  private static @Nullable Candidate candidate(Node.Cond c, Scope.Ctx ctx) {
    PathResolver.Resolved p = c.path();
    if (c.value() instanceof Expr || !p.transforms().isEmpty()) {
      return null;
    }
    if (p.hops().isEmpty()) {
      return indexed(p.root(), p.field(), c, ctx);
    }
    if (c.lookup() == Lookup.ISNULL && Boolean.TRUE.equals(c.value())) {
      return null;
    }
    ModelMeta far = p.last();
    Candidate end = indexed(far, p.field(), c, ctx);
    long estimate = end != null ? end.estimate() : ctx.view().table(far).size();
    return new Candidate(estimate, () -> spanned(c, end, ctx));
  }

  /** A lookup answered by an index of {@code model}'s table, if there is one for it. */
  private static @Nullable Candidate indexed(ModelMeta model, FieldMeta f, Node.Cond c,
      Scope.Ctx ctx) {
    TableView table = ctx.view().table(model);
    SortedIndex sorted = f.isPrimaryKey() ? null : table.sorted(f.index());
    Candidate range = sorted == null ? null : range(model, f, sorted, c);
    Candidate equal = equality(model, f, c, table, ctx);
    return range == null || equal != null && equal.estimate() <= range.estimate() ? equal : range;
  }

  /**
   * A comparison answered by a sorted index: the entries between the bounds, counted in O(log n)
   * through the index's ranks and gathered only if chosen.
   */
  @SuppressWarnings("unchecked")
  private static @Nullable Candidate range(ModelMeta model, FieldMeta f, SortedIndex index,
      Node.Cond c) {
    Object low = null;
    Object high = null;
    boolean lowIn = true;
    boolean highIn = true;
    switch (c.lookup()) {
      case EXACT -> {
        low = c.value();
        high = c.value();
      }
      case GT -> {
        low = c.value();
        lowIn = false;
      }
      case GTE -> low = c.value();
      case LT -> {
        high = c.value();
        highIn = false;
      }
      case LTE -> high = c.value();
      case RANGE -> {
        low = ((List<Object>) c.value()).get(0);
        high = ((List<Object>) c.value()).get(1);
      }
      default -> {
        return null;
      }
    }
    Object lo = low;
    Object hi = high;
    boolean loIn = lowIn;
    boolean hiIn = highIn;
    int from = lo == null ? 0 : index.rank(lo, !loIn);
    int to = hi == null ? index.size() : index.rank(hi, hiIn);
    Supplier<String> d = () -> "sorted index on " + model.name() + "." + f.name() + " "
        + c.lookup().djangoName() + " " + Values.show(c.value());
    return new Candidate(Math.max(0, to - from), () -> {
      LongHashSet keys = new LongHashSet();
      SortedIndex.Cursor cur = lo == null ? index.cursor(true) : index.cursorFrom(lo, loIn);
      while (cur.next()) {
        if (hi != null) {
          int cmp = Values.compare(cur.value(), hi);
          if (cmp > 0 || cmp == 0 && !hiIn) {
            break;
          }
        }
        keys.add(cur.pk());
      }
      return new ArraySource(keys.toSortedArray(), d);
    });
  }

  private static @Nullable Candidate equality(ModelMeta model, FieldMeta f, Node.Cond c,
      TableView table, Scope.Ctx ctx) {
    List<Object> values = operands(c, ctx);
    if (values == null) {
      return null;
    }
    Supplier<String> what = () -> model.name() + "." + f.name();
    if ((f.isPrimaryKey() || f.foreignKey() != null) && values.stream().anyMatch(v -> v == null)) {
      return null;
    }
    if (f.isPrimaryKey()) {
      return new Candidate(values.size(), () -> array(sortedKeys(values),
          () -> "primary key " + what.get() + " " + c.lookup().djangoName() + " " + values));
    }
    if (f.foreignKey() != null) {
      int ordinal = f.fk().ordinal();
      long estimate = 0;
      List<LongTrie<Object>> sets = new ArrayList<>();
      for (Object v : values) {
        LongTrie<Object> set = table.children(ordinal, (Long) v);
        estimate += set.size();
        sets.add(set);
      }
      Supplier<String> d = () -> "reverse index of " + what.get() + " " + c.lookup().djangoName()
          + " " + values;
      return new Candidate(estimate, () -> union(sets, d));
    }
    if (table.hasIndex(f.index())) {
      long estimate = 0;
      List<LongTrie<Object>> sets = new ArrayList<>();
      for (Object v : values) {
        LongTrie<Object> set = table.lookup(f.index(), v);
        estimate += set.size();
        sets.add(set);
      }
      Supplier<String> d = () -> (f.isUnique() ? "unique index " : "hash index ") + "on "
          + what.get() + " " + c.lookup().djangoName() + " "
          + (c.lookup() == Lookup.ISNULL ? "True" : values);
      return new Candidate(estimate, () -> union(sets, d));
    }
    SortedIndex sorted = table.sorted(f.index());
    if (sorted != null && c.lookup() != Lookup.EXACT) {
      long estimate = 0;
      for (Object v : values) {
        estimate += sorted.count(v);
      }
      Supplier<String> d = () -> "sorted index on " + what.get() + " " + c.lookup().djangoName()
          + " " + (c.lookup() == Lookup.ISNULL ? "True" : values);
      return new Candidate(estimate, () -> {
        MutableLongSet keys = new LongHashSet();
        for (Object v : values) {
          sorted.forEachEqual(v, keys::add);
        }
        return new ArraySource(keys.toSortedArray(), d);
      });
    }
    return null;
  }

  /** The values an equality-like lookup compares with; null for other lookups. */
  private static @Nullable List<Object> operands(Node.Cond c, Scope.Ctx ctx) {
    return switch (c.lookup()) {
      case EXACT -> java.util.Collections.singletonList(c.value());
      case IN -> ctx.operands(c);
      case ISNULL -> Boolean.TRUE.equals(c.value()) ? java.util.Collections.singletonList(null)
          : null;
      default -> null;
    };
  }

  private static long[] sortedKeys(List<Object> values) {
    LongHashSet set = new LongHashSet();
    for (Object v : values) {
      if (v instanceof Long k) {
        set.add(k);
      }
    }
    return set.toSortedArray();
  }

  private static Source array(long[] keys, Supplier<String> describe) {
    return new ArraySource(keys, describe);
  }

  private static Source union(List<LongTrie<Object>> sets, Supplier<String> describe) {
    if (sets.size() == 1) {
      return new TrieSource(sets.get(0), describe, true);
    }
    MutableLongSet all = new LongHashSet();
    for (LongTrie<Object> s : sets) {
      LongTrie.Cursor c = s.cursor(true);
      while (c.next()) {
        all.add(c.key());
      }
    }
    return new ArraySource(all.toSortedArray(), describe);
  }

  /**
   * Keys of the root rows reachable from the far rows matching {@code c}: the far set from its
   * index (or one scan of the far table), then one step back per join.
   */
  private static Source spanned(Node.Cond c, @Nullable Candidate end, Scope.Ctx ctx) {
    PathResolver.Resolved p = c.path();
    MutableLongSet keys = new LongHashSet();
    Supplier<String> how;
    if (end != null) {
      Source s = end.make().get();
      addAll(keys, s);
      how = s.description();
    } else {
      TableView far = ctx.view().table(p.last());
      LongTrie.Cursor cur = far.rows().cursor(true);
      while (cur.next()) {
        Object row = cur.value();
        Object arg = c.value() instanceof Subquery ? ctx.operands(c) : c.value();
        if (Scope.matches(c.lookup(), Scope.read(p, row, ctx), arg)) {
          keys.add(cur.key());
        }
      }
      how = () -> "scan of " + p.last().name() + " for " + c;
    }
    for (int i = p.hops().size() - 1; i >= 0; i--) {
      keys = back(p.hops().get(i), keys, ctx);
    }
    Supplier<String> scanned = how;
    return new ArraySource(keys.toSortedArray(), () -> scanned.get() + ", joined back to "
        + p.root().name() + " through " + p.hops());
  }

  private static void addAll(MutableLongSet keys, Source s) {
    if (s instanceof TrieSource t) {
      LongTrie.Cursor c = t.keys().cursor(true);
      while (c.next()) {
        keys.add(c.key());
      }
    } else if (s instanceof ArraySource a) {
      keys.addAll(a.keys());
    }
  }

  /** One join walked backwards: keys of the hop's far model to keys of its near model. */
  private static MutableLongSet back(PathResolver.Hop hop, MutableLongSet far, Scope.Ctx ctx) {
    MutableLongSet near = new LongHashSet();
    FieldMeta fk = hop.fk();
    if (hop.reverse()) {
      TableView children = ctx.view().table(fk.model());
      for (org.eclipse.collections.api.iterator.LongIterator it = far.longIterator(); it.hasNext(); ) {
        Object child = children.row(it.next());
        long parent = child == null ? 0 : fk.getLong(child);
        if (parent != 0) {
          near.add(parent);
        }
      }
    } else {
      TableView children = ctx.view().table(fk.model());
      for (org.eclipse.collections.api.iterator.LongIterator it = far.longIterator(); it.hasNext(); ) {
        LongTrie.Cursor c = children.children(fk.fk().ordinal(), it.next()).cursor(true);
        while (c.next()) {
          near.add(c.key());
        }
      }
    }
    return near;
  }
}
