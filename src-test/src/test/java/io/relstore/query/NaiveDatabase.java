package io.relstore.query;

import io.relstore.query.MatrixQuery.Agg;
import io.relstore.query.MatrixQuery.All;
import io.relstore.query.MatrixQuery.Any;
import io.relstore.query.MatrixQuery.Binding;
import io.relstore.query.MatrixQuery.Call;
import io.relstore.query.MatrixQuery.Cond;
import io.relstore.query.MatrixQuery.FieldDef;
import io.relstore.query.MatrixQuery.First;
import io.relstore.query.MatrixQuery.Hop;
import io.relstore.query.MatrixQuery.Key;
import io.relstore.query.MatrixQuery.Kind;
import io.relstore.query.MatrixQuery.Look;
import io.relstore.query.MatrixQuery.Not;
import io.relstore.query.MatrixQuery.Nulls;
import io.relstore.query.MatrixQuery.PathSpec;
import io.relstore.query.MatrixQuery.Query;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The reference of {@link QueryMatrixTest}: rows as plain maps, deletes that cascade and set null
 * by hand, and a query evaluator written from Django's documented semantics, evaluated as SQL
 * would, with nested loops over all rows and nothing taken from relstore:
 *
 * <ul>
 *   <li>each {@code filter()} call joins every distinct relation path (prefix) of its lookups that
 *       are not under a negation once, as a LEFT join shared by those lookups: a join assignment
 *       binds each prefix to a related row, or to a null row when there is none. A row's
 *       multiplicity in the call is the number of assignments for which the condition holds, and
 *       calls multiply (the result is the product of the calls' satisfying assignments);
 *   <li>a lookup under a negation (and every lookup of {@code exclude()}, which is
 *       {@code filter(~Q(...))}) is an EXISTS of its own over the assignments of its own path, so
 *       {@code exclude(a, b)} is NOT(EXISTS a AND EXISTS b);
 *   <li>a comparison with null is false, except {@code isnull}; exact None is isnull; NOT applies
 *       to that two-valued result; {@code in} drops None items;
 *   <li>unordered results come in key order; an ordering sorts with nulls last ascending and first
 *       descending unless placed, ties by key in the direction of the first ordering key; an
 *       ordering key or an aggregate over a multi-valued path reuses the join of the latest call
 *       that made it (Django's {@code Query.join} reuse), otherwise joins anew (one result per
 *       related row, a null row when none);
 *   <li>{@code distinct()} compares the selected columns: the row and the ordering values; slicing
 *       comes last; {@code count()} and {@code exists()} drop the ordering unless sliced, and
 *       {@code aggregate()} over a sliced or distinct QuerySet aggregates the rows of that
 *       subquery (Django's {@code get_aggregation}).
 * </ul>
 */
final class NaiveDatabase {

  /** A stored row: field name to value, the key under {@code id}. */
  private final Map<String, TreeMap<Long, Map<String, @Nullable Object>>> tables = new HashMap<>();
  private final Map<String, Long> nextIds = new HashMap<>();

  NaiveDatabase() {
    for (String m : MatrixQuery.MODELS) {
      tables.put(m, new TreeMap<>());
      nextIds.put(m, 1L);
    }
  }

  // ------------------------------------------------------------------ data

  List<Map<String, @Nullable Object>> rows(String model) {
    return new ArrayList<>(tables.get(model).values());
  }

  @Nullable Map<String, @Nullable Object> kthRow(String model, int k) {
    List<Map<String, @Nullable Object>> all = rows(model);
    return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
  }

  private @Nullable Map<String, @Nullable Object> row(String model, @Nullable Object pk) {
    return pk == null ? null : tables.get(model).get((Long) pk);
  }

  /** Inserts a row (key 0: the next key, which never goes back) and returns it as stored. */
  Map<String, @Nullable Object> create(String model, Map<String, @Nullable Object> values) {
    Map<String, @Nullable Object> row = new LinkedHashMap<>(values);
    long pk = (Long) Objects.requireNonNull(row.get("id"));
    if (pk == 0) {
      pk = nextIds.get(model);
      row.put("id", pk);
    }
    nextIds.put(model, Math.max(nextIds.get(model), pk + 1));
    tables.get(model).put(pk, row);
    return row;
  }

  Map<String, @Nullable Object> update(String model, Map<String, @Nullable Object> values) {
    Map<String, @Nullable Object> row = new LinkedHashMap<>(values);
    tables.get(model).put((Long) Objects.requireNonNull(row.get("id")), row);
    return row;
  }

  /** Deletes a row: CASCADE and SET_NULL as the schema says; the count of deleted rows per model. */
  Map<String, Integer> delete(String model, long pk) {
    Map<String, Set<Long>> doomed = new TreeMap<>();
    collect(model, pk, doomed);
    Map<String, Integer> counts = new TreeMap<>();
    for (Map.Entry<String, Set<Long>> e : doomed.entrySet()) {
      for (long k : e.getValue()) {
        tables.get(e.getKey()).remove(k);
      }
      counts.put(e.getKey(), e.getValue().size());
    }
    for (String m : MatrixQuery.MODELS) {
      for (FieldDef f : MatrixQuery.model(m).fields()) {
        if (f.kind() == Kind.KEY && f.nullable()) {
          Set<Long> gone = doomed.getOrDefault(f.target(), new HashSet<>());
          for (Map<String, @Nullable Object> r : tables.get(m).values()) {
            if (r.get(f.name()) != null && gone.contains(r.get(f.name()))) {
              r.put(f.name(), null);
            }
          }
        }
      }
    }
    return counts;
  }

  /** Non-nullable foreign keys cascade; nullable ones are set null (after the collection). */
  private void collect(String model, long pk, Map<String, Set<Long>> doomed) {
    if (!doomed.computeIfAbsent(model, k -> new HashSet<>()).add(pk)) {
      return;
    }
    for (String m : MatrixQuery.MODELS) {
      for (FieldDef f : MatrixQuery.model(m).fields()) {
        if (f.kind() == Kind.KEY && !f.nullable() && model.equals(f.target())) {
          for (Map<String, @Nullable Object> r : rows(m)) {
            if (Objects.equals(r.get(f.name()), pk)) {
              collect(m, (Long) Objects.requireNonNull(r.get("id")), doomed);
            }
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ joins

  /** A binding of join keys (prefixes) to rows; a null value is the null row of a LEFT join. */
  private static Map<String, @Nullable Map<String, @Nullable Object>> assignment() {
    return new HashMap<>();
  }

  /** The rows one join reaches from {@code parent}; a null row when it reaches none. */
  private List<@Nullable Map<String, @Nullable Object>> step(
      @Nullable Map<String, @Nullable Object> parent, Hop hop) {
    List<@Nullable Map<String, @Nullable Object>> out = new ArrayList<>();
    if (parent == null) {
      out.add(null);
      return out;
    }
    if (!hop.reverse()) {
      out.add(row(hop.to(), parent.get(hop.fk())));
      return out;
    }
    for (Map<String, @Nullable Object> child : tables.get(hop.to()).values()) {
      if (Objects.equals(child.get(hop.fk()), parent.get("id"))) {
        out.add(child);
      }
    }
    if (out.isEmpty()) {
      out.add(null);
    }
    return out;
  }

  /** A join key with the join that makes it and the key it hangs from ("" for the root). */
  private record Prefix(String key, String parent, Hop hop, int depth) {
  }

  private static void addPrefixes(PathSpec path, Map<String, Prefix> out) {
    List<String> keys = path.prefixes();
    for (int i = 0; i < keys.size(); i++) {
      out.putIfAbsent(keys.get(i), new Prefix(keys.get(i), i == 0 ? "" : keys.get(i - 1),
          path.hops().get(i), i + 1));
    }
  }

  /** Every assignment of the prefixes, starting from {@code root}: a product of LEFT joins. */
  private List<Map<String, @Nullable Map<String, @Nullable Object>>> assignments(
      Map<String, @Nullable Object> root, Map<String, Prefix> prefixes) {
    List<Prefix> ordered = new ArrayList<>(prefixes.values());
    ordered.sort(Comparator.comparingInt(Prefix::depth).thenComparing(Prefix::key));
    List<Map<String, @Nullable Map<String, @Nullable Object>>> out = new ArrayList<>();
    out.add(assignment());
    for (Prefix p : ordered) {
      List<Map<String, @Nullable Map<String, @Nullable Object>>> next = new ArrayList<>();
      for (Map<String, @Nullable Map<String, @Nullable Object>> a : out) {
        Map<String, @Nullable Object> parent = p.parent().isEmpty() ? root : a.get(p.parent());
        for (Map<String, @Nullable Object> r : step(parent, p.hop())) {
          Map<String, @Nullable Map<String, @Nullable Object>> copy = new HashMap<>(a);
          copy.put(p.key(), r);
          next.add(copy);
        }
      }
      out = next;
    }
    return out;
  }

  // ------------------------------------------------------------------ conditions

  /** The value a path reads under an assignment that binds all its prefixes. */
  private static @Nullable Object read(Map<String, @Nullable Object> root,
      Map<String, @Nullable Map<String, @Nullable Object>> a, PathSpec path) {
    List<String> keys = path.prefixes();
    Map<String, @Nullable Object> r = keys.isEmpty() ? root : a.get(keys.get(keys.size() - 1));
    return r == null ? null : transform(r.get(path.field()), path.transforms());
  }

  private boolean holds(Cond c, Map<String, @Nullable Object> root,
      Map<String, @Nullable Map<String, @Nullable Object>> a, boolean negated) {
    if (c instanceof Look l) {
      return negated ? exists(l, root) : matches(l, read(root, a, l.path()));
    }
    if (c instanceof All all) {
      for (Cond p : all.parts()) {
        if (!holds(p, root, a, negated)) {
          return false;
        }
      }
      return true;
    }
    if (c instanceof Any any) {
      for (Cond p : any.parts()) {
        if (holds(p, root, a, negated)) {
          return true;
        }
      }
      return false;
    }
    return !holds(((Not) c).part(), root, a, true);
  }

  /** A negated lookup's own EXISTS: some assignment of its own path satisfies it. */
  private boolean exists(Look l, Map<String, @Nullable Object> root) {
    Map<String, Prefix> own = new HashMap<>();
    addPrefixes(l.path(), own);
    for (Map<String, @Nullable Map<String, @Nullable Object>> a : assignments(root, own)) {
      if (matches(l, read(root, a, l.path()))) {
        return true;
      }
    }
    return false;
  }

  /** The satisfying assignments of one call for one row (exclude: one empty one, or none). */
  private List<Map<String, @Nullable Map<String, @Nullable Object>>> satisfying(Call call,
      Map<String, @Nullable Object> root) {
    Cond all = new All(call.args());
    List<Map<String, @Nullable Map<String, @Nullable Object>>> out = new ArrayList<>();
    if (call.exclude()) {
      if (!holds(new Not(all), root, assignment(), false)) {
        return out;
      }
      out.add(assignment());
      return out;
    }
    List<Map.Entry<Look, Boolean>> lookups = new ArrayList<>();
    MatrixQuery.lookups(all, false, lookups);
    Map<String, Prefix> prefixes = new HashMap<>();
    for (Map.Entry<Look, Boolean> e : lookups) {
      if (!e.getValue()) {
        addPrefixes(e.getKey().path(), prefixes);
      }
    }
    for (Map<String, @Nullable Map<String, @Nullable Object>> a : assignments(root, prefixes)) {
      if (holds(all, root, a, false)) {
        out.add(a);
      }
    }
    return out;
  }

  static boolean matches(Look l, @Nullable Object v) {
    Object op = l.value();
    String lookup = l.lookup();
    if (lookup.equals("isnull")) {
      return (v == null) == (Boolean) Objects.requireNonNull(op);
    }
    if (op == null && (lookup.equals("exact") || lookup.equals("iexact"))) {
      return v == null;
    }
    if (v == null) {
      return false;
    }
    return switch (lookup) {
      case "exact" -> compare(v, op) == 0;
      case "iexact" -> fold(v).equals(fold(op));
      case "contains" -> ((String) v).contains((String) op);
      case "icontains" -> fold(v).contains(fold(op));
      case "startswith" -> ((String) v).startsWith((String) op);
      case "istartswith" -> fold(v).startsWith(fold(op));
      case "endswith" -> ((String) v).endsWith((String) op);
      case "iendswith" -> fold(v).endsWith(fold(op));
      case "gt" -> compare(v, op) > 0;
      case "gte" -> compare(v, op) >= 0;
      case "lt" -> compare(v, op) < 0;
      case "lte" -> compare(v, op) <= 0;
      case "in" -> in(v, (List<?>) Objects.requireNonNull(op));
      case "range" -> compare(v, ((List<?>) op).get(0)) >= 0
          && compare(v, ((List<?>) op).get(1)) <= 0;
      case "regex" -> Pattern.compile((String) op).matcher((String) v).find();
      case "iregex" -> Pattern.compile((String) op, Pattern.CASE_INSENSITIVE
          | Pattern.UNICODE_CASE).matcher((String) v).find();
      default -> throw new IllegalArgumentException(lookup);
    };
  }

  private static boolean in(Object v, List<?> items) {
    for (Object item : items) {
      if (item != null && compare(v, item) == 0) {
        return true;
      }
    }
    return false;
  }

  private static String fold(@Nullable Object s) {
    return ((String) Objects.requireNonNull(s)).toLowerCase(Locale.ROOT);
  }

  /** SQL's comparison of two non-null values: numbers by value, strings by code point. */
  @SuppressWarnings("unchecked")
  static int compare(Object a, @Nullable Object b) {
    Objects.requireNonNull(b);
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y));
    }
    if (a instanceof String x && b instanceof String y) {
      return codePointCompare(x, y);
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  private static int codePointCompare(String x, String y) {
    int[] a = x.codePoints().toArray();
    int[] b = y.codePoints().toArray();
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
  }

  static @Nullable Object transform(@Nullable Object v, List<String> transforms) {
    Object out = v;
    for (String t : transforms) {
      if (out == null) {
        return null;
      }
      LocalDate d = (LocalDate) out;
      out = switch (t) {
        case "year" -> d.getYear();
        case "iso_year" -> d.get(IsoFields.WEEK_BASED_YEAR);
        case "month" -> d.getMonthValue();
        case "day" -> d.getDayOfMonth();
        case "week" -> d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        case "week_day" -> d.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : d.getDayOfWeek().getValue() + 1;
        case "iso_week_day" -> d.getDayOfWeek().getValue();
        case "quarter" -> (d.getMonthValue() - 1) / 3 + 1;
        default -> throw new IllegalArgumentException(t);
      };
    }
    return out;
  }

  // ------------------------------------------------------------------ results

  /**
   * One result entry: the root row, the satisfying assignment it came from in each call, and the
   * rows of joins made anew for ordering keys or aggregates (keyed {@code owner|prefix}).
   */
  private record Entry(Map<String, @Nullable Object> row,
      List<Map<String, @Nullable Map<String, @Nullable Object>>> calls,
      Map<String, @Nullable Map<String, @Nullable Object>> fresh) {
    long pk() {
      return (Long) Objects.requireNonNull(row.get("id"));
    }
  }

  /** The filtered entries in key order: per row, the product of the calls' assignments. */
  private List<Entry> filtered(Query q) {
    List<Entry> out = new ArrayList<>();
    for (Map<String, @Nullable Object> row : rows(q.model())) {
      List<List<Map<String, @Nullable Map<String, @Nullable Object>>>> product = new ArrayList<>();
      product.add(new ArrayList<>());
      for (Call c : q.calls()) {
        List<Map<String, @Nullable Map<String, @Nullable Object>>> sat = satisfying(c, row);
        List<List<Map<String, @Nullable Map<String, @Nullable Object>>>> next = new ArrayList<>();
        for (List<Map<String, @Nullable Map<String, @Nullable Object>>> partial : product) {
          for (Map<String, @Nullable Map<String, @Nullable Object>> a : sat) {
            List<Map<String, @Nullable Map<String, @Nullable Object>>> longer =
                new ArrayList<>(partial);
            longer.add(a);
            next.add(longer);
          }
        }
        product = next;
      }
      for (List<Map<String, @Nullable Map<String, @Nullable Object>>> calls : product) {
        out.add(new Entry(row, calls, new HashMap<>()));
      }
    }
    return out;
  }

  /** A join made anew for value paths: under the owner call's alias (or the root's, -1). */
  private record FreshJoin(int owner, String prefix, PathSpec path, int depth) {
    String key() {
      return owner + "|" + prefix;
    }
  }

  private static List<FreshJoin> freshJoins(List<PathSpec> paths, List<Set<String>> callJoins) {
    Map<String, FreshJoin> out = new LinkedHashMap<>();
    for (PathSpec p : paths) {
      Binding b = MatrixQuery.bind(p, callJoins);
      List<String> keys = p.prefixes();
      for (String f : b.fresh()) {
        int i = keys.indexOf(f);
        FreshJoin j = new FreshJoin(b.owner(), f, p, i + 1);
        out.putIfAbsent(j.key(), j);
      }
    }
    List<FreshJoin> list = new ArrayList<>(out.values());
    list.sort(Comparator.comparingInt(FreshJoin::depth).thenComparing(FreshJoin::key));
    return list;
  }

  /** The row a prefix of a value path reaches in an entry, through reused or fresh joins. */
  private @Nullable Map<String, @Nullable Object> rowAt(Entry e, int owner, PathSpec path,
      int depth) {
    if (depth == 0) {
      return e.row();
    }
    String p = path.prefixes().get(depth - 1);
    if (e.fresh().containsKey(owner + "|" + p)) {
      return e.fresh().get(owner + "|" + p);
    }
    if (owner >= 0 && e.calls().get(owner).containsKey(p)) {
      return e.calls().get(owner).get(p);
    }
    Hop hop = path.hops().get(depth - 1);
    if (hop.reverse()) {
      throw new IllegalStateException("unbound join " + owner + "|" + p);
    }
    Map<String, @Nullable Object> parent = rowAt(e, owner, path, depth - 1);
    return parent == null ? null : row(hop.to(), parent.get(hop.fk()));
  }

  /** Each entry once per assignment of the fresh joins. */
  private List<Entry> expand(List<Entry> entries, List<FreshJoin> joins) {
    List<Entry> out = entries;
    for (FreshJoin j : joins) {
      List<Entry> next = new ArrayList<>();
      for (Entry e : out) {
        Map<String, @Nullable Object> parent = rowAt(e, j.owner(), j.path(), j.depth() - 1);
        for (Map<String, @Nullable Object> r : step(parent, j.path().hops().get(j.depth() - 1))) {
          Map<String, @Nullable Map<String, @Nullable Object>> fresh = new HashMap<>(e.fresh());
          fresh.put(j.key(), r);
          next.add(new Entry(e.row(), e.calls(), fresh));
        }
      }
      out = next;
    }
    return out;
  }

  /** The value of a value path (ordering key, aggregate) in an entry. */
  private @Nullable Object value(Entry e, PathSpec path, List<Set<String>> callJoins) {
    Binding b = MatrixQuery.bind(path, callJoins);
    Map<String, @Nullable Object> r = rowAt(e, b.owner(), path, path.hops().size());
    return r == null ? null : transform(r.get(path.field()), path.transforms());
  }

  /** The ordered, distinct and sliced entries (what {@code list()} returns). */
  private List<Entry> ordered(Query q, List<Entry> filtered, long offset, long limit) {
    List<Set<String>> callJoins = q.callJoins();
    List<Entry> entries = filtered;
    List<Key> keys = q.ordering() == null ? List.of() : q.ordering();
    List<PathSpec> paths = keys.stream().map(Key::path).toList();
    if (!keys.isEmpty()) {
      entries = new ArrayList<>(expand(entries, freshJoins(paths, callJoins)));
      Comparator<Entry> cmp = (a, b) -> 0;
      for (Key k : keys) {
        cmp = cmp.thenComparing(keyComparator(k, callJoins));
      }
      Comparator<Entry> byKey = Comparator.comparingLong(Entry::pk);
      entries.sort(cmp.thenComparing(keys.get(0).desc() ? byKey.reversed() : byKey));
    }
    if (q.distinct()) {
      List<Entry> unique = new ArrayList<>();
      Set<List<Object>> seen = new HashSet<>();
      for (Entry e : entries) {
        List<Object> selected = new ArrayList<>();
        selected.add(e.pk());
        for (Key k : keys) {
          selected.add(normalize(value(e, k.path(), callJoins)));
        }
        if (seen.add(selected)) {
          unique.add(e);
        }
      }
      entries = unique;
    }
    int from = (int) Math.min(offset, entries.size());
    int to = limit < 0 ? entries.size() : (int) Math.min(entries.size(), offset + limit);
    return from >= to ? List.of() : entries.subList(from, to);
  }

  private Comparator<Entry> keyComparator(Key k, List<Set<String>> callJoins) {
    boolean nullsFirst = k.nulls() == Nulls.FIRST || k.nulls() == Nulls.DEFAULT && k.desc();
    return (a, b) -> {
      Object x = value(a, k.path(), callJoins);
      Object y = value(b, k.path(), callJoins);
      if (x == null || y == null) {
        return x == null && y == null ? 0 : (x == null) == nullsFirst ? -1 : 1;
      }
      int c = compare(x, y);
      return k.desc() ? -c : c;
    };
  }

  /** The entries without ordering (count and exists drop it), distinct by row when asked. */
  private static List<Entry> unordered(Query q, List<Entry> filtered) {
    if (!q.distinct()) {
      return filtered;
    }
    List<Entry> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Entry e : filtered) {
      if (seen.add(e.pk())) {
        out.add(e);
      }
    }
    return out;
  }

  /** What the query's terminal operation returns, normalized as {@link #normalize}. */
  Object evaluate(Query q) {
    List<Entry> filtered = filtered(q);
    return switch (q.terminal()) {
      case LIST -> pks(ordered(q, filtered, q.offset(), q.limit()));
      case FIRST -> {
        long limit = q.limit() < 0 ? 1 : Math.min(1, q.limit());
        List<Entry> one = ordered(q, filtered, q.offset(), limit);
        yield new First(one.isEmpty() ? null : one.get(0).pk());
      }
      case COUNT -> (long) (q.sliced() ? ordered(q, filtered, q.offset(), q.limit()).size()
          : unordered(q, filtered).size());
      case EXISTS -> q.limit() != 0 && unordered(q, filtered).size() > q.offset();
      case AGGREGATE -> aggregate(q, filtered);
    };
  }

  private static List<Long> pks(List<Entry> entries) {
    List<Long> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.pk());
    }
    return out;
  }

  private Map<String, @Nullable Object> aggregate(Query q, List<Entry> filtered) {
    List<Set<String>> callJoins = q.callJoins();
    List<PathSpec> paths = q.aggregates().stream().map(Agg::path).toList();
    List<Entry> rows;
    if (q.sliced()) {
      rows = ordered(q, filtered, q.offset(), q.limit());
    } else {
      rows = unordered(q, filtered);
    }
    if (q.sliced() || q.distinct()) {
      for (PathSpec p : paths) {
        if (p.multiValued()) {
          throw new IllegalStateException("not modelled: a multi-valued aggregate over a subquery");
        }
      }
    }
    rows = expand(rows, freshJoins(paths, callJoins));
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (Agg a : q.aggregates()) {
      List<Object> values = new ArrayList<>();
      for (Entry e : rows) {
        Object v = value(e, a.path(), callJoins);
        if (v != null) {
          values.add(v);
        }
      }
      out.put(a.alias(), normalize(fold(a, values)));
    }
    return out;
  }

  private static @Nullable Object fold(Agg a, List<Object> values) {
    switch (a.function()) {
      case COUNT:
        return (long) values.size();
      case COUNT_DISTINCT: {
        Set<Object> distinct = new HashSet<>();
        for (Object v : values) {
          distinct.add(normalize(v));
        }
        return (long) distinct.size();
      }
      case SUM: {
        if (values.isEmpty()) {
          return null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Object v : values) {
          sum = sum.add(decimal((Number) v));
        }
        return sum;
      }
      default: {
        Object best = null;
        for (Object v : values) {
          if (best == null || (a.function() == MatrixQuery.Function.MAX ? compare(v, best) > 0
              : compare(v, best) < 0)) {
            best = v;
          }
        }
        return best;
      }
    }
  }

  /** A query outcome with aggregate values normalized, as the evaluator returns it. */
  static Object normalizeOutcome(Object outcome) {
    if (outcome instanceof Map<?, ?> m) {
      Map<Object, @Nullable Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, normalize(v)));
      return out;
    }
    return outcome;
  }

  /** Numbers by value (integral as Long, decimals without trailing zeros); others as they are. */
  static @Nullable Object normalize(@Nullable Object v) {
    if (v instanceof BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      return s.scale() <= 0 && s.precision() - s.scale() < 19 ? (Object) s.longValueExact() : s;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return v;
  }
}
