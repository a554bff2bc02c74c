package io.relstore.query;

import io.relstore.Store;
import io.relstore.harness.Action;
import io.relstore.query.MatrixQuery.Agg;
import io.relstore.query.MatrixQuery.All;
import io.relstore.query.MatrixQuery.Any;
import io.relstore.query.MatrixQuery.Call;
import io.relstore.query.MatrixQuery.Cond;
import io.relstore.query.MatrixQuery.FieldDef;
import io.relstore.query.MatrixQuery.Function;
import io.relstore.query.MatrixQuery.Hop;
import io.relstore.query.MatrixQuery.Key;
import io.relstore.query.MatrixQuery.Kind;
import io.relstore.query.MatrixQuery.Look;
import io.relstore.query.MatrixQuery.Not;
import io.relstore.query.MatrixQuery.Nulls;
import io.relstore.query.MatrixQuery.PathSpec;
import io.relstore.query.MatrixQuery.Query;
import io.relstore.query.MatrixQuery.Terminal;
import io.relstore.query.QueryMatrixTest.Stores;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The actions of {@link QueryMatrixTest} and their generator: creates, updates and deletes applied
 * to every store configuration and to the {@link NaiveDatabase}, and queries run on every
 * configuration and evaluated by the naive evaluator. Rows are named by position ("the k-th row of
 * M in key order"), resolved when the action runs, so that shrinking leaves later actions
 * meaningful. Each action prints as the Java it runs against one store.
 */
final class MatrixActions {
  private MatrixActions() {
  }

  interface MatrixAction extends Action<Stores, NaiveDatabase> {
  }

  // ------------------------------------------------------------------ value domains

  private static LocalDate date(String s) {
    return LocalDate.parse(s);
  }

  private static BigDecimal dec(String s) {
    return new BigDecimal(s);
  }

  /** Stored values per field: small domains, so that equalities and joins hit. */
  static List<@Nullable Object> domain(String model, String field) {
    return switch (model + "." + field) {
      case "Author.name" -> MatrixQuery.listOf("ann", "Ann", "bob", "abe", "b", "");
      case "Author.rating" -> MatrixQuery.listOf(null, 1, 2, 3, 5);
      case "Author.born" -> MatrixQuery.listOf(date("1970-01-01"), date("1984-02-29"),
          date("1999-12-31"), date("2000-01-02"), date("2000-06-15"));
      case "Book.title" -> MatrixQuery.listOf("a", "ab", "AB", "ba", "abc", "b.c", "xyz");
      case "Book.price" -> MatrixQuery.listOf(null, dec("1"), dec("1.0"), dec("1.00"),
          dec("2.5"), dec("10"));
      case "Book.pages" -> MatrixQuery.listOf(1, 2, 3, 10);
      case "Book.published" -> MatrixQuery.listOf(date("2001-01-01"), date("2004-12-31"),
          date("2005-01-01"), date("2010-07-04"), date("2020-02-29"), date("2020-12-31"));
      case "Review.stars" -> MatrixQuery.listOf(1, 2, 3, 5);
      case "Review.text" -> MatrixQuery.listOf(null, "ok", "OK", "meh", "great", "o.k");
      default -> throw new IllegalArgumentException(model + "." + field);
    };
  }

  private static final List<String> SUBSTRINGS = List.of("a", "A", "b", "B", "o", "k", ".", "ab",
      "", "eat");
  private static final List<String> REGEXES = List.of("^a", "b$", "a.", "^$", "[AB]", "o\\.k",
      "^.b", "K", "e+a");
  private static final List<String> STRINGS = List.of("ann", "Ann", "bob", "abe", "b", "", "a",
      "ab", "AB", "ba", "abc", "b.c", "xyz", "ok", "OK", "meh", "great", "o.k", "c");
  private static final List<Integer> INTS = List.of(0, 1, 2, 3, 5, 10);
  private static final List<BigDecimal> DECIMALS = List.of(dec("0"), dec("1"), dec("1.00"),
      dec("2.5"), dec("3"), dec("10"));
  private static final List<LocalDate> DATES = List.of(date("1970-01-01"), date("1984-02-29"),
      date("1999-12-31"), date("2000-01-01"), date("2000-01-02"), date("2000-06-15"),
      date("2001-01-01"), date("2004-12-31"), date("2005-01-01"), date("2005-06-30"),
      date("2010-07-04"), date("2020-02-29"), date("2020-12-31"));
  private static final List<String> TRANSFORMS = List.of("year", "month", "day", "quarter",
      "week_day", "iso_week_day", "week", "iso_year");

  private static List<Integer> transformDomain(String transform) {
    return switch (transform) {
      case "year", "iso_year" -> List.of(1970, 1984, 1999, 2000, 2001, 2004, 2005, 2010, 2020);
      case "month" -> List.of(1, 2, 6, 7, 12);
      case "day" -> List.of(1, 2, 4, 15, 29, 31);
      case "quarter" -> List.of(1, 2, 3, 4);
      case "week_day", "iso_week_day" -> List.of(1, 2, 3, 4, 5, 6, 7);
      case "week" -> List.of(1, 9, 26, 52, 53);
      default -> throw new IllegalArgumentException(transform);
    };
  }

  // ------------------------------------------------------------------ data actions

  /** A field value: a literal or the key of the k-th row of a model (null if none, if allowed). */
  sealed interface Val permits Lit, Live {
    @Nullable Object resolve(Store store);

    @Nullable Object resolve(NaiveDatabase db);

    String java();

    List<Val> shrink(String model, String field);
  }

  record Lit(@Nullable Object value) implements Val {
    @Override
    public @Nullable Object resolve(Store store) {
      return value;
    }

    @Override
    public @Nullable Object resolve(NaiveDatabase db) {
      return value;
    }

    @Override
    public String java() {
      return MatrixQuery.javaValue(value);
    }

    @Override
    public List<Val> shrink(String model, String field) {
      if (MatrixQuery.field(model, field).kind() == Kind.KEY) {
        return List.of();
      }
      Object first = domain(model, field).get(0);
      return Objects.equals(first, value) ? List.of() : List.of(new Lit(first));
    }
  }

  /** A foreign key: the key of the k-th row of {@code model}; null (or none) if it has no row. */
  record Live(String model, int k, boolean orNull) implements Val {
    @Override
    public @Nullable Object resolve(Store store) {
      Record r = QueryMatrixTest.kthRow(store, QueryMatrixTest.type(model), k);
      return r == null ? null : QueryMatrixTest.pk(r);
    }

    @Override
    public @Nullable Object resolve(NaiveDatabase db) {
      Map<String, @Nullable Object> r = db.kthRow(model, k);
      return r == null ? null : r.get("id");
    }

    @Override
    public String java() {
      return (orNull ? "kthOrNull" : "kth") + "(store, " + model + ".class, " + k + ")";
    }

    @Override
    public List<Val> shrink(String m, String field) {
      List<Val> out = new ArrayList<>();
      if (orNull) {
        out.add(new Lit(null));
      }
      if (k != 0) {
        out.add(new Live(model, 0, orNull));
      }
      return out;
    }
  }

  /** The fields after the key, in record order. */
  private static List<FieldDef> dataFields(String model) {
    List<FieldDef> all = MatrixQuery.model(model).fields();
    return all.subList(1, all.size());
  }

  /** The resolved values of a row, or null when a required foreign key finds no row. */
  private static @Nullable Map<String, @Nullable Object> values(String model, long pk,
      List<Val> vals, java.util.function.Function<Val, @Nullable Object> resolve) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("id", pk);
    List<FieldDef> fields = dataFields(model);
    for (int i = 0; i < fields.size(); i++) {
      Object v = resolve.apply(vals.get(i));
      if (v == null && !fields.get(i).nullable()) {
        return null;
      }
      out.put(fields.get(i).name(), v);
    }
    return out;
  }

  private static String javaArgs(List<Val> vals) {
    List<String> out = new ArrayList<>();
    for (Val v : vals) {
      out.add(v.java());
    }
    return String.join(", ", out);
  }

  private static List<List<Val>> shrinkVals(String model, List<Val> vals) {
    List<List<Val>> out = new ArrayList<>();
    List<FieldDef> fields = dataFields(model);
    for (int i = 0; i < vals.size(); i++) {
      for (Val simpler : vals.get(i).shrink(model, fields.get(i).name())) {
        List<Val> copy = new ArrayList<>(vals);
        copy.set(i, simpler);
        out.add(copy);
      }
    }
    return out;
  }

  record Create(String model, List<Val> vals) implements MatrixAction {
    @Override
    public Object onSystem(Stores stores) {
      return stores.agree(toString(), store -> {
        Map<String, @Nullable Object> v = values(model, 0L, vals, val -> val.resolve(store));
        return v == null ? SKIP : QueryMatrixTest.values(store.create(
            QueryMatrixTest.record(model, v)));
      });
    }

    @Override
    public Object onModel(NaiveDatabase db) {
      Map<String, @Nullable Object> v = values(model, 0L, vals, val -> val.resolve(db));
      return v == null ? SKIP : db.create(model, v);
    }

    @Override
    public List<Create> shrink() {
      return shrinkVals(model, vals).stream().map(v -> new Create(model, v)).toList();
    }

    @Override
    public String toString() {
      return "store.create(new " + model + "(0, " + javaArgs(vals) + "));";
    }
  }

  /** Replaces every field of the k-th row of the model but its key. */
  record Update(String model, int k, List<Val> vals) implements MatrixAction {
    @Override
    public Object onSystem(Stores stores) {
      return stores.agree(toString(), store -> {
        Record current = QueryMatrixTest.kthRow(store, QueryMatrixTest.type(model), k);
        if (current == null) {
          return SKIP;
        }
        Map<String, @Nullable Object> v = values(model, QueryMatrixTest.pk(current), vals,
            val -> val.resolve(store));
        return v == null ? SKIP : QueryMatrixTest.values(store.update(
            QueryMatrixTest.record(model, v)));
      });
    }

    @Override
    public Object onModel(NaiveDatabase db) {
      Map<String, @Nullable Object> current = db.kthRow(model, k);
      if (current == null) {
        return SKIP;
      }
      Map<String, @Nullable Object> v = values(model, (Long) Objects.requireNonNull(
          current.get("id")), vals, val -> val.resolve(db));
      return v == null ? SKIP : db.update(model, v);
    }

    @Override
    public List<Update> shrink() {
      List<Update> out = new ArrayList<>();
      if (k != 0) {
        out.add(new Update(model, 0, vals));
      }
      for (List<Val> v : shrinkVals(model, vals)) {
        out.add(new Update(model, k, v));
      }
      return out;
    }

    @Override
    public String toString() {
      return "store.update(new " + model + "(kthRow(store, " + model + ".class, " + k + ").id(), "
          + javaArgs(vals) + "));";
    }
  }

  record Delete(String model, int k) implements MatrixAction {
    @Override
    public Object onSystem(Stores stores) {
      return stores.agree(toString(), store -> {
        Record current = QueryMatrixTest.kthRow(store, QueryMatrixTest.type(model), k);
        return current == null ? SKIP : new java.util.TreeMap<>(store.delete(current).counts());
      });
    }

    @Override
    public Object onModel(NaiveDatabase db) {
      Map<String, @Nullable Object> current = db.kthRow(model, k);
      return current == null ? SKIP : db.delete(model, (Long) Objects.requireNonNull(
          current.get("id")));
    }

    @Override
    public List<Delete> shrink() {
      return k == 0 ? List.of() : List.of(new Delete(model, 0));
    }

    @Override
    public String toString() {
      return "store.delete(kthRow(store, " + model + ".class, " + k + "));";
    }
  }

  // ------------------------------------------------------------------ queries

  /**
   * A construct whose Django semantics relstore does not share (or does not state): each has a
   * property of its own, so that the matrix property keeps its power and a failure names its cause.
   */
  enum Construct {
    /** {@code aggregate()} over a sliced or distinct QuerySet (Django: over that subquery). */
    AGGREGATE_OF_A_SLICE_OR_DISTINCT,
    /** Ordering by a multi-valued path that a filter() call joined (Django reuses the join). */
    ORDERING_REUSES_A_FILTER_JOIN,
    /** An aggregate over a multi-valued path that a filter() call joined (reused, as Django). */
    AGGREGATE_REUSES_A_FILTER_JOIN,
    /** count(), exists() and distinct() with a multi-valued ordering (Django drops/selects it). */
    COUNT_AND_DISTINCT_WITH_A_MULTI_VALUED_ORDERING,
    /** An {@code in} lookup with no (non-None) item: matches nothing, but its join still counts. */
    EMPTY_IN_LIST,
    /** Count(distinct) of decimals: equal values of different scales are one value, as in SQL. */
    COUNT_DISTINCT_OF_DECIMALS,
    /** distinct() with an ordering and a limit: the limit applies to the distinct rows. */
    DISTINCT_SLICE_OF_AN_ORDERED_QUERYSET,
    /**
     * Not compared: aggregates over different multi-valued joins (Django's documented wrong
     * results of combined aggregations) or a multi-valued aggregate over a subquery.
     */
    NOT_MODELLED
  }

  /** The constructs of a query; the matrix property admits a query with none. */
  static Set<Construct> constructs(Query q) {
    Set<Construct> out = java.util.EnumSet.noneOf(Construct.class);
    boolean mvOrder = q.multiValuedOrdering();
    boolean aggregate = q.terminal() == Terminal.AGGREGATE;
    boolean mvAgg = q.aggregates().stream().anyMatch(a -> a.path().multiValued());
    if (aggregate && (q.sliced() || q.distinct())) {
      out.add(mvAgg ? Construct.NOT_MODELLED : Construct.AGGREGATE_OF_A_SLICE_OR_DISTINCT);
    }
    if (mvOrder && reuses(q, orderingPaths(q)) && (!aggregate || q.sliced())) {
      out.add(Construct.ORDERING_REUSES_A_FILTER_JOIN);
    }
    if (aggregate && reuses(q, aggregatePaths(q))) {
      out.add(Construct.AGGREGATE_REUSES_A_FILTER_JOIN);
    }
    if (q.distinct() && q.limit() >= 0 && q.ordering() != null && !q.ordering().isEmpty()
        && !aggregate) {
      out.add(Construct.DISTINCT_SLICE_OF_AN_ORDERED_QUERYSET);
    }
    for (Agg a : q.aggregates()) {
      if (a.function() == Function.COUNT_DISTINCT && a.path().kind() == Kind.DECIMAL) {
        out.add(Construct.COUNT_DISTINCT_OF_DECIMALS);
      }
    }
    if (aggregate && !oneJoinSet(q.aggregates())) {
      out.add(Construct.NOT_MODELLED);
    }
    if (mvOrder && (q.distinct() || q.terminal() == Terminal.COUNT
        || q.terminal() == Terminal.EXISTS)) {
      out.add(Construct.COUNT_AND_DISTINCT_WITH_A_MULTI_VALUED_ORDERING);
    }
    List<Map.Entry<Look, Boolean>> lookups = new ArrayList<>();
    for (Call c : q.calls()) {
      for (Cond cond : c.args()) {
        MatrixQuery.lookups(cond, false, lookups);
      }
    }
    for (Map.Entry<Look, Boolean> e : lookups) {
      Look l = e.getKey();
      if (l.lookup().equals("in") && ((List<?>) Objects.requireNonNull(l.value())).stream()
          .allMatch(Objects::isNull)) {
        out.add(Construct.EMPTY_IN_LIST);
      }
    }
    return out;
  }

  /**
   * What a property compares: with no construct, the queries whose semantics relstore states
   * (the matrix); with one, the matrix's queries and those with that construct alone.
   */
  record Focus(@Nullable Construct construct) {
    static final Focus MATRIX = new Focus(null);

    boolean admits(Query q) {
      Set<Construct> found = constructs(q);
      return found.isEmpty() || construct != null && found.equals(Set.of(construct));
    }
  }

  private static List<PathSpec> orderingPaths(Query q) {
    return q.ordering() == null ? List.of() : q.ordering().stream().map(Key::path).toList();
  }

  private static List<PathSpec> aggregatePaths(Query q) {
    return q.aggregates().stream().map(Agg::path).toList();
  }

  private static boolean reuses(Query q, List<PathSpec> paths) {
    List<Set<String>> joins = q.callJoins();
    for (PathSpec p : paths) {
      if (MatrixQuery.bind(p, joins).reuses()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the aggregates all go through the same multi-valued joins (or none does). */
  private static boolean oneJoinSet(List<Agg> aggs) {
    Set<Set<String>> sets = new HashSet<>();
    for (Agg a : aggs) {
      sets.add(a.path().multiPrefixes());
    }
    return sets.size() <= 1;
  }

  /** Runs a query on every configuration and on the naive evaluator (within the focus). */
  record Run(Focus focus, Query query) implements MatrixAction {
    @Override
    public Object onSystem(Stores stores) {
      if (!focus.admits(query)) {
        return SKIP;
      }
      return NaiveDatabase.normalizeOutcome(stores.agree(toString(), query::run));
    }

    @Override
    public Object onModel(NaiveDatabase db) {
      return focus.admits(query) ? db.evaluate(query) : SKIP;
    }

    @Override
    public List<Run> shrink() {
      List<Run> out = new ArrayList<>();
      for (Query q : MatrixQuery.simpler(query)) {
        out.add(new Run(focus, q));
      }
      return out;
    }

    @Override
    public String toString() {
      return query.java();
    }
  }

  // ------------------------------------------------------------------ generator

  private static final String[] MODELS = {"Author", "Book", "Review"};

  private static String pick(SplittableRandom r, String[] options, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return options[i];
      }
    }
    throw new IllegalStateException();
  }

  private static <T> T any(SplittableRandom r, List<T> options) {
    return options.get(r.nextInt(options.size()));
  }

  /** One random action of a property with this focus. */
  static MatrixAction random(SplittableRandom r, Focus focus) {
    int roll = r.nextInt(100);
    if (roll < 45) {
      String model = pick(r, MODELS, 2, 3, 5);
      return new Create(model, randomVals(r, model));
    }
    if (roll < 51) {
      String model = pick(r, MODELS, 1, 1, 1);
      return new Update(model, r.nextInt(1000), randomVals(r, model));
    }
    if (roll < 55) {
      return new Delete(pick(r, MODELS, 1, 2, 3), r.nextInt(1000));
    }
    Construct c = focus.construct();
    return new Run(focus, c == null || r.nextBoolean() ? matrixQuery(r) : targeted(r, c));
  }

  private static List<Val> randomVals(SplittableRandom r, String model) {
    List<Val> out = new ArrayList<>();
    for (FieldDef f : dataFields(model)) {
      if (f.kind() == Kind.KEY) {
        out.add(f.nullable() && r.nextInt(5) == 0 ? new Lit(null)
            : new Live(Objects.requireNonNull(f.target()), r.nextInt(100) < 60 ? r.nextInt(2)
                : r.nextInt(1000), f.nullable()));
      } else {
        out.add(new Lit(any(r, domain(model, f.name()))));
      }
    }
    return out;
  }

  /** A random query the matrix admits (drawn again, a few times, until it does). */
  static Query matrixQuery(SplittableRandom r) {
    Query q = randomQuery(r);
    for (int i = 0; i < 5 && !Focus.MATRIX.admits(q); i++) {
      q = randomQuery(r);
    }
    return q;
  }

  static Query randomQuery(SplittableRandom r) {
    String root = pick(r, MODELS, 3, 4, 3);
    List<Call> calls = new ArrayList<>();
    int roll = r.nextInt(100);
    int n = roll < 20 ? 0 : roll < 70 ? 1 : roll < 92 ? 2 : 3;
    for (int i = 0; i < n; i++) {
      calls.add(randomCall(r, root));
    }
    if (r.nextInt(100) < 15) {
      // chained calls over one multi-valued relation: each call joins it anew
      PathSpec many = randomPath(r, root, 2, true, true, false);
      for (int i = 0; i < 2; i++) {
        calls.add(r.nextInt(calls.size() + 1), new Call(false,
            List.of(randomLook(r, sameJoins(r, many))), r.nextBoolean()));
      }
    }
    List<Key> ordering = r.nextInt(100) < 45 ? randomOrdering(r, root) : null;
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
    List<Agg> aggs = terminal == Terminal.AGGREGATE ? randomAggregates(r, root) : List.of();
    return new Query(root, calls, ordering, distinct, offset, limit, terminal, aggs);
  }

  /** A query that exercises the focus's construct. */
  private static Query targeted(SplittableRandom r, Construct construct) {
    Query base = matrixQuery(r);
    String root = base.model();
    return switch (construct) {
      case NOT_MODELLED -> base;
      case DISTINCT_SLICE_OF_AN_ORDERED_QUERYSET -> {
        List<Call> calls = new ArrayList<>(base.calls());
        calls.add(new Call(false, List.of(randomLook(r, randomPath(r, root, 2, true, true,
            false))), true));
        int t = r.nextInt(4);
        yield new Query(root, calls, randomOrdering(r, root, false), true, r.nextInt(3),
            1 + r.nextInt(3), t < 2 ? Terminal.LIST : t == 2 ? Terminal.COUNT : Terminal.EXISTS,
            List.of());
      }
      case COUNT_DISTINCT_OF_DECIMALS -> {
        String hop = switch (root) {
          case "Author" -> "books";
          case "Review" -> r.nextBoolean() ? "book" : "reviewer";
          default -> r.nextBoolean() ? "" : "author";
        };
        List<Hop> hops = new ArrayList<>();
        for (Hop h : MatrixQuery.relations(root)) {
          if (h.name().equals(hop)) {
            hops.add(h);
          }
        }
        String last = hops.isEmpty() ? root : hops.get(0).to();
        if (last.equals("Author")) {
          hops.add(MatrixQuery.relations("Author").stream()
              .filter(h -> h.name().equals("books")).findFirst().orElseThrow());
        }
        PathSpec price = new PathSpec(root, hops, "price", List.of(), false);
        yield new Query(root, base.calls(), base.ordering(), false, 0, -1, Terminal.AGGREGATE,
            List.of(new Agg(Function.COUNT_DISTINCT, price)));
      }
      case EMPTY_IN_LIST -> {
        List<Call> calls = new ArrayList<>(base.calls());
        Look empty = new Look(randomPath(r, root, 3, true, true, false), "in",
            r.nextInt(4) == 0 ? MatrixQuery.listOf((Object) null) : List.of(), false);
        Cond other = randomCond(r, root, 1);
        calls.add(new Call(r.nextInt(4) == 0, List.of(r.nextBoolean() ? new Any(List.of(other,
            empty)) : new Any(List.of(empty, other))), false));
        yield MatrixQuery.withCalls(base, calls);
      }
      case AGGREGATE_OF_A_SLICE_OR_DISTINCT -> {
        List<Agg> aggs = new ArrayList<>();
        for (int i = 1 + r.nextInt(2); i > 0; i--) {
          aggs.add(randomAggregate(r, randomPath(r, root, 2, false, false, false)));
        }
        boolean distinct = r.nextBoolean();
        long limit = !distinct || r.nextBoolean() ? r.nextInt(5) : -1;
        long offset = limit >= 0 && r.nextBoolean() ? r.nextInt(3) : 0;
        List<Key> ordering = r.nextBoolean() ? randomOrdering(r, root, false) : null;
        yield new Query(root, base.calls(), ordering, distinct, offset, limit,
            Terminal.AGGREGATE, dedupe(aggs));
      }
      case ORDERING_REUSES_A_FILTER_JOIN, AGGREGATE_REUSES_A_FILTER_JOIN -> {
        PathSpec joined = randomPath(r, root, 2, true, true, false);
        List<Call> calls = new ArrayList<>(base.calls());
        calls.add(r.nextInt(calls.size() + 1), new Call(false,
            List.of(randomLook(r, joined)), r.nextBoolean()));
        PathSpec same = sameJoins(r, joined);
        if (construct == Construct.ORDERING_REUSES_A_FILTER_JOIN) {
          List<Key> keys = new ArrayList<>();
          keys.add(new Key(same, r.nextBoolean(), randomNulls(r)));
          if (r.nextInt(3) == 0) {
            keys.add(randomKey(r, root, false));
          }
          yield new Query(root, calls, keys, false, base.offset(), base.limit(),
              r.nextInt(4) == 0 ? Terminal.FIRST : Terminal.LIST, List.of());
        }
        List<Agg> aggs = new ArrayList<>();
        aggs.add(randomAggregate(r, same));
        if (r.nextBoolean()) {
          aggs.add(randomAggregate(r, sameJoins(r, joined)));
        }
        yield new Query(root, calls, base.ordering(), false, 0, -1, Terminal.AGGREGATE,
            dedupe(aggs));
      }
      case COUNT_AND_DISTINCT_WITH_A_MULTI_VALUED_ORDERING -> {
        List<Key> keys = new ArrayList<>();
        keys.add(new Key(randomPath(r, root, 2, true, true, true), r.nextBoolean(),
            randomNulls(r)));
        int t = r.nextInt(3);
        Terminal terminal = t == 0 ? Terminal.COUNT : t == 1 ? Terminal.EXISTS : Terminal.LIST;
        yield new Query(root, base.calls(), keys, terminal == Terminal.LIST || r.nextBoolean(),
            base.offset(), base.limit(), terminal, List.of());
      }
    };
  }

  /** A path through the same joins as {@code joined} (up to its last reverse join), then a field. */
  private static PathSpec sameJoins(SplittableRandom r, PathSpec joined) {
    int last = 0;
    for (int i = 0; i < joined.hops().size(); i++) {
      if (joined.hops().get(i).reverse()) {
        last = i + 1;
      }
    }
    List<Hop> hops = new ArrayList<>(joined.hops().subList(0, last));
    String model = hops.isEmpty() ? joined.root() : hops.get(hops.size() - 1).to();
    FieldDef f = any(r, MatrixQuery.model(model).fields());
    return new PathSpec(joined.root(), hops, f.name(), List.of(), r.nextInt(4) == 0);
  }

  /**
   * Two equalities on one field over the same multi-valued joins, with different values: no
   * related row can satisfy both, but a parent may have one row for each.
   */
  private static List<Cond> twoValues(SplittableRandom r, PathSpec many) {
    PathSpec joins = sameJoins(r, many);
    String model = joins.last();
    List<FieldDef> plain = new ArrayList<>();
    for (FieldDef f : MatrixQuery.model(model).fields()) {
      if (f.kind() != Kind.KEY) {
        plain.add(f);
      }
    }
    FieldDef f = any(r, plain);
    PathSpec p = new PathSpec(joins.root(), joins.hops(), f.name(), List.of(), false);
    List<@Nullable Object> values = new ArrayList<>();
    if (f.kind() == Kind.ID) {
      for (long i = 1; i <= 4; i++) {
        values.add(i);
      }
    } else {
      values.addAll(domain(model, f.name()));
      values.removeIf(Objects::isNull);
      values = new ArrayList<>(values.subList(0, 3));
    }
    Object a = values.remove(r.nextInt(values.size()));
    Object b = values.get(r.nextInt(values.size()));
    return List.of(new Look(p, "exact", a, false), new Look(p, "exact", b, false));
  }

  private static List<Agg> dedupe(List<Agg> aggs) {
    Map<String, Agg> out = new LinkedHashMap<>();
    for (Agg a : aggs) {
      out.putIfAbsent(a.alias(), a);
    }
    return new ArrayList<>(out.values());
  }

  private static Call randomCall(SplittableRandom r, String root) {
    boolean exclude = r.nextInt(100) < 25;
    int roll = r.nextInt(100);
    if (roll < 15) {
      return new Call(exclude, List.of(compositeEquality(r, root)), false);
    }
    if (roll < 25) {
      PathSpec many = randomPath(r, root, 2, true, true, false);
      Look broad = new Look(many, "isnull", false, false);
      List<Cond> args = new ArrayList<>();
      args.add(broad);
      if (r.nextBoolean()) {
        args.add(randomLook(r, sameJoins(r, many)));
      }
      return new Call(exclude, args, r.nextBoolean());
    }
    if (roll < 40) {
      // Django's same-related-row rule: two conditions on one multi-valued join in one call
      PathSpec many = randomPath(r, root, 2, true, true, false);
      List<Cond> both;
      if (r.nextInt(5) < 2) {
        both = List.of(randomLook(r, sameJoins(r, many)), randomLook(r, sameJoins(r, many)));
      } else {
        both = twoValues(r, many);
      }
      return new Call(r.nextInt(5) < 3, r.nextBoolean() ? both : List.of(new All(both)), false);
    }
    List<Cond> args = new ArrayList<>();
    for (int i = r.nextInt(100) < 70 ? 1 : 2; i > 0; i--) {
      args.add(randomCond(r, root, 0));
    }
    return new Call(exclude, args, r.nextBoolean());
  }

  /** Equalities on every field of a composite index of the configurations, AND-ed. */
  private static Cond compositeEquality(SplittableRandom r, String root) {
    List<String> fields = any(r, QueryMatrixTest.COMPOSITES.get(root));
    List<Cond> parts = new ArrayList<>();
    for (String f : fields) {
      FieldDef def = MatrixQuery.field(root, f);
      PathSpec p = new PathSpec(root, List.of(), f, List.of(), false);
      Object v = def.kind() == Kind.KEY ? (Object) (long) (1 + r.nextInt(6))
          : any(r, domain(root, f));
      parts.add(new Look(p, "exact", v, r.nextInt(5) == 0));
    }
    return new All(parts);
  }

  private static Cond randomCond(SplittableRandom r, String root, int depth) {
    int roll = r.nextInt(100);
    if (depth >= 2 || roll < 60) {
      return randomLook(r, randomPath(r, root, 3, true, false, true));
    }
    if (roll < 92) {
      List<Cond> parts = new ArrayList<>();
      for (int i = 2 + (r.nextInt(4) == 0 ? 1 : 0); i > 0; i--) {
        parts.add(randomCond(r, root, depth + 1));
      }
      return roll < 72 ? new All(parts) : new Any(parts);
    }
    return new Not(randomCond(r, root, depth + 1));
  }

  /**
   * A random path from {@code root}: up to {@code maxHops} joins (reverse ones if allowed; at least
   * one reverse join if {@code needReverse}), then a field, possibly the relation itself, and a
   * date transform.
   */
  static PathSpec randomPath(SplittableRandom r, String root, int maxHops, boolean reverse,
      boolean needReverse, boolean transforms) {
    List<Hop> hops = new ArrayList<>();
    String cur = root;
    boolean hasReverse = false;
    while (hops.size() < maxHops && (needReverse && !hasReverse
        || r.nextInt(100) < (hops.isEmpty() ? 50 : 30))) {
      List<Hop> options = new ArrayList<>();
      for (Hop h : MatrixQuery.relations(cur)) {
        if (reverse || !h.reverse()) {
          options.add(h);
        }
      }
      if (needReverse && !hasReverse && hops.size() == maxHops - 1) {
        options.removeIf(h -> !h.reverse());
      }
      Hop h = any(r, options);
      hops.add(h);
      hasReverse |= h.reverse();
      cur = h.to();
    }
    if (!hops.isEmpty() && r.nextInt(100) < 15) {
      return new PathSpec(root, hops, "id", List.of(), true);
    }
    FieldDef f = any(r, MatrixQuery.model(cur).fields());
    List<String> ts = transforms && f.kind() == Kind.DATE && r.nextInt(100) < 35
        ? List.of(any(r, TRANSFORMS)) : List.of();
    return new PathSpec(root, hops, f.name(), ts, false);
  }

  private static final List<String> STRING_LOOKUPS = List.of("exact", "exact", "iexact",
      "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "gt", "gte",
      "lt", "lte", "in", "range", "regex", "iregex", "isnull");
  private static final List<String> ORDERED_LOOKUPS = List.of("exact", "exact", "gt", "gte", "lt",
      "lte", "in", "range", "isnull");

  static Look randomLook(SplittableRandom r, PathSpec path) {
    return randomLook(r, path, any(r, path.kind() == Kind.STRING ? STRING_LOOKUPS
        : ORDERED_LOOKUPS));
  }

  static Look randomLook(SplittableRandom r, PathSpec path, String chosen) {
    String lookup = chosen;
    if (!path.transforms().isEmpty() && lookup.equals("isnull")) {
      lookup = "exact";
    }
    boolean explicit = lookup.equals("exact") && r.nextInt(5) == 0;
    return new Look(path, lookup, randomOperand(r, path, lookup), explicit);
  }

  private static @Nullable Object randomOperand(SplittableRandom r, PathSpec path, String lookup) {
    switch (lookup) {
      case "isnull":
        return r.nextBoolean();
      case "exact":
      case "iexact":
        return path.transforms().isEmpty() && r.nextInt(100) < 8 ? null : scalar(r, path, lookup);
      case "in": {
        List<@Nullable Object> items = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          items.add(r.nextInt(10) == 0 ? null : scalar(r, path, "exact"));
        }
        return items;
      }
      case "range": {
        Object a = scalar(r, path, "exact");
        Object b = scalar(r, path, "exact");
        boolean swap = r.nextInt(100) < 85 && NaiveDatabase.compare(a, b) > 0;
        return swap ? MatrixQuery.listOf(b, a) : MatrixQuery.listOf(a, b);
      }
      default:
        return scalar(r, path, lookup);
    }
  }

  /** An operand: mostly a value the field may hold, so that lookups hit. */
  private static Object scalar(SplittableRandom r, PathSpec path, String lookup) {
    if (!path.transforms().isEmpty()) {
      return any(r, transformDomain(path.transforms().get(0)));
    }
    Kind kind = path.kind();
    boolean plain = kind == Kind.INT || kind == Kind.DECIMAL || kind == Kind.DATE
        || kind == Kind.STRING && List.of("exact", "iexact", "gt", "gte", "lt", "lte")
            .contains(lookup);
    if (plain && r.nextInt(100) < 70) {
      List<@Nullable Object> stored = new ArrayList<>(domain(path.last(), path.field()));
      stored.removeIf(Objects::isNull);
      return Objects.requireNonNull(any(r, stored));
    }
    return switch (kind) {
      case ID, KEY -> (long) (1 + r.nextInt(12));
      case INT -> any(r, INTS);
      case DECIMAL -> any(r, DECIMALS);
      case DATE -> any(r, DATES);
      case STRING -> switch (lookup) {
        case "exact", "iexact", "gt", "gte", "lt", "lte" -> any(r, STRINGS);
        case "regex", "iregex" -> any(r, REGEXES);
        default -> any(r, SUBSTRINGS);
      };
    };
  }

  private static Nulls randomNulls(SplittableRandom r) {
    int roll = r.nextInt(10);
    return roll < 6 ? Nulls.DEFAULT : roll < 8 ? Nulls.FIRST : Nulls.LAST;
  }

  private static List<Key> randomOrdering(SplittableRandom r, String root) {
    return randomOrdering(r, root, true);
  }

  private static List<Key> randomOrdering(SplittableRandom r, String root, boolean reverse) {
    List<Key> keys = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = r.nextInt(100) < 60 ? 1 : r.nextInt(100) < 80 ? 2 : 3; i > 0; i--) {
      Key k = randomKey(r, root, reverse && r.nextInt(100) < 25);
      if (seen.add(k.path().text())) {
        keys.add(k);
      }
    }
    return keys;
  }

  private static Key randomKey(SplittableRandom r, String root, boolean reverse) {
    return new Key(randomPath(r, root, 2, reverse, false, r.nextInt(100) < 30), r.nextBoolean(),
        randomNulls(r));
  }

  private static List<Agg> randomAggregates(SplittableRandom r, String root) {
    List<Agg> out = new ArrayList<>();
    if (r.nextInt(100) < 30) {
      PathSpec mv = randomPath(r, root, 2, true, true, false);
      out.add(randomAggregate(r, mv));
      if (r.nextBoolean()) {
        out.add(randomAggregate(r, sameJoins(r, mv)));
      }
      return dedupe(out);
    }
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      out.add(randomAggregate(r, randomPath(r, root, 2, false, false, r.nextInt(5) == 0)));
    }
    return dedupe(out);
  }

  private static Agg randomAggregate(SplittableRandom r, PathSpec path) {
    Kind k = path.kind();
    boolean summable = k == Kind.INT || k == Kind.DECIMAL;
    int roll = r.nextInt(100);
    Function f = roll < 25 ? Function.COUNT : roll < 35 ? Function.COUNT_DISTINCT
        : roll < 60 && summable ? Function.SUM : roll < 80 ? Function.MIN : Function.MAX;
    return new Agg(f, path);
  }
}
