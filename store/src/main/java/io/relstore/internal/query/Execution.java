package io.relstore.internal.query;

import io.relstore.Aggregate;
import io.relstore.internal.schema.ValueOrder;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.table.SortedIndex;
import io.relstore.internal.table.TableView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a {@link Query} on one state (the committed state a reader took, or a writer's own).
 *
 * <p>Pipeline: the {@link Planner}'s candidates, in key order; each checked against every clause,
 * which gives its multiplicity (SQL's duplicates); annotations and their filters; expansion over
 * multi-valued ordering or projected paths (one entry per related row, as SQL's join); ordering
 * (nulls last ascending, first descending, unless asked otherwise); distinct; slice.
 *
 * <p>Costs: when the order is the key order (or none) and nothing needs all rows first (no
 * annotation, expansion or distinct), evaluation streams and stops as soon as the slice, the
 * {@code first()} or the {@code exists()} is served; with {@code orderBy(...)[:k]} a bounded heap
 * keeps the k best entries instead of sorting all; otherwise entries are sorted once.
 */
public final class Execution {
  private final Query q;
  private final Scope.Ctx ctx;
  private final TableView table;
  private final @Nullable Scope expansion;
  private final int expansionClause;
  private Planner.@Nullable Source plan;
  private final List<PathResolver.Resolved> expansionPaths = new ArrayList<>();

  /** A result entry: the root row, its bound join rows when expanded, its annotations. */
  public record Entry(Object row, Object @Nullable [] bound, @Nullable Map<String, Object> annotations) {
  }

  /** Receives matching rows with their multiplicity; returns false to stop. */
  @FunctionalInterface
  public interface MatchVisitor {
    boolean visit(Object row, int multiplicity);
  }

  public Execution(Query q, Scope.Ctx ctx) {
    this.q = q;
    this.ctx = ctx;
    this.table = ctx.view().table(q.root());
    if (q.ordering() != null) {
      for (Query.OrderKey k : q.ordering()) {
        if (k.path() != null && k.path().multiValued()) {
          expansionPaths.add(k.path());
        }
      }
    }
    if (q.projection() != null) {
      for (PathResolver.Resolved p : q.projection().paths()) {
        if (p != null && p.multiValued()) {
          expansionPaths.add(p);
        }
      }
    }
    this.expansionClause = reusedClause(expansionPaths, q.clauses().size());
    this.expansion = expansionPaths.isEmpty() ? null : new Scope(expansionClause < 0
        ? new Node.Const(true) : q.clauses().get(expansionClause).node(), expansionPaths);
  }

  /**
   * The clause whose joins a later step reuses, as Django's ORM reuses an existing join for
   * ordering, values and aggregates: the last filter() call among the first {@code limit} that
   * joined a path's chain up to its first multi-valued hop (single-valued joins before it are the
   * same in every call); -1 when none did (the step then joins on its own).
   */
  private int reusedClause(List<PathResolver.Resolved> paths, int limit) {
    for (int i = limit - 1; i >= 0; i--) {
      Query.Clause c = q.clauses().get(i);
      if (c.exclude()) {
        continue;
      }
      for (PathResolver.Resolved p : paths) {
        List<PathResolver.Hop> chain = chainToFirstMultiValued(p);
        if (!chain.isEmpty() && c.scope().joinsChain(chain)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static List<PathResolver.Hop> chainToFirstMultiValued(PathResolver.Resolved p) {
    for (int i = 0; i < p.hops().size(); i++) {
      if (p.hops().get(i).reverse()) {
        return p.hops().subList(0, i + 1);
      }
    }
    return List.of();
  }

  /** How many result rows a matching root row gives apart from the reused clause's own joins. */
  private int otherMultiplicity(Object row, int total, int reused) {
    if (reused < 0) {
      return total;
    }
    int own = q.clauses().get(reused).scope().multiplicity(row, ctx);
    return own == 0 ? 0 : total / own;
  }

  /** The planner's choice, made once per execution. */
  public Planner.Source plan() {
    Planner.Source p = plan;
    if (p == null) {
      p = Planner.choose(q, ctx);
      plan = p;
    }
    return p;
  }

  /** Visits matching rows in key order (descending when asked) until the visitor stops. */
  public void matches(boolean descending, MatchVisitor visitor) {
    Candidates c = new Candidates(plan(), descending);
    for (Object row = c.next(); row != null; row = c.next()) {
      int m = multiplicity(row);
      if (m > 0 && !visitor.visit(row, m)) {
        return;
      }
    }
  }

  /** Rows pulled one at a time; null at the end. */
  private interface RowSource {
    @Nullable Object next();
  }

  /** Candidate rows of a source, pulled one at a time in key order. */
  private final class Candidates implements RowSource {
    private final long @Nullable [] keys;
    private final LongTrie.@Nullable Cursor cursor;
    private final boolean scan;
    private final boolean descending;
    private int index;

    Candidates(Planner.Source source, boolean descending) {
      this.descending = descending;
      this.scan = source instanceof Planner.ScanSource;
      this.keys = source instanceof Planner.ArraySource a ? a.keys()
          : source instanceof Planner.EmptySource ? new long[0] : null;
      this.cursor = keys != null ? null : (source instanceof Planner.TrieSource t ? t.keys()
          : table.rows()).cursor(!descending);
    }

    @Override
    public @Nullable Object next() {
      if (keys != null) {
        while (index < keys.length) {
          long k = keys[descending ? keys.length - 1 - index : index];
          index++;
          Object row = table.row(k);
          if (row != null) {
            return row;
          }
        }
        return null;
      }
      LongTrie.Cursor c = cursor;
      while (c != null && c.next()) {
        Object row = scan ? c.value() : table.row(c.key());
        if (row != null) {
          return row;
        }
      }
      return null;
    }
  }

  /**
   * The result as a lazy iterator, for a streamable query: each {@code next()} pulls candidates
   * until one matches, so a consumer that stops early (or abandons the iterator) costs nothing
   * more; it reads only the state it was made on and holds no lock.
   */
  public java.util.Iterator<Object> lazyRows() {
    RowSource c = orderedSource();
    if (c == null) {
      throw new IllegalStateException("not streamable");
    }
    long from = q.offset();
    long to = q.limit() < 0 ? Long.MAX_VALUE : q.offset() + q.limit();
    return new java.util.Iterator<>() {
      private long position;
      private @Nullable Object row;
      private int left;

      @Override
      public boolean hasNext() {
        while (left == 0 && position < to) {
          row = c.next();
          if (row == null) {
            return false;
          }
          left = multiplicity(row);
          while (left > 0 && position < from) {
            left--;
            position++;
          }
        }
        return left > 0 && position < to;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        left--;
        position++;
        return row;
      }
    };
  }

  /** How many times the row is in the result of the clauses (0: not at all). */
  public int multiplicity(Object row) {
    int m = 1;
    for (Query.Clause clause : q.clauses()) {
      m *= clause.scope().multiplicity(row, ctx);
      if (m == 0) {
        return 0;
      }
    }
    return m;
  }

  /** Whether the result can be streamed in its order without gathering all rows first. */
  public boolean streamable() {
    return simple() && (keyOrder() != null || orderIndex() != null);
  }

  private boolean simple() {
    return q.annotations().isEmpty() && expansion == null && !q.distinct() && !q.random();
  }

  /**
   * The sorted index that serves the ordering, when the ordering is one root field that has one
   * and walking it beats sorting the candidates: always for a full scan; under a limit k, when the
   * filter's own candidates are at least 16 k (the walk then stops after about k matches).
   */
  public @Nullable SortedIndex orderIndex() {
    List<Query.OrderKey> keys = q.ordering();
    if (!simple() || keys == null || keys.size() != 1) {
      return null;
    }
    Query.OrderKey k = keys.get(0);
    if (k.path() == null || !k.path().hops().isEmpty() || !k.path().transforms().isEmpty()
        || k.path().field().isPrimaryKey()) {
      return null;
    }
    SortedIndex index = table.sorted(k.path().field().index());
    if (index == null) {
      return null;
    }
    Planner.Source source = plan();
    boolean scan = source instanceof Planner.ScanSource;
    boolean limited = q.limit() >= 0 && source.estimate() >= 16 * (q.offset() + q.limit());
    return scan || limited ? index : null;
  }

  /** The rows in result order when they can be pulled one by one; null when they must be gathered. */
  private @Nullable RowSource orderedSource() {
    if (!simple()) {
      return null;
    }
    Boolean keyOrder = keyOrder();
    if (keyOrder != null) {
      return new Candidates(plan(), !keyOrder);
    }
    SortedIndex index = orderIndex();
    return index == null ? null : new IndexOrder(index, q.ordering().get(0));
  }

  /** Rows in the order of a sorted index, nulls placed as the ordering key asks. */
  private final class IndexOrder implements RowSource {
    private final SortedIndex.Cursor values;
    private final LongTrie.Cursor nulls;
    private final boolean nullsFirst;
    private boolean inNulls;
    private boolean valuesDone;

    IndexOrder(SortedIndex index, Query.OrderKey key) {
      this.values = index.cursor(!key.descending());
      this.nulls = index.nulls().cursor(!key.descending());
      this.nullsFirst = key.nulls() == Query.Nulls.FIRST
          || key.nulls() == Query.Nulls.DEFAULT && key.descending();
      this.inNulls = nullsFirst;
    }

    @Override
    public @Nullable Object next() {
      while (true) {
        if (inNulls) {
          if (nulls.next()) {
            return table.row(nulls.key());
          }
          if (!nullsFirst || valuesDone) {
            return null;
          }
          inNulls = false;
        }
        if (!valuesDone && values.next()) {
          return table.row(values.pk());
        }
        valuesDone = true;
        if (nullsFirst) {
          return null;
        }
        inNulls = true;
      }
    }
  }

  /** True (ascending) or false (descending) when the ordering is the key order; null otherwise. */
  public @Nullable Boolean keyOrder() {
    List<Query.OrderKey> keys = q.ordering();
    if (keys == null || keys.isEmpty()) {
      return Boolean.TRUE;
    }
    Query.OrderKey k = keys.get(0);
    return keys.size() == 1 && k.path() != null && k.path().hops().isEmpty()
        && k.path().field().isPrimaryKey() && k.path().transforms().isEmpty()
        ? !k.descending() : null;
  }

  /** The entries of the result, ordered, distinct and sliced. */
  public List<Entry> entries() {
    long from = q.offset();
    long to = q.limit() < 0 ? Long.MAX_VALUE : q.offset() + q.limit();
    if (streamable()) {
      List<Entry> out = new ArrayList<>();
      for (java.util.Iterator<Object> it = lazyRows(); it.hasNext(); ) {
        out.add(new Entry(it.next(), null, null));
      }
      return out;
    }
    List<Entry> all = gather(to);
    int end = (int) Math.min(all.size(), to);
    return from >= end ? List.of() : all.subList((int) from, end);
  }

  /** Every entry before slicing, ordered; with a bounded order and limit, only the first {@code to}. */
  private List<Entry> gather(long to) {
    List<Entry> all = new ArrayList<>();
    boolean annotated = !q.annotations().isEmpty() && !grouped();
    matches(false, (row, m) -> {
      Map<String, Object> ann = annotated ? annotate(row) : null;
      if (ann != null && !annotationFilters(ann)) {
        return true;
      }
      int copies = annotated ? 1 : otherMultiplicity(row, m, expansionClause);
      for (int i = 0; i < copies; i++) {
        expand(row, ann, all);
      }
      return true;
    });
    List<Entry> ordered = order(all, q.distinct() ? Long.MAX_VALUE : to);
    return q.distinct() ? distinct(ordered) : ordered;
  }

  private void expand(Object row, @Nullable Map<String, Object> ann, List<Entry> out) {
    if (expansion == null) {
      out.add(new Entry(row, null, ann));
      return;
    }
    expansion.forEach(row, ctx, bound -> out.add(new Entry(row, bound.clone(), ann)));
  }

  private List<Entry> order(List<Entry> entries, long to) {
    if (q.random()) {
      Collections.shuffle(entries, ThreadLocalRandom.current());
      return entries;
    }
    Boolean keyOrder = keyOrder();
    if (keyOrder != null && expansion == null) {
      if (!keyOrder) {
        Collections.reverse(entries);
      }
      return entries;
    }
    Comparator<Entry> cmp = comparator();
    if (to < entries.size() / 4 && to < Integer.MAX_VALUE) {
      return topK(entries, cmp, (int) to);
    }
    entries.sort(cmp);
    return entries;
  }

  /** The k smallest entries in order, with a bounded heap: O(n log k). Stable by input position. */
  private static List<Entry> topK(List<Entry> entries, Comparator<Entry> cmp, int k) {
    if (k == 0) {
      return new ArrayList<>();
    }
    record Ranked(Entry e, int index) {
    }
    Comparator<Ranked> rank = Comparator.<Ranked, Entry>comparing(Ranked::e, cmp)
        .thenComparingInt(Ranked::index);
    java.util.PriorityQueue<Ranked> heap = new java.util.PriorityQueue<>(k + 1, rank.reversed());
    for (int i = 0; i < entries.size(); i++) {
      heap.add(new Ranked(entries.get(i), i));
      if (heap.size() > k) {
        heap.poll();
      }
    }
    List<Ranked> best = new ArrayList<>(heap);
    best.sort(rank);
    List<Entry> out = new ArrayList<>(best.size());
    for (Ranked r : best) {
      out.add(r.e());
    }
    return out;
  }

  /**
   * The ordering's comparator; ties go by primary key in the direction of the first key, which is
   * the order a sorted index yields, so every strategy returns the same sequence.
   */
  private Comparator<Entry> comparator() {
    List<Query.OrderKey> keys = q.ordering() == null ? List.of() : q.ordering();
    Comparator<Entry> cmp = (a, b) -> 0;
    for (Query.OrderKey k : keys) {
      cmp = cmp.thenComparing(keyComparator(k));
    }
    boolean descending = !keys.isEmpty() && keys.get(0).descending();
    Comparator<Entry> byKey = Comparator.comparingLong(e -> q.root().pkOf(e.row()));
    return cmp.thenComparing(descending ? byKey.reversed() : byKey);
  }

  private Comparator<Entry> keyComparator(Query.OrderKey k) {
    boolean nullsFirst = k.nulls() == Query.Nulls.FIRST
        || k.nulls() == Query.Nulls.DEFAULT && k.descending();
    return (a, b) -> {
      Object x = sortValue(k, a);
      Object y = sortValue(k, b);
      if (x == null || y == null) {
        return x == y ? 0 : (x == null) == nullsFirst ? -1 : 1;
      }
      int c = Values.compare(x, y);
      return k.descending() ? -c : c;
    };
  }

  private @Nullable Object sortValue(Query.OrderKey k, Entry e) {
    if (k.alias() != null) {
      return e.annotations() == null ? null : e.annotations().get(k.alias());
    }
    return value(k.path(), e);
  }

  /** A value path read for an entry: through its bound rows when expanded, else forward joins. */
  public @Nullable Object value(PathResolver.@Nullable Resolved path, Entry e) {
    if (path == null) {
      return null;
    }
    if (path.multiValued()) {
      Object[] bound = e.bound();
      return bound == null || expansion == null ? null
          : Scope.read(path, bound[expansion.slot(path)], ctx);
    }
    Object row = e.row();
    for (PathResolver.Hop hop : path.hops()) {
      row = row == null ? null : Scope.parent(hop.fk(), row, ctx);
    }
    return Scope.read(path, row, ctx);
  }

  private List<Entry> distinct(List<Entry> entries) {
    List<Entry> out = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (Entry e : entries) {
      if (seen.add(distinctKey(e))) {
        out.add(e);
      }
    }
    return out;
  }

  private Object distinctKey(Entry e) {
    if (!q.distinctFields().isEmpty()) {
      List<Object> key = new ArrayList<>();
      for (String f : q.distinctFields()) {
        key.add(value(PathResolver.value(q.root(), f), e));
      }
      return keyOf(key);
    }
    if (q.projection() != null) {
      return keyOf(new ArrayList<>(project(e).values()));
    }
    // SQL's DISTINCT also compares the ordering's columns (a documented Django caveat): ordering
    // across a multi-valued relation keeps one row per distinct related value
    List<Object> key = new ArrayList<>();
    key.add(q.root().pkOf(e.row()));
    for (PathResolver.Resolved p : expansionPaths) {
      key.add(value(p, e));
    }
    return keyOf(key);
  }

  /** Values as a hash key in which equal SQL values meet (see {@link ValueOrder#key}). */
  private static List<Object> keyOf(List<Object> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(v == null ? List.of() : ValueOrder.key(v));
    }
    return out;
  }

  // ------------------------------------------------------------------ projection

  /** The entry as {@code values()} shows it: names to values, in the projection's order. */
  public Map<String, @Nullable Object> project(Entry e) {
    Query.Projection p = q.projection();
    Map<String, Object> out = new LinkedHashMap<>();
    if (p == null) {
      return out;
    }
    for (int i = 0; i < p.names().size(); i++) {
      String name = p.names().get(i);
      PathResolver.Resolved path = p.paths().get(i);
      out.put(name, path != null ? value(path, e)
          : e.annotations() == null ? null : e.annotations().get(name));
    }
    return out;
  }

  // ------------------------------------------------------------------ annotations

  private boolean grouped() {
    for (Query.Annotation a : q.annotations().values()) {
      if (a.grouped()) {
        return true;
      }
    }
    return false;
  }

  private Map<String, Object> annotate(Object row) {
    Joint joint = annotationJoint();
    Map<String, Accumulator> accs = joint.accumulators();
    joint.accumulate(row, accs, joint.weight(row, multiplicity(row)));
    Map<String, Object> out = new LinkedHashMap<>();
    accs.forEach((alias, acc) -> out.put(alias, acc.result()));
    return out;
  }

  private boolean annotationFilters(Map<String, Object> ann) {
    for (Query.AnnotationFilter f : q.annotationFilters()) {
      boolean hit = Scope.matches(f.lookup(), ann.get(f.alias()), f.value());
      if (hit == f.exclude()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Aggregates read together, as SQL's one SELECT with all their joins: one scope joins every
   * aggregate's path (a path used twice is joined once) and, where a path's relation was joined by
   * an earlier filter() call, reuses that call's join (its condition keeps only its matching
   * rows). Each join assignment of a root row gives every aggregate one value; the value counts once
   * per result row the other, not reused, clauses give the root row. So aggregates over different
   * relations multiply each other, Django's documented combining-aggregations behaviour.
   */
  private final class Joint {
    private final List<String> aliases = new ArrayList<>();
    private final List<Query.Annotation> parts = new ArrayList<>();
    private final java.util.Set<Integer> reused = new java.util.TreeSet<>();
    private final Scope scope;
    private final int[] slots;

    Joint(Map<String, Query.Annotation> aggregates, boolean reuse) {
      List<PathResolver.Resolved> paths = new ArrayList<>();
      List<Node> filters = new ArrayList<>();
      aggregates.forEach((alias, a) -> {
        aliases.add(alias);
        parts.add(a);
        paths.add(a.path());
        if (a.filter() != null) {
          filters.add(a.filter());
        }
        if (reuse && a.path().multiValued()) {
          int r = reusedClause(List.of(a.path()), a.clausesBefore());
          if (r >= 0) {
            reused.add(r);
          }
        }
      });
      List<Node> conditions = new ArrayList<>();
      for (int r : reused) {
        conditions.add(q.clauses().get(r).node());
      }
      Node node = conditions.isEmpty() ? new Node.Const(true)
          : conditions.size() == 1 ? conditions.get(0) : new Node.And(conditions);
      scope = new Scope(node, paths, filters);
      slots = new int[parts.size()];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = scope.slot(parts.get(i).path());
      }
    }

    /** The weight of a matching root row: its multiplicity apart from the reused clauses. */
    int weight(Object row, int total) {
      int w = total;
      for (int r : reused) {
        int own = q.clauses().get(r).scope().multiplicity(row, ctx);
        if (own == 0) {
          return 0;
        }
        w /= own;
      }
      return w;
    }

    void accumulate(Object row, Map<String, Accumulator> accs, int weight) {
      if (weight == 0) {
        return;
      }
      scope.forEach(row, ctx, bound -> {
        for (int i = 0; i < slots.length; i++) {
          Query.Annotation a = parts.get(i);
          if (a.filter() == null || scope.holds(a.filter(), bound, ctx)) {
            accs.get(aliases.get(i)).add(Scope.read(a.path(), bound[slots[i]], ctx), weight);
          }
        }
      });
    }

    Map<String, Accumulator> accumulators() {
      Map<String, Accumulator> out = new LinkedHashMap<>();
      for (int i = 0; i < parts.size(); i++) {
        out.put(aliases.get(i), new Accumulator(parts.get(i).aggregate()));
      }
      return out;
    }
  }

  private @Nullable Joint annotations;

  private Joint annotationJoint() {
    Joint j = annotations;
    if (j == null) {
      j = new Joint(q.annotations(), !grouped());
      annotations = j;
    }
    return j;
  }

  /** {@code values(...).annotate(...)}: one row per distinct projected tuple, aggregated. */
  public List<Map<String, @Nullable Object>> groups() {
    Map<List<Object>, Map<String, Accumulator>> groups = new LinkedHashMap<>();
    Map<List<Object>, Map<String, Object>> shown = new LinkedHashMap<>();
    Query.Projection p = q.projection();
    matches(false, (row, m) -> {
      List<Entry> entries = new ArrayList<>();
      int copies = otherMultiplicity(row, m, expansionClause);
      for (int i = 0; i < copies; i++) {
        expand(row, null, entries);
      }
      for (Entry e : entries) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (p != null) {
          for (int i = 0; i < p.names().size(); i++) {
            if (p.paths().get(i) != null) {
              values.put(p.names().get(i), value(p.paths().get(i), e));
            }
          }
        }
        List<Object> key = keyOf(new ArrayList<>(values.values()));
        shown.putIfAbsent(key, values);
        Joint joint = annotationJoint();
        Map<String, Accumulator> accs = groups.computeIfAbsent(key, k -> joint.accumulators());
        joint.accumulate(row, accs, 1);
      }
      return true;
    });
    List<Map<String, Object>> out = new ArrayList<>();
    groups.forEach((key, accs) -> {
      Map<String, Object> r = new LinkedHashMap<>(shown.get(key));
      accs.forEach((alias, acc) -> r.put(alias, acc.result()));
      if (annotationFilters(r)) {
        out.add(r);
      }
    });
    if (q.ordering() != null) {
      out.sort(groupComparator(q.ordering()));
    }
    long from = Math.min(q.offset(), out.size());
    long to = q.limit() < 0 ? out.size() : Math.min(out.size(), q.offset() + q.limit());
    return from >= to ? List.of() : new ArrayList<>(out.subList((int) from, (int) to));
  }

  /** Orders groups by projected names or aliases, nulls placed as for rows. */
  private static Comparator<Map<String, Object>> groupComparator(List<Query.OrderKey> keys) {
    Comparator<Map<String, Object>> cmp = (a, b) -> 0;
    for (Query.OrderKey k : keys) {
      String name = k.alias() != null ? k.alias() : k.path().text();
      boolean nullsFirst = k.nulls() == Query.Nulls.FIRST
          || k.nulls() == Query.Nulls.DEFAULT && k.descending();
      cmp = cmp.thenComparing((a, b) -> {
        Object x = a.get(name);
        Object y = b.get(name);
        if (x == null || y == null) {
          return x == y ? 0 : (x == null) == nullsFirst ? -1 : 1;
        }
        int c = Values.compare(x, y);
        return k.descending() ? -c : c;
      });
    }
    return cmp;
  }

  /** {@code aggregate(...)}: the aggregates over every entry of the (unsliced) result. */
  public Map<String, @Nullable Object> aggregate(Map<String, Query.Annotation> aggregates) {
    boolean subquery = q.sliced() || q.distinct();
    Joint joint = new Joint(aggregates, !subquery);
    Map<String, Accumulator> accs = joint.accumulators();
    if (subquery) {
      // Django aggregates over the sliced or distinct rows, each once
      for (Entry e : entries()) {
        joint.accumulate(e.row(), accs, 1);
      }
    } else {
      matches(false, (row, m) -> {
        joint.accumulate(row, accs, joint.weight(row, m));
        return true;
      });
    }
    Map<String, Object> out = new LinkedHashMap<>();
    accs.forEach((alias, acc) -> out.put(alias, acc.result()));
    return out;
  }

  /** Count, Sum, Avg, Min or Max over the values given, nulls skipped. */
  static final class Accumulator {
    private final Aggregate aggregate;
    private long count;
    private @Nullable Object best;
    private @Nullable Object sum;
    private final @Nullable Set<Object> distinct;

    Accumulator(Aggregate aggregate) {
      this.aggregate = aggregate;
      this.distinct = aggregate instanceof Aggregate.Count c && c.distinct() ? new HashSet<>()
          : null;
    }

    void add(@Nullable Object v, int weight) {
      if (v == null || distinct != null && !distinct.add(ValueOrder.key(v))) {
        return;
      }
      int times = distinct != null ? 1 : weight;
      count += times;
      if (aggregate instanceof Aggregate.Min || aggregate instanceof Aggregate.Max) {
        boolean max = aggregate instanceof Aggregate.Max;
        if (best == null || (Values.compare(v, best) > 0) == max && Values.compare(v, best) != 0) {
          best = v;
        }
      } else if (aggregate instanceof Aggregate.Sum || aggregate instanceof Aggregate.Avg) {
        Object added = times == 1 ? v : Expr.arith(v, '*', (long) times);
        sum = Expr.arith(sum == null ? (Object) 0L : sum, '+', added);
      }
    }

    @Nullable Object result() {
      if (aggregate instanceof Aggregate.Count) {
        return count;
      }
      if (aggregate instanceof Aggregate.Min || aggregate instanceof Aggregate.Max) {
        return best;
      }
      if (aggregate instanceof Aggregate.Sum) {
        return sum;
      }
      if (sum == null) {
        return null;
      }
      return sum instanceof BigDecimal d
          ? d.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64)
          : ((Number) sum).doubleValue() / count;
    }
  }

  /** For count(): an index's size when one equality on an indexed field is the whole query. */
  public @Nullable Long exactCount() {
    if (q.none()) {
      return 0L;
    }
    if (q.clauses().size() != 1 || q.clauses().get(0).exclude() || q.sliced() || q.distinct()
        || !q.annotationFilters().isEmpty() || !q.annotations().isEmpty() || expansion != null) {
      return null;
    }
    Node n = q.clauses().get(0).node();
    if (!(n instanceof Node.Cond c) || !c.path().hops().isEmpty()
        || !c.path().transforms().isEmpty() || c.lookup() != Lookup.EXACT) {
      return null;
    }
    Planner.Source s = plan();
    if (s instanceof Planner.TrieSource t && t.exact()) {
      return (long) t.keys().size();
    }
    return null;
  }
}
