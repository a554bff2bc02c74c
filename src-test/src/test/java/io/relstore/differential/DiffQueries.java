package io.relstore.differential;

import io.relstore.differential.DiffActions.Lit;
import io.relstore.differential.DiffActions.Live;
import io.relstore.differential.DiffActions.Val;
import io.relstore.differential.GenSchema.GenField;
import io.relstore.differential.GenSchema.Kind;
import io.relstore.query.MatrixQuery;
import io.relstore.query.MatrixQuery.Agg;
import io.relstore.query.MatrixQuery.All;
import io.relstore.query.MatrixQuery.Any;
import io.relstore.query.MatrixQuery.Call;
import io.relstore.query.MatrixQuery.Cond;
import io.relstore.query.MatrixQuery.Function;
import io.relstore.query.MatrixQuery.Hop;
import io.relstore.query.MatrixQuery.Key;
import io.relstore.query.MatrixQuery.Look;
import io.relstore.query.MatrixQuery.Not;
import io.relstore.query.MatrixQuery.Nulls;
import io.relstore.query.MatrixQuery.PathSpec;
import io.relstore.query.MatrixQuery.Query;
import io.relstore.query.MatrixQuery.Terminal;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Random values and queries over a generated schema, as {@code MatrixActions} draws them over its
 * fixed one: small value domains so that equalities and joins hit (nulls, equal decimals of
 * different scales, case variants), lookups of every kind, Q trees, relation spanning both ways,
 * several conditions on one multi-valued relation in one call, chained calls, orderings with nulls
 * placed or not, distinct, slices, and every terminal. Strings are ASCII (see {@link SqlQuery}).
 */
final class DiffQueries {
  private DiffQueries() {
  }

  private static <T> T any(SplittableRandom r, List<T> options) {
    return options.get(r.nextInt(options.size()));
  }

  private static final List<String> NAMES = List.of("a", "ab", "b", "ba", "abc", "B", "A", "",
      GenSchema.SENTINEL, "xy");
  private static final List<String> NOTES = List.of("ok", "OK", "o.k", "x", "", "a_b");
  private static final List<LocalDate> DATES = List.of(LocalDate.parse("1999-12-31"),
      LocalDate.parse("2000-01-01"), LocalDate.parse("2004-02-29"), LocalDate.parse("2020-06-15"));
  private static final List<BigDecimal> DECIMALS = List.of(new BigDecimal("1"),
      new BigDecimal("1.0"), new BigDecimal("2.5"), new BigDecimal("10"), new BigDecimal("0.50"));

  /** What a field may hold (null for a nullable one). */
  static List<@Nullable Object> domain(GenField f) {
    List<@Nullable Object> out = new ArrayList<>();
    if (f.nullable()) {
      out.add(null);
    }
    switch (f.kind()) {
      case STRING -> {
        for (String s : f.name().equals("name") ? NAMES : NOTES) {
          if (s.length() <= f.maxLength()) {
            out.add(s);
          }
        }
      }
      case INT -> {
        for (int i = f.nullable() ? 1 : 0; i <= 3; i++) {
          out.add(i);
        }
      }
      case DECIMAL -> out.addAll(DECIMALS);
      case DATE -> out.addAll(DATES);
      case KEY -> throw new IllegalArgumentException("keys are live values");
    }
    return out;
  }

  /** A value for a field: mostly from its domain; unless {@code valid}, sometimes a broken one. */
  static Val randomValue(SplittableRandom r, GenField f, boolean valid) {
    int roll = r.nextInt(100);
    if (f.isKey()) {
      String target = Objects.requireNonNull(f.target());
      if (f.nullable() && roll < 22) {
        return new Lit(null);
      }
      if (valid || roll < 88) {
        return new Live(target, r.nextInt(100) < 60 ? r.nextInt(3) : r.nextInt(1000),
            f.nullable());
      }
      if (roll < 94) {
        return new Lit(Repro.NO_ROW + r.nextInt(50));
      }
      return new Lit(r.nextBoolean() ? 0L : -1L);
    }
    if (!valid && roll >= 93) {
      if (f.kind() == Kind.STRING && roll < 97) {
        return new Lit("abcdefgh".substring(0, f.maxLength() + 1));
      }
      if (f.kind() == Kind.STRING || f.kind() == Kind.DATE || f.kind() == Kind.DECIMAL) {
        return new Lit(null);
      }
    }
    return new Lit(any(r, domain(f)));
  }

  // ------------------------------------------------------------------ paths and lookups

  /** The kind of value a path reads (a transform gives an integer; {@code id} is a key). */
  static Kind kind(GenSchema s, PathSpec path) {
    if (!path.transforms().isEmpty() || path.field().equals("id")) {
      return path.transforms().isEmpty() ? Kind.KEY : Kind.INT;
    }
    return s.model(path.last()).field(path.field()).kind();
  }

  private static List<String> fieldNames(GenSchema s, String model) {
    List<String> out = new ArrayList<>();
    out.add("id");
    for (GenField f : s.model(model).fields()) {
      out.add(f.name());
    }
    return out;
  }

  private static final List<String> TRANSFORMS = List.of("year", "month", "day", "quarter",
      "week_day", "iso_week_day", "week", "iso_year");

  /**
   * A path from {@code root}: up to {@code maxHops} joins (reverse ones if allowed; one at least if
   * {@code needReverse}), then a field, possibly the relation itself, and a date transform.
   */
  static PathSpec randomPath(SplittableRandom r, GenSchema s, String root, int maxHops,
      boolean reverse, boolean needReverse, boolean transforms) {
    List<Hop> hops = new ArrayList<>();
    String cur = root;
    boolean hasReverse = false;
    while (hops.size() < maxHops && (needReverse && !hasReverse
        || r.nextInt(100) < (hops.isEmpty() ? 50 : 30))) {
      List<Hop> options = new ArrayList<>();
      for (Hop h : s.relations(cur)) {
        if (reverse || !h.reverse()) {
          options.add(h);
        }
      }
      if (needReverse && !hasReverse && hops.size() == maxHops - 1) {
        options.removeIf(h -> !h.reverse());
      }
      if (options.isEmpty()) {
        break;
      }
      Hop h = any(r, options);
      hops.add(h);
      hasReverse |= h.reverse();
      cur = h.to();
    }
    if (!hops.isEmpty() && r.nextInt(100) < 15) {
      return new PathSpec(root, hops, "id", List.of(), true);
    }
    String field = any(r, fieldNames(s, cur));
    boolean date = !field.equals("id") && s.model(cur).field(field).kind() == Kind.DATE;
    List<String> ts = transforms && date && r.nextInt(100) < 35 ? List.of(any(r, TRANSFORMS))
        : List.of();
    return new PathSpec(root, hops, field, ts, false);
  }

  /** Whether a model has a multi-valued relation (a path from it can go in reverse). */
  private static boolean hasReverse(GenSchema s, String model) {
    return s.relations(model).stream().anyMatch(Hop::reverse);
  }

  private static final List<String> STRING_LOOKUPS = List.of("exact", "exact", "iexact",
      "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "gt", "gte",
      "lt", "lte", "in", "range", "regex", "iregex", "isnull");
  private static final List<String> ORDERED_LOOKUPS = List.of("exact", "exact", "gt", "gte", "lt",
      "lte", "in", "range", "isnull");
  private static final List<String> SUBSTRINGS = List.of("a", "A", "b", "B", "o", "k", ".", "ab",
      "", "_", "%", "n");
  private static final List<String> REGEXES = List.of("^a", "b$", "a.", "^$", "[AB]", "o\\.k",
      "^.b", "K", "b+a", "_");

  static Look randomLook(SplittableRandom r, GenSchema s, PathSpec path) {
    String lookup = any(r, kind(s, path) == Kind.STRING ? STRING_LOOKUPS : ORDERED_LOOKUPS);
    if (!path.transforms().isEmpty() && lookup.equals("isnull")) {
      lookup = "exact";
    }
    boolean explicit = lookup.equals("exact") && r.nextInt(5) == 0;
    return new Look(path, lookup, operand(r, s, path, lookup), explicit);
  }

  private static @Nullable Object operand(SplittableRandom r, GenSchema s, PathSpec path,
      String lookup) {
    switch (lookup) {
      case "isnull":
        return r.nextBoolean();
      case "exact":
      case "iexact":
        return path.transforms().isEmpty() && r.nextInt(100) < 8 ? null
            : scalar(r, s, path, lookup);
      case "in": {
        List<@Nullable Object> items = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          items.add(r.nextInt(10) == 0 ? null : scalar(r, s, path, "exact"));
        }
        return items;
      }
      case "range": {
        Object a = scalar(r, s, path, "exact");
        Object b = scalar(r, s, path, "exact");
        return r.nextInt(100) < 85 && compare(a, b) > 0 ? MatrixQuery.listOf(b, a)
            : MatrixQuery.listOf(a, b);
      }
      default:
        return scalar(r, s, path, lookup);
    }
  }

  @SuppressWarnings("unchecked")
  private static int compare(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y);
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  /** An operand: mostly a value the field may hold, so that lookups hit. */
  private static Object scalar(SplittableRandom r, GenSchema s, PathSpec path, String lookup) {
    if (!path.transforms().isEmpty()) {
      return switch (path.transforms().get(0)) {
        case "year", "iso_year" -> any(r, List.of(1999, 2000, 2004, 2020));
        case "month" -> any(r, List.of(1, 2, 6, 12));
        case "day" -> any(r, List.of(1, 15, 29, 31));
        case "quarter" -> 1 + r.nextInt(4);
        case "week" -> any(r, List.of(1, 9, 24, 52));
        default -> 1 + r.nextInt(7);
      };
    }
    Kind kind = kind(s, path);
    if (kind == Kind.KEY) {
      return (long) (1 + r.nextInt(8));
    }
    GenField f = s.model(path.last()).field(path.field());
    if (kind == Kind.STRING && !List.of("exact", "iexact", "gt", "gte", "lt", "lte")
        .contains(lookup)) {
      return any(r, lookup.endsWith("regex") ? REGEXES : SUBSTRINGS);
    }
    List<@Nullable Object> values = new ArrayList<>(domain(f));
    values.removeIf(Objects::isNull);
    if (kind == Kind.STRING && r.nextInt(4) == 0) {
      values.addAll(List.of("c", "AB", "z", "snu"));
    }
    return Objects.requireNonNull(any(r, values));
  }

  // ------------------------------------------------------------------ calls

  private static Cond randomCond(SplittableRandom r, GenSchema s, String root, int depth) {
    int roll = r.nextInt(100);
    if (depth >= 2 || roll < 60) {
      return randomLook(r, s, randomPath(r, s, root, 3, true, false, true));
    }
    if (roll < 92) {
      List<Cond> parts = new ArrayList<>();
      for (int i = 2 + (r.nextInt(4) == 0 ? 1 : 0); i > 0; i--) {
        parts.add(randomCond(r, s, root, depth + 1));
      }
      return roll < 72 ? new All(parts) : new Any(parts);
    }
    return new Not(randomCond(r, s, root, depth + 1));
  }

  /** A path through the same joins as {@code joined} (to its last reverse join), then a field. */
  private static PathSpec sameJoins(SplittableRandom r, GenSchema s, PathSpec joined) {
    int last = 0;
    for (int i = 0; i < joined.hops().size(); i++) {
      if (joined.hops().get(i).reverse()) {
        last = i + 1;
      }
    }
    List<Hop> hops = new ArrayList<>(joined.hops().subList(0, last));
    String model = hops.isEmpty() ? joined.root() : hops.get(hops.size() - 1).to();
    return new PathSpec(joined.root(), hops, any(r, fieldNames(s, model)), List.of(),
        r.nextInt(4) == 0);
  }

  private static Call randomCall(SplittableRandom r, GenSchema s, String root) {
    boolean exclude = r.nextInt(100) < 25;
    int roll = r.nextInt(100);
    if (roll < 30 && hasReverse(s, root)) {
      // Django's same-related-row rule: two conditions on one multi-valued join in one call
      PathSpec many = randomPath(r, s, root, 2, true, true, false);
      List<Cond> both = new ArrayList<>();
      both.add(r.nextInt(4) == 0 ? new Look(many, "isnull", false, false)
          : randomLook(r, s, sameJoins(r, s, many)));
      both.add(randomLook(r, s, sameJoins(r, s, many)));
      return new Call(exclude, r.nextBoolean() ? both : List.of(new All(both)), false);
    }
    List<Cond> args = new ArrayList<>();
    for (int i = r.nextInt(100) < 70 ? 1 : 2; i > 0; i--) {
      args.add(randomCond(r, s, root, 0));
    }
    return new Call(exclude, args, r.nextBoolean());
  }

  private static List<Call> randomCalls(SplittableRandom r, GenSchema s, String root) {
    List<Call> calls = new ArrayList<>();
    int roll = r.nextInt(100);
    for (int i = roll < 20 ? 0 : roll < 70 ? 1 : roll < 92 ? 2 : 3; i > 0; i--) {
      calls.add(randomCall(r, s, root));
    }
    if (r.nextInt(100) < 30 && hasReverse(s, root)) {
      // chained calls over one multi-valued relation: each call joins it anew
      PathSpec many = randomPath(r, s, root, 2, true, true, false);
      for (int i = 0; i < 2; i++) {
        Look look = r.nextInt(100) < 40 ? new Look(sameJoins(r, s, many), "isnull", false, false)
            : randomLook(r, s, sameJoins(r, s, many));
        calls.add(r.nextInt(calls.size() + 1), new Call(false, List.of(look), r.nextBoolean()));
      }
    }
    return calls;
  }

  /** Filter and exclude calls only: the rows of a QuerySet update() or delete(). */
  static Query filterOnly(SplittableRandom r, GenSchema s, String model) {
    return new Query(model, randomCalls(r, s, model), null, false, 0, -1, Terminal.LIST,
        List.of());
  }

  // ------------------------------------------------------------------ queries

  static Query random(SplittableRandom r, GenSchema s) {
    return r.nextInt(100) < 8 ? formerDivergence(r, s) : ordinary(r, s);
  }

  private static Query ordinary(SplittableRandom r, GenSchema s) {
    String root = s.models().get(r.nextInt(s.models().size())).name();
    List<Call> calls = randomCalls(r, s, root);
    List<Key> ordering = r.nextInt(100) < 45 ? randomOrdering(r, s, root) : null;
    boolean distinct = r.nextInt(100) < 15;
    long offset = 0;
    long limit = -1;
    if (r.nextInt(100) < 25) {
      offset = r.nextInt(3) == 0 ? 0 : r.nextInt(4);
      limit = r.nextInt(4) == 0 ? -1 : r.nextInt(6);
    }
    int t = r.nextInt(100);
    Terminal terminal = t < 40 ? Terminal.LIST : t < 55 ? Terminal.COUNT : t < 65
        ? Terminal.EXISTS : t < 75 ? Terminal.FIRST : Terminal.AGGREGATE;
    List<Agg> aggs = List.of();
    if (terminal == Terminal.AGGREGATE) {
      boolean subquery = distinct || offset > 0 || limit >= 0;
      aggs = randomAggregates(r, s, root, subquery);
    }
    return new Query(root, calls, ordering, distinct, offset, limit, terminal, aggs);
  }

  /**
   * A query with a divergent construct (the hook for divergences found later; none is open). The
   * constructs found so far and fixed are drawn by {@link #random} itself.
   */
  static Query targeted(SplittableRandom r, GenSchema s, Divergence divergence) {
    return random(r, s);
  }

  /**
   * One of the shapes that once diverged (aggregates over different joins; a distinct aggregate
   * ordered across a relation), kept in the mix so that the main property covers them.
   */
  private static Query formerDivergence(SplittableRandom r, GenSchema s) {
    List<String> roots = new ArrayList<>();
    for (String m : s.modelNames()) {
      if (hasReverse(s, m)) {
        roots.add(m);
      }
    }
    if (roots.isEmpty()) {
      return ordinary(r, s);
    }
    String root = any(r, roots);
    if (r.nextBoolean()) {
      List<Agg> aggs = new ArrayList<>();
      aggs.add(randomAggregate(r, s, randomPath(r, s, root, 2, true, true, false)));
      aggs.add(new Agg(r.nextBoolean() ? Function.COUNT : Function.MIN,
          randomPath(r, s, root, 2, r.nextBoolean(), false, false)));
      Map<String, Agg> unique = new LinkedHashMap<>();
      for (Agg a : aggs) {
        unique.putIfAbsent(a.alias(), a);
      }
      return new Query(root, r.nextBoolean() ? List.of() : randomCalls(r, s, root), null, false,
          0, -1, Terminal.AGGREGATE, new ArrayList<>(unique.values()));
    }
    List<Key> ordering = List.of(new Key(randomPath(r, s, root, 2, true, true, false),
        r.nextBoolean(), randomNulls(r)));
    return new Query(root, r.nextBoolean() ? List.of() : randomCalls(r, s, root), ordering,
        true, 0, -1, Terminal.AGGREGATE, randomAggregates(r, s, root, true));
  }

  private static List<Key> randomOrdering(SplittableRandom r, GenSchema s, String root) {
    List<Key> keys = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = r.nextInt(100) < 60 ? 1 : r.nextInt(100) < 80 ? 2 : 3; i > 0; i--) {
      Key k = new Key(randomPath(r, s, root, 2, r.nextInt(100) < 25, false,
          r.nextInt(100) < 30), r.nextBoolean(), randomNulls(r));
      if (seen.add(k.path().text())) {
        keys.add(k);
      }
    }
    return keys;
  }

  private static Nulls randomNulls(SplittableRandom r) {
    int roll = r.nextInt(10);
    return roll < 6 ? Nulls.DEFAULT : roll < 8 ? Nulls.FIRST : Nulls.LAST;
  }

  /**
   * Aggregates; over a sliced or distinct QuerySet only through forward relations (Django
   * aggregates that subquery; a multi-valued path there is not modelled).
   */
  private static List<Agg> randomAggregates(SplittableRandom r, GenSchema s, String root,
      boolean subquery) {
    List<Agg> out = new ArrayList<>();
    if (!subquery && r.nextInt(100) < 35 && hasReverse(s, root)) {
      PathSpec mv = randomPath(r, s, root, 2, true, true, false);
      out.add(randomAggregate(r, s, mv));
      if (r.nextBoolean()) {
        out.add(randomAggregate(r, s, r.nextBoolean() ? sameJoins(r, s, mv)
            : randomPath(r, s, root, 2, true, false, false)));
      }
    } else {
      for (int i = 1 + r.nextInt(3); i > 0; i--) {
        out.add(randomAggregate(r, s, randomPath(r, s, root, 2, false, false,
            r.nextInt(5) == 0)));
      }
    }
    Map<String, Agg> unique = new LinkedHashMap<>();
    for (Agg a : out) {
      unique.putIfAbsent(a.alias(), a);
    }
    return new ArrayList<>(unique.values());
  }

  private static Agg randomAggregate(SplittableRandom r, GenSchema s, PathSpec path) {
    Kind k = kind(s, path);
    boolean summable = k == Kind.INT || k == Kind.DECIMAL;
    int roll = r.nextInt(100);
    Function f = roll < 25 ? Function.COUNT : roll < 35 ? Function.COUNT_DISTINCT
        : roll < 60 && summable ? Function.SUM : roll < 80 ? Function.MIN : Function.MAX;
    return new Agg(f, path);
  }
}
