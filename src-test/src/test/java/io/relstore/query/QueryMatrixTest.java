package io.relstore.query;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.harness.Property;
import io.relstore.query.MatrixActions.Construct;
import io.relstore.query.MatrixActions.Focus;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The configuration matrix of QuerySet: <b>the same random queries over the same random data give
 * identical results whatever the indexes, and the results of a naive full-scan evaluator.</b>
 *
 * <p>Each try builds five stores of one schema ({@link Author} with a self-reference,
 * {@link Book}, {@link Review} with a required and a nullable foreign key) that differ only in
 * their secondary indexes, declared through the builder ({@link Config}): none; hash indexes on
 * every plain field; sorted indexes on them; composite indexes; and all of those at once. A seeded
 * random sequence of creates, updates and deletes (small value domains so that equalities and
 * joins hit, nulls included, CASCADE and SET_NULL deletes) is applied to every store and to the
 * {@link NaiveDatabase}, plain maps that cascade by hand; after every step
 * {@link StoreInvariants#check} passes on every store and every store holds exactly the
 * reference's rows. Between them come random queries: trees of {@code Q} lookups (and, or,
 * negate) over own fields, forward paths ({@code book__author__name}), reverse paths
 * ({@code reviews__stars__gte}) and both, relations themselves ({@code reviews__isnull},
 * {@code author__in}), every string lookup, {@code in}, {@code range}, date transforms
 * ({@code published__week_day}); several conditions in one {@code filter()} call or in chained
 * calls; {@code exclude}; equalities on every field of a composite index; then an optional
 * ordering (own, forward and multi-valued paths, transforms, nulls placed or not), distinct, a
 * slice, and {@code list()}, {@code count()}, {@code exists()}, {@code first()} or
 * {@code aggregate()} (Count, Count distinct, Sum, Min, Max). Every query runs on every
 * configuration, which must return the same thing (lists in the same order: relstore orders
 * unordered results by key and ties by key in the direction of the first ordering key), and that
 * must equal the naive evaluator's answer, computed from Django's semantics as SQL evaluates them
 * (see {@link NaiveDatabase}).
 *
 * <p>{@link #indexConfigurationsAndTheNaiveEvaluatorAgree} checks every generated query that has
 * none of the constructs of {@link MatrixActions.Construct}. Each other test checks the same
 * queries plus those with one construct, where relstore answers otherwise than Django (SQL) does;
 * so a failure names its cause, and a fix does not wait for the others. When relstore is fixed for
 * a construct, its property passes; delete the construct then, so that the matrix covers it again.
 * At the time of writing they fail: Count(distinct) of equal decimals of different scales, a
 * sliced distinct ordered QuerySet (the top-k heap cuts before distinct), an empty {@code in}
 * list (its join is dropped) and aggregates over a sliced or distinct QuerySet are relstore bugs;
 * multi-valued orderings and aggregates that do not reuse a filter's join, and count/exists/
 * distinct that keep a multi-valued ordering's rows, differ from Django's documented or
 * implemented behaviour.
 *
 * <p>CI runs {@code relstore.tries} × {@code relstore.steps} (25 × 60) actions per test (the class
 * takes a few seconds); a long run of the matrix is {@code mvn -B verify -pl src-test -am
 * -Dtest=QueryMatrixTest#indexConfigurationsAndTheNaiveEvaluatorAgree -Drelstore.tries=2000
 * -Drelstore.steps=100 -Dsurefire.failIfNoSpecifiedTests=false -Dbench.smoke.skip=true} (about
 * three minutes). A failure prints the seed and the shrunk sequence as Java lines for a test of
 * this class (they use {@link #newStore}, {@link #kth}, {@link #kthOrNull} and {@link #kthRow}),
 * the outcome of each configuration when they disagree, else the store's and the evaluator's.
 */
class QueryMatrixTest {

  record Author(@Id long id, @Char(maxLength = 8) String name, @Nullable Integer rating,
      LocalDate born,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "mentees")
      @Nullable Long mentor) {
  }

  record Book(@Id long id,
      @ForeignKey(to = Author.class, onDelete = CASCADE, relatedName = "books") long author,
      @Char(maxLength = 8) String title, @Nullable BigDecimal price, int pages,
      LocalDate published) {
  }

  record Review(@Id long id,
      @ForeignKey(to = Book.class, onDelete = CASCADE, relatedName = "reviews") long book,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "reviews")
      @Nullable Long reviewer,
      int stars, @Char(maxLength = 8) @Nullable String text) {
  }

  /** The secondary indexes of a store; everything else is the same in all. */
  enum Config { NO_INDEX, HASH, SORTED, COMPOSITE, EVERYTHING }

  /** The plain fields that get a hash or a sorted index. */
  static final Map<String, List<String>> INDEXED = Map.of(
      "Author", List.of("name", "rating", "born"),
      "Book", List.of("title", "price", "pages", "published"),
      "Review", List.of("stars", "text"));

  /** The composite indexes (an equality on each field is answered from one). */
  static final Map<String, List<List<String>>> COMPOSITES = Map.of(
      "Author", List.of(List.of("name", "rating")),
      "Book", List.of(List.of("author", "pages"), List.of("title", "published")),
      "Review", List.of(List.of("book", "stars"), List.of("reviewer", "text")));

  static Store newStore(Config config) {
    return Store.builder()
        .add(Author.class, m -> indexes(m, "Author", config))
        .add(Book.class, m -> indexes(m, "Book", config))
        .add(Review.class, m -> indexes(m, "Review", config))
        .build();
  }

  private static void indexes(io.relstore.ModelConfig<?> m, String model, Config config) {
    boolean all = config == Config.EVERYTHING;
    for (String f : INDEXED.get(model)) {
      if (config == Config.HASH || all) {
        m.index(f);
      }
      if (config == Config.SORTED || all) {
        m.sortedIndex(f);
      }
    }
    if (config == Config.COMPOSITE || all) {
      for (List<String> c : COMPOSITES.get(model)) {
        m.compositeIndex(c.toArray(new String[0]));
      }
    }
  }

  /** The system under test: one store per configuration, fed the same actions. */
  static final class Stores {
    final Map<Config, Store> byConfig = new EnumMap<>(Config.class);

    Stores() {
      for (Config c : Config.values()) {
        byConfig.put(c, newStore(c));
      }
    }

    /**
     * Runs {@code step} on every store; all must return equal outcomes (or throw the same
     * exception). Returns the common outcome, or rethrows the common exception.
     */
    Object agree(String what, java.util.function.Function<Store, Object> step) {
      Map<Config, Object> outcomes = new EnumMap<>(Config.class);
      RuntimeException thrown = null;
      for (Map.Entry<Config, Store> e : byConfig.entrySet()) {
        try {
          outcomes.put(e.getKey(), step.apply(e.getValue()));
        } catch (RuntimeException ex) {
          thrown = thrown == null ? ex : thrown;
          outcomes.put(e.getKey(), "throws " + ex);
        }
      }
      Object first = outcomes.get(Config.NO_INDEX);
      for (Map.Entry<Config, Object> e : outcomes.entrySet()) {
        if (!Objects.equals(first, e.getValue())) {
          StringBuilder sb = new StringBuilder("index configurations disagree on " + what);
          outcomes.forEach((c, o) -> sb.append("\n  ").append(c).append(": ").append(o));
          throw new AssertionError(sb.toString());
        }
      }
      if (thrown != null) {
        throw thrown;
      }
      return first;
    }
  }

  // ------------------------------------------------------------------ properties

  static Property<Stores, NaiveDatabase> property(Focus focus) {
    return Property.of(QueryMatrixTest.class, Stores::new, NaiveDatabase::new,
            r -> MatrixActions.random(r, focus))
        .invariant(QueryMatrixTest::sameRows)
        .errorView(e -> e.getClass().getSimpleName() + ": " + e.getMessage())
        .shrinkRuns(1500)
        .setup("Store store = newStore(Config.NO_INDEX); // each Config fails alike unless the"
            + " failure says the configurations disagree");
  }

  @Test
  void indexConfigurationsAndTheNaiveEvaluatorAgree() {
    property(Focus.MATRIX).check();
  }

  @Test
  void aggregateOfASlicedOrDistinctQuerySet_aggregatesItsRows() {
    property(new Focus(Construct.AGGREGATE_OF_A_SLICE_OR_DISTINCT)).check();
  }

  @Test
  void orderingByAMultiValuedPath_reusesTheJoinOfAFilter() {
    property(new Focus(Construct.ORDERING_REUSES_A_FILTER_JOIN)).check();
  }

  @Test
  void aggregateOverAMultiValuedPath_reusesTheJoinOfAFilter() {
    property(new Focus(Construct.AGGREGATE_REUSES_A_FILTER_JOIN)).check();
  }

  @Test
  void countExistsAndDistinct_withAMultiValuedOrdering() {
    property(new Focus(Construct.COUNT_AND_DISTINCT_WITH_A_MULTI_VALUED_ORDERING)).check();
  }

  @Test
  void countDistinctOfDecimals_countsEqualValuesOfDifferentScalesOnce() {
    property(new Focus(Construct.COUNT_DISTINCT_OF_DECIMALS)).check();
  }

  @Test
  void aSliceOfAnOrderedDistinctQuerySet_slicesTheDistinctRows() {
    property(new Focus(Construct.DISTINCT_SLICE_OF_AN_ORDERED_QUERYSET)).check();
  }

  @Test
  void anEmptyInList_keepsTheJoinOfItsPath() {
    property(new Focus(Construct.EMPTY_IN_LIST)).check();
  }

  /** After every step: every store is sound and holds exactly the reference's rows. */
  static void sameRows(Stores stores, NaiveDatabase db) {
    for (Map.Entry<Config, Store> e : stores.byConfig.entrySet()) {
      StoreInvariants.check(e.getValue());
      for (String model : MatrixQuery.MODELS) {
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        for (Record r : e.getValue().all(type(model))) {
          rows.add(values(r));
        }
        assertEquals(db.rows(model), rows, () -> e.getKey() + ": rows of " + model);
      }
    }
  }

  // ------------------------------------------------------------------ records and helpers

  static Class<? extends Record> type(String model) {
    return switch (model) {
      case "Author" -> Author.class;
      case "Book" -> Book.class;
      case "Review" -> Review.class;
      default -> throw new IllegalArgumentException(model);
    };
  }

  static long pk(Record r) {
    return (Long) Objects.requireNonNull(values(r).get("id"));
  }

  /** A record's components by name. */
  static Map<String, @Nullable Object> values(Record r) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    try {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        out.put(c.getName(), c.getAccessor().invoke(r));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** A record of the model from its components by name. */
  static Record record(String model, Map<String, @Nullable Object> values) {
    Class<? extends Record> type = type(model);
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = values.get(components[i].getName());
    }
    try {
      Constructor<? extends Record> c = type.getDeclaredConstructor(types);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code k mod count}-th row of the model in key order, or null if it has none. */
  static <T extends Record> @Nullable T kthRow(Store store, Class<T> model, int k) {
    List<T> all = store.all(model);
    return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
  }

  /** The key of the k-th row (a required foreign key's value). */
  static long kth(Store store, Class<? extends Record> model, int k) {
    return pk(Objects.requireNonNull(kthRow(store, model, k), "no row"));
  }

  /** The key of the k-th row, or null if the model has none (a nullable foreign key's value). */
  static @Nullable Long kthOrNull(Store store, Class<? extends Record> model, int k) {
    Record r = kthRow(store, model, k);
    return r == null ? null : pk(r);
  }
}
