package io.relstore;

import io.relstore.internal.delete.Deletes;
import io.relstore.internal.query.Compiler;
import io.relstore.internal.query.Execution;
import io.relstore.internal.query.Lookup;
import io.relstore.internal.query.Node;
import io.relstore.internal.query.PathResolver;
import io.relstore.internal.query.Planner;
import io.relstore.internal.query.Query;
import io.relstore.internal.query.Scope;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.tx.StoreView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A lazy, immutable query over one model, as Django's QuerySet: {@code filter}, {@code exclude},
 * {@code orderBy}, slicing, {@code distinct}, {@code values}, {@code annotate} each return a new
 * QuerySet and touch no row; a terminal operation ({@code list}, {@code count}, {@code get}, ...)
 * compiles the chain once against one committed state and runs it.
 *
 * <p>Semantics are Django's (lookups-and-querysets.md), evaluated as SQL would: conditions of one
 * {@code filter()} call that span a multi-valued relation must hold for the same related row, and
 * the result holds a row once per matching related row (use {@link #distinct()}, as in Django);
 * {@code exclude()} keeps rows with a null field and rows with no related row. Unordered results
 * come in primary-key order. Lookups and paths are checked when {@code filter()} is called: a
 * wrong name throws {@link FieldError} there.
 *
 * @param <T> the model
 */
public final class QuerySet<T extends Record> implements Iterable<T> {
  private static final int GET_LIMIT = 21;

  private final Store store;
  private final Class<T> type;
  private final ModelMeta model;
  private final Query query;

  QuerySet(Store store, Class<T> type, ModelMeta model, Query query) {
    this.store = store;
    this.type = type;
    this.model = model;
    this.query = query;
  }

  /** The model this QuerySet returns rows of. */
  public Class<T> model() {
    return type;
  }

  /** The aliases of the annotations added so far, in order. */
  public java.util.Set<String> annotations() {
    return query.annotations().keySet();
  }

  private QuerySet<T> with(Query q) {
    return new QuerySet<>(store, type, model, q);
  }

  /** Django refuses to change what a slice selects: so does relstore, with Django's message. */
  private void notSliced(String verb) {
    if (query.sliced()) {
      throw new QueryError("Cannot " + verb + " a query once a slice has been taken.");
    }
  }

  // ------------------------------------------------------------------ chaining

  /**
   * Keeps rows matching one lookup, Django's {@code filter(path=value)}.
   *
   * @throws FieldError if the path names no field, relation or lookup of the model
   * @throws QueryError if the value breaks a lookup rule (None with an ordering lookup, ...)
   * @throws ValidationError if the value does not fit the field
   */
  public QuerySet<T> filter(String path, @Nullable Object value) {
    return clause(path, value, false);
  }

  /**
   * Keeps rows matching all the conditions, given in one call (one join per relation: Django's
   * same-related-row rule).
   *
   * @throws FieldError if a path names no field, relation or lookup of the model
   * @throws QueryError if a value breaks a lookup rule
   * @throws ValidationError if a value does not fit its field
   */
  public QuerySet<T> filter(Q... conditions) {
    notSliced("filter");
    return with(query.withClause(Query.Clause.of(compile(conditions), false)));
  }

  /** Keeps rows for which a Java predicate holds (never indexed: {@code explain()} says so). */
  public QuerySet<T> filter(Predicate<? super T> predicate) {
    return filter(Q.where(predicate, "java predicate"));
  }

  /**
   * Drops rows matching one lookup, Django's {@code exclude(path=value)}.
   *
   * @throws FieldError if the path names no field, relation or lookup of the model
   * @throws QueryError if the value breaks a lookup rule
   * @throws ValidationError if the value does not fit the field
   */
  public QuerySet<T> exclude(String path, @Nullable Object value) {
    return clause(path, value, true);
  }

  /**
   * Drops rows matching all the conditions (each lookup across a multi-valued relation tested on
   * its own, as Django documents).
   *
   * @throws FieldError if a path names no field, relation or lookup of the model
   * @throws QueryError if a value breaks a lookup rule
   * @throws ValidationError if a value does not fit its field
   */
  public QuerySet<T> exclude(Q... conditions) {
    notSliced("filter");
    return with(query.withClause(Query.Clause.of(compile(conditions), true)));
  }

  private QuerySet<T> clause(String path, @Nullable Object value, boolean exclude) {
    notSliced("filter");
    String head = path.split("__", 2)[0];
    if (query.annotations().containsKey(head)) {
      return with(query.withAnnotationFilter(annotationFilter(path, head, value, exclude)));
    }
    return with(query.withClause(Query.Clause.of(Compiler.compile(model, Q.of(path, value)),
        exclude)));
  }

  private Query.AnnotationFilter annotationFilter(String path, String alias,
      @Nullable Object value, boolean exclude) {
    String rest = path.length() > alias.length() ? path.substring(alias.length() + 2) : "exact";
    Lookup lookup = Lookup.named(rest);
    if (lookup == null) {
      throw new FieldError("Unsupported lookup '" + rest + "' on annotation '" + alias + "'");
    }
    if (value == null && lookup != Lookup.ISNULL) {
      return new Query.AnnotationFilter(alias, Lookup.ISNULL, Boolean.TRUE, exclude);
    }
    return new Query.AnnotationFilter(alias, lookup, value instanceof Collection<?> c
        ? List.copyOf(c) : value, exclude);
  }

  private Node compile(Q... conditions) {
    if (conditions.length == 1) {
      return Compiler.compile(model, conditions[0]);
    }
    return Compiler.compile(model, Q.and(conditions));
  }

  /** A copy of this QuerySet (Django's {@code all()}). */
  public QuerySet<T> all() {
    return this;
  }

  /** An always-empty QuerySet; terminal operations touch nothing. */
  public QuerySet<T> none() {
    return with(query.asNone());
  }

  /**
   * Replaces the ordering: {@code "field"}, {@code "-field"} (descending), {@code "a__b"} across a
   * relation, an annotation alias, or {@code "?"} (random); no key clears it (key order).
   *
   * @throws FieldError if a key names no field or annotation
   */
  public QuerySet<T> orderBy(String... keys) {
    List<OrderBy> out = new ArrayList<>();
    for (String k : keys) {
      if (k.equals("?")) {
        notSliced("reorder");
        return with(query.withOrdering(List.of(), true));
      }
      boolean desc = k.startsWith("-");
      out.add(desc ? OrderBy.desc(k.substring(1)) : OrderBy.asc(k));
    }
    return orderBy(out.toArray(new OrderBy[0]));
  }

  /**
   * Replaces the ordering with keys that may place nulls explicitly.
   *
   * @throws FieldError if a key names no field or annotation
   */
  public QuerySet<T> orderBy(OrderBy... keys) {
    notSliced("reorder");
    List<Query.OrderKey> out = new ArrayList<>();
    for (OrderBy k : keys) {
      Query.Nulls nulls = k.placesNullsFirst() ? Query.Nulls.FIRST
          : k.placesNullsLast() ? Query.Nulls.LAST : Query.Nulls.DEFAULT;
      if (query.annotations().containsKey(k.path())) {
        out.add(new Query.OrderKey(null, k.path(), k.descending(), nulls));
      } else {
        out.add(new Query.OrderKey(PathResolver.value(model, k.path()), null, k.descending(),
            nulls));
      }
    }
    return with(query.withOrdering(out, false));
  }

  /** Flips the ordering; an unordered QuerySet becomes ordered by descending key. */
  public QuerySet<T> reverse() {
    notSliced("reverse");
    List<Query.OrderKey> keys = query.ordering();
    List<Query.OrderKey> flipped = new ArrayList<>();
    if (keys == null || keys.isEmpty()) {
      flipped.add(new Query.OrderKey(PathResolver.value(model, "pk"), null, true,
          Query.Nulls.DEFAULT));
    } else {
      for (Query.OrderKey k : keys) {
        flipped.add(k.flipped());
      }
    }
    return with(query.withOrdering(flipped, query.random()));
  }

  /**
   * At most {@code n} rows (Django's {@code [:n]}, after any offset).
   *
   * @throws QueryError if n is negative
   */
  public QuerySet<T> limit(long n) {
    if (n < 0) {
      throw new QueryError("Negative indexing is not supported.");
    }
    long current = query.limit() < 0 ? n : Math.min(query.limit(), n);
    return with(query.withSlice(query.offset(), current));
  }

  /**
   * Skips {@code n} rows (Django's {@code [n:]}).
   *
   * @throws QueryError if n is negative
   */
  public QuerySet<T> offset(long n) {
    if (n < 0) {
      throw new QueryError("Negative indexing is not supported.");
    }
    long limit = query.limit() < 0 ? -1 : Math.max(0, query.limit() - n);
    return with(query.withSlice(query.offset() + n, limit));
  }

  /**
   * Django's {@code [from:to]}.
   *
   * @throws QueryError if a bound is negative
   */
  public QuerySet<T> slice(long from, long to) {
    if (from < 0 || to < 0) {
      throw new QueryError("Negative indexing is not supported.");
    }
    return offset(from).limit(Math.max(0, to - from));
  }

  /** Removes duplicate rows (those a multi-valued join repeats). */
  public QuerySet<T> distinct() {
    return with(query.withDistinct(List.of()));
  }

  /**
   * Keeps the first row of each distinct tuple of the fields (PostgreSQL's DISTINCT ON).
   *
   * @throws FieldError if a field is unknown
   */
  public QuerySet<T> distinct(String... fields) {
    notSliced("create distinct fields");
    for (String f : fields) {
      PathResolver.value(model, f);
    }
    return with(query.withDistinct(Arrays.asList(fields)));
  }

  /**
   * Projects rows to dictionaries of the given paths (all fields when none): read the results with
   * {@link #dicts()}. Annotations added afterwards group by these paths (Django's
   * {@code values(...).annotate(...)}).
   *
   * @throws FieldError if a path is unknown
   */
  public QuerySet<T> values(String... paths) {
    return with(query.withProjection(projection(paths, Query.Shape.DICT)));
  }

  /**
   * Projects rows to lists of the given paths' values: read them with {@link #tuples()}.
   *
   * @throws FieldError if a path is unknown
   */
  public QuerySet<T> valuesList(String... paths) {
    return with(query.withProjection(projection(paths, Query.Shape.TUPLE)));
  }

  /**
   * Projects rows to one path's values: read them with {@link #flat()}.
   *
   * @throws FieldError if the path is unknown
   */
  public QuerySet<T> valuesListFlat(String path) {
    return with(query.withProjection(projection(new String[] {path}, Query.Shape.FLAT)));
  }

  private Query.Projection projection(String[] paths, Query.Shape shape) {
    List<String> names = new ArrayList<>();
    List<PathResolver.Resolved> resolved = new ArrayList<>();
    if (paths.length == 0) {
      for (FieldMeta f : model.fields()) {
        names.add(f.foreignKey() != null ? f.name() + "_id" : f.name());
        resolved.add(PathResolver.value(model, f.name()));
      }
      query.annotations().keySet().forEach(a -> {
        names.add(a);
        resolved.add(null);
      });
    } else {
      for (String p : paths) {
        names.add(p);
        resolved.add(query.annotations().containsKey(p) ? null : PathResolver.value(model, p));
      }
    }
    return new Query.Projection(List.copyOf(names), java.util.Collections.unmodifiableList(
        resolved), shape);
  }

  /**
   * Adds an aggregate per row ({@code annotate("n", Aggregate.count("posts"))}), usable in later
   * filters ({@code filter("n__gt", 2)}), ordering and values. After {@code values(...)} it groups.
   * As in Django, an aggregate over a relation that an earlier {@code filter()} joined reuses that
   * join (it counts only the related rows the filter matched); otherwise it joins on its own, and
   * each value counts once per row of the other joins (Django's combining-aggregations caveat).
   *
   * @throws FieldError if the aggregate's path is unknown
   */
  public QuerySet<T> annotate(String alias, Aggregate aggregate) {
    notSliced("annotate");
    if (PathResolver.field(model, alias) != null) {
      throw new QueryError("The annotation '" + alias + "' conflicts with a field on the model "
          + model.name());
    }
    Query q = query.withAnnotation(alias, annotation(aggregate, query.projection() != null));
    if (q.projection() != null) {
      List<String> names = new ArrayList<>(q.projection().names());
      List<PathResolver.Resolved> paths = new ArrayList<>(q.projection().paths());
      names.add(alias);
      paths.add(null);
      q = q.withProjection(new Query.Projection(List.copyOf(names),
          java.util.Collections.unmodifiableList(paths), q.projection().shape()));
    }
    return with(q);
  }

  private Query.Annotation annotation(Aggregate aggregate, boolean grouped) {
    PathResolver.Resolved path = PathResolver.value(model, aggregate.path());
    Node filter = aggregate.filter() == null ? null : Compiler.compile(model, aggregate.filter());
    return new Query.Annotation(aggregate, path, filter, grouped, query.clauses().size());
  }

  // ------------------------------------------------------------------ prepared queries

  /**
   * This QuerySet with a {@link Param} bound: paths stay resolved, only the value is checked and
   * coerced, so a query of one shape can be bound and run many times cheaply.
   *
   * @throws QueryError if no lookup uses that parameter
   * @throws ValidationError if the value does not fit the field
   */
  public QuerySet<T> bind(String name, @Nullable Object value) {
    return bind(java.util.Collections.singletonMap(name, value));
  }

  /**
   * This QuerySet with several parameters bound.
   *
   * @throws QueryError if a name is used by no lookup
   * @throws ValidationError if a value does not fit its field
   */
  public QuerySet<T> bind(Map<String, @Nullable Object> values) {
    for (String name : values.keySet()) {
      if (!usesParameter(name)) {
        throw new QueryError("No lookup uses parameter '" + name + "'; parameters: "
            + parameters());
      }
    }
    List<Query.Clause> bound = new ArrayList<>(query.clauses().size());
    for (Query.Clause c : query.clauses()) {
      boolean touched = false;
      for (String name : c.params()) {
        touched |= values.containsKey(name);
      }
      bound.add(touched ? Query.Clause.of(Compiler.bind(c.node(), values), c.exclude()) : c);
    }
    return with(query.withClauses(bound));
  }

  /** Names of the parameters not yet bound. */
  public java.util.Set<String> parameters() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Query.Clause c : query.clauses()) {
      out.addAll(c.params());
    }
    return out;
  }

  private boolean usesParameter(String name) {
    for (Query.Clause c : query.clauses()) {
      if (c.params().contains(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasUnboundParameters() {
    for (Query.Clause c : query.clauses()) {
      if (!c.params().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ terminals

  private Execution execution(StoreView view) {
    if (hasUnboundParameters()) {
      throw new QueryError("No value bound for parameters " + parameters()
          + "; call bind(...) first");
    }
    return new Execution(query, new Scope.Ctx(view, store.database().clock().getZone()));
  }

  private Execution execution() {
    return execution(store.database().view());
  }

  private void requireRows(String operation) {
    if (query.projection() != null) {
      throw new QueryError(operation + "() returns model rows; after values() use dicts(),"
          + " tuples() or flat()");
    }
  }

  /**
   * The rows, in order.
   *
   * @throws QueryError after {@code values()} (use {@link #dicts()}, {@link #tuples()}, {@link #flat()})
   */
  public List<T> list() {
    requireRows("list");
    List<T> out = new ArrayList<>();
    for (Execution.Entry e : execution().entries()) {
      out.add(type.cast(e.row()));
    }
    return out;
  }

  /**
   * Iterates the rows. When the result comes in key order (no ordering, or by primary key) and
   * needs no gathering (no annotation, distinct or multi-valued ordering), rows are produced
   * lazily from the state current at this call, holding no lock; otherwise they are computed first.
   *
   * @throws QueryError after {@code values()}
   */
  @Override
  public Iterator<T> iterator() {
    requireRows("iterator");
    Execution ex = execution();
    if (!ex.streamable()) {
      return list().iterator();
    }
    Iterator<Object> rows = ex.lazyRows();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public T next() {
        return type.cast(rows.next());
      }
    };
  }

  /**
   * The rows as a stream. When the result comes in key order it is produced lazily from one
   * committed state, holding no lock, and stops early under {@code limit}/{@code findFirst};
   * otherwise it is computed first.
   *
   * @throws QueryError after {@code values()}
   */
  public Stream<T> stream() {
    requireRows("stream");
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /**
   * The first row (by key when unordered), or null.
   *
   * @throws QueryError after {@code values()}
   */
  public @Nullable T first() {
    List<T> one = limit(1).list();
    return one.isEmpty() ? null : one.get(0);
  }

  /** {@link #first()} as an Optional. */
  public Optional<T> findFirst() {
    return Optional.ofNullable(first());
  }

  /**
   * The last row (by key when unordered), or null.
   *
   * @throws QueryError after {@code values()}
   */
  public @Nullable T last() {
    QuerySet<T> qs = query.ordering() == null ? orderBy("-pk") : reverse();
    List<T> one = qs.limit(1).list();
    return one.isEmpty() ? null : one.get(0);
  }

  /**
   * The only row matching the QuerySet (with extra conditions, if given).
   *
   * @throws DoesNotExist if no row matches
   * @throws MultipleObjectsReturned if more than one does (the message says how many, up to 20)
   */
  public T get(Q... conditions) {
    QuerySet<T> qs = conditions.length == 0 ? this : filter(conditions);
    List<T> rows = qs.limit(GET_LIMIT).list();
    if (rows.isEmpty()) {
      throw new DoesNotExist(model.name() + " matching query does not exist. (filters: "
          + qs.describeFilters() + ")");
    }
    if (rows.size() > 1) {
      throw new MultipleObjectsReturned("get() returned more than one " + model.name()
          + " -- it returned " + (rows.size() == GET_LIMIT ? "more than 20" : rows.size())
          + "! (filters: " + qs.describeFilters() + ")");
    }
    return rows.get(0);
  }

  /**
   * {@link #get(Q...)} with one lookup.
   *
   * @throws DoesNotExist if no row matches
   * @throws MultipleObjectsReturned if more than one does
   */
  public T get(String path, @Nullable Object value) {
    return get(Q.of(path, value));
  }

  private String describeFilters() {
    if (query.clauses().isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (Query.Clause c : query.clauses()) {
      parts.add((c.exclude() ? "exclude " : "") + c.node());
    }
    return String.join(", ", parts);
  }

  /**
   * The number of rows, join duplicates included (as Django's {@code count()}); answered from the
   * index when the query is one equality on an indexed field or foreign key.
   */
  public long count() {
    if (!query.sliced() && query.distinct() && query.distinctFields().isEmpty()
        && query.ordering() != null) {
      // Django clears the ordering before counting an unsliced QuerySet, DISTINCT included
      return with(query.withOrdering(null, false)).count();
    }
    Execution ex = execution();
    Long exact = ex.exactCount();
    if (exact != null) {
      return exact;
    }
    if (grouped()) {
      return ex.groups().size();
    }
    if (!query.sliced() && !query.distinct() && query.annotations().isEmpty()
        && !projectsMultiValued()) {
      long[] n = {0};
      ex.matches(false, (row, m) -> {
        n[0] += m;
        return true;
      });
      return n[0];
    }
    return ex.entries().size();
  }

  /** A values() path across a multi-valued relation: its join adds result rows. */
  private boolean projectsMultiValued() {
    return query.projection() != null && query.projection().paths().stream()
        .anyMatch(p -> p != null && p.multiValued());
  }

  private boolean grouped() {
    return query.annotations().values().stream().anyMatch(Query.Annotation::grouped);
  }

  /** Whether any row matches; stops at the first. */
  public boolean exists() {
    if (query.sliced() && query.ordering() != null) {
      // Django's exists() clears the ordering by force (Query.exists: clear_ordering(force=True)),
      // sliced and distinct or not, and the joins only the ordering made go with it; the slice
      // stays. (Unsliced, the ordering cannot change whether a row exists.)
      return with(query.withOrdering(null, false)).exists();
    }
    if (query.sliced() || !query.annotations().isEmpty()) {
      return count() > 0;
    }
    boolean[] found = {false};
    execution().matches(false, (row, m) -> {
      found[0] = true;
      return false;
    });
    return found[0];
  }

  /** Whether {@code row} is in the result. */
  public boolean contains(T row) {
    return filter("pk", model.pkOf(row)).exists();
  }

  /**
   * The aggregates over the whole result (join duplicates included), keyed by Django's default
   * aliases ({@code rating__avg}).
   *
   * @throws FieldError if a path is unknown
   */
  public Map<String, @Nullable Object> aggregate(Aggregate... aggregates) {
    Map<String, Aggregate> named = new LinkedHashMap<>();
    for (Aggregate a : aggregates) {
      named.put(a.defaultAlias(), a);
    }
    return aggregate(named);
  }

  /**
   * The aggregates over the whole result, under the given aliases.
   *
   * @throws FieldError if a path is unknown
   */
  public Map<String, @Nullable Object> aggregate(Map<String, Aggregate> aggregates) {
    if (!query.sliced() && query.ordering() != null) {
      // Django clears the ordering of an unsliced QuerySet before aggregating it
      return with(query.withOrdering(null, false)).aggregate(aggregates);
    }
    Map<String, Query.Annotation> compiled = new LinkedHashMap<>();
    aggregates.forEach((alias, a) -> compiled.put(alias, annotation(a, false)));
    return execution().aggregate(compiled);
  }

  /** Rows by primary key, among those of this QuerySet. */
  public Map<Long, T> inBulk(long... pks) {
    List<Long> keys = new ArrayList<>();
    for (long pk : pks) {
      keys.add(pk);
    }
    Map<Long, T> out = new LinkedHashMap<>();
    for (T row : filter("pk__in", keys).list()) {
      out.put(model.pkOf(row), row);
    }
    return out;
  }

  /**
   * After {@code values(...)}: one map per result, name to value.
   *
   * @throws QueryError without a preceding values()
   */
  public List<Map<String, @Nullable Object>> dicts() {
    Query.Projection p = requireProjection("dicts");
    Execution ex = execution();
    if (grouped()) {
      return ex.groups();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Execution.Entry e : ex.entries()) {
      out.add(ex.project(e));
    }
    return out;
  }

  /**
   * After {@code valuesList(...)} (or values): one list of values per result.
   *
   * @throws QueryError without a preceding values() or valuesList()
   */
  public List<List<@Nullable Object>> tuples() {
    requireProjection("tuples");
    List<List<Object>> out = new ArrayList<>();
    for (Map<String, Object> d : dicts()) {
      out.add(java.util.Collections.unmodifiableList(new ArrayList<>(d.values())));
    }
    return out;
  }

  /**
   * After {@code valuesListFlat(path)}: the values of that path.
   *
   * @throws QueryError without a preceding valuesListFlat()
   */
  public List<@Nullable Object> flat() {
    Query.Projection p = requireProjection("flat");
    if (p.shape() != Query.Shape.FLAT) {
      throw new QueryError("flat() needs valuesListFlat(path)");
    }
    List<Object> out = new ArrayList<>();
    for (List<Object> t : tuples()) {
      out.add(t.get(0));
    }
    return out;
  }

  private Query.Projection requireProjection(String operation) {
    Query.Projection p = query.projection();
    if (p == null) {
      throw new QueryError(operation + "() reads projected values; call values(...) first");
    }
    return p;
  }

  /** Rows in the shape asked for: records, maps, lists or single values. */
  public List<?> results() {
    Query.Projection p = query.projection();
    if (p == null) {
      return list();
    }
    return switch (p.shape()) {
      case DICT -> dicts();
      case TUPLE -> tuples();
      case FLAT -> flat();
    };
  }

  /**
   * Sets fields on every matching row, atomically (Django's {@code update(**kwargs)}: no automatic
   * time fields, no save); values may be {@link F} expressions. Returns the number of rows matched.
   *
   * @throws QueryError on a sliced QuerySet or after values()
   * @throws FieldError if a name is not a field of the model (or is the primary key)
   * @throws ValidationError if a value breaks its field's rule
   * @throws IntegrityError if a value breaks a unique or foreign-key constraint
   */
  public long update(String field, @Nullable Object value, Object... more) {
    if (query.sliced()) {
      throw new QueryError("Cannot update a query once a slice has been taken.");
    }
    Map<FieldMeta, Object> changes = changes(field, value, more);
    return store.database().write(txn -> {
      Execution ex = execution(txn);
      List<Object> rows = new ArrayList<>();
      ex.matches(false, (row, m) -> rows.add(row));
      Scope.Ctx ctx = new Scope.Ctx(txn, store.database().clock().getZone());
      for (Object row : rows) {
        Map<FieldMeta, Object> values = new LinkedHashMap<>();
        changes.forEach((f, v) -> values.put(f, v instanceof io.relstore.internal.query.Expr e
            ? Scope.value(e, row, ctx) : v));
        store.rowWrites().setFields(txn, model, txn.table(model).row(model.pkOf(row)), values);
      }
      return (long) rows.size();
    });
  }

  private Map<FieldMeta, Object> changes(String field, @Nullable Object value, Object[] more) {
    if (more.length % 2 != 0) {
      throw new QueryError("update() needs field/value pairs; got an odd number of arguments");
    }
    Map<FieldMeta, Object> out = new LinkedHashMap<>();
    out.put(updatable(field), value instanceof F f ? Compiler.expr(model, f) : value);
    for (int i = 0; i < more.length; i += 2) {
      FieldMeta f = updatable(String.valueOf(more[i]));
      out.put(f, more[i + 1] instanceof F x ? Compiler.expr(model, x) : more[i + 1]);
    }
    return out;
  }

  private FieldMeta updatable(String name) {
    FieldMeta f = PathResolver.field(model, name);
    if (f == null) {
      throw new FieldError("Cannot resolve keyword '" + name + "' into field. Choices are: "
          + String.join(", ", PathResolver.choices(model)) + " (update() on model '"
          + model.name() + "')");
    }
    if (f.isPrimaryKey()) {
      throw new FieldError("update() cannot change the primary key " + f.qualifiedName());
    }
    return f;
  }

  /**
   * Deletes every matching row with Django's Collector semantics, in one atomic operation (see
   * {@link Store#delete(Record)}); duplicates from joins are deleted once.
   *
   * @throws QueryError on a sliced QuerySet, after {@code values()}, or after {@code distinct(fields)}
   * @throws ProtectedError if a PROTECT foreign key keeps a reached row alive
   * @throws RestrictedError if a RESTRICT foreign key keeps a reached row alive
   * @throws IntegrityError if a DO_NOTHING reference would be left dangling
   */
  public DeleteResult delete() {
    if (query.sliced()) {
      throw new QueryError("Cannot use 'limit' or 'offset' with delete().");
    }
    if (!query.distinctFields().isEmpty()) {
      throw new QueryError("Cannot call delete() after .distinct(*fields).");
    }
    if (query.projection() != null) {
      throw new QueryError("Cannot call delete() after .values() or .values_list()");
    }
    return store.database().write(txn -> {
      List<Long> pks = new ArrayList<>();
      execution(txn).matches(false, (row, m) -> pks.add(model.pkOf(row)));
      long[] keys = pks.stream().mapToLong(Long::longValue).toArray();
      return Deletes.delete(txn, store.rowWrites(), store, model, keys);
    });
  }

  /** What {@link #delete()} would do, without doing it. */
  public DeletePlan planDelete() {
    return store.database().dryRun(txn -> {
      List<Long> pks = new ArrayList<>();
      execution(txn).matches(false, (row, m) -> pks.add(model.pkOf(row)));
      return Deletes.plan(txn, store.rowWrites(), store, model,
          pks.stream().mapToLong(Long::longValue).toArray());
    });
  }

  /**
   * The plan the query runs with, and what running it gave: the driver (the index or scan that
   * yields candidates) with its estimated and actual rows, the clauses checked on each candidate,
   * the sort strategy and the slice.
   */
  public String explain() {
    Execution ex = execution();
    Planner.Source source = ex.plan();
    long[] candidates = {0};
    long[] rows = {0};
    ex.matches(false, (row, m) -> {
      rows[0] += m;
      return true;
    });
    candidates[0] = source.estimate();
    StringBuilder sb = new StringBuilder();
    sb.append("QuerySet<").append(model.name()).append(">\n");
    sb.append("  driver: ").append(source.describe()).append(" (estimated ")
        .append(source.estimate()).append(" rows)\n");
    for (Query.Clause c : query.clauses()) {
      sb.append("  ").append(c.exclude() ? "exclude: " : "filter: ").append(c.node())
          .append(c.scope().multiplies() ? " [multi-valued join: one result per related row]" : "")
          .append('\n');
    }
    for (Query.AnnotationFilter f : query.annotationFilters()) {
      sb.append("  ").append(f.exclude() ? "exclude" : "filter").append(" on annotation: ")
          .append(f.alias()).append("__").append(f.lookup().djangoName()).append('=')
          .append(f.value()).append('\n');
    }
    query.annotations().forEach((alias, a) -> sb.append("  annotate: ").append(alias)
        .append(" = ").append(a.aggregate()).append('\n'));
    sb.append("  sort: ").append(sortStrategy(ex)).append('\n');
    if (query.sliced()) {
      sb.append("  slice: [").append(query.offset()).append(':')
          .append(query.limit() < 0 ? "" : String.valueOf(query.offset() + query.limit()))
          .append("]\n");
    }
    sb.append("  actual: ").append(rows[0]).append(" matching rows from ")
        .append(candidates[0]).append(" candidates");
    return sb.toString();
  }

  private String sortStrategy(Execution ex) {
    if (query.random()) {
      return "random shuffle";
    }
    Boolean keyOrder = ex.keyOrder();
    if (keyOrder != null && ex.streamable()) {
      return "primary-key order" + (keyOrder ? "" : ", descending")
          + " (streamed; stops at the slice)";
    }
    if (ex.orderIndex() != null) {
      return "sorted index on " + query.ordering().get(0) + " (streamed in index order; stops at"
          + " the slice)";
    }
    if (keyOrder != null) {
      return "primary-key order (after gathering)";
    }
    String keys = String.join(", ", query.ordering().stream().map(Object::toString).toList());
    boolean bounded = query.limit() >= 0;
    return "by " + keys + (bounded ? " (top-" + (query.offset() + query.limit())
        + " bounded heap when it is under a quarter of the rows, else full sort)" : " (full sort)");
  }

  // ------------------------------------------------------------------ manager methods

  /**
   * Creates a row (see {@link Store#create(Record)}).
   *
   * @throws ValidationError if a field breaks its rule
   * @throws IntegrityError if a key, unique value or foreign key constraint breaks
   */
  public T create(T row) {
    return store.create(row);
  }

  /**
   * Creates rows atomically (see {@link Store#bulkCreate(List)}).
   *
   * @throws ValidationError if a field breaks its rule (none is inserted)
   * @throws IntegrityError if a constraint breaks (none is inserted)
   */
  public List<T> bulkCreate(List<T> rows) {
    return store.bulkCreate(rows);
  }

  /** The result of {@link #getOrCreate} and {@link #updateOrCreate}. */
  public record Obtained<T>(T object, boolean created) {
  }

  /**
   * The row matching {@code lookup}, or one created from {@code factory} if none does, in one
   * transaction (Django's {@code get_or_create}).
   *
   * @throws MultipleObjectsReturned if several rows match
   * @throws ValidationError if the created row breaks a field rule
   * @throws IntegrityError if the created row breaks a constraint
   */
  public Obtained<T> getOrCreate(Q lookup, Supplier<T> factory) {
    return store.atomic(() -> {
      T found = atMostOne(lookup, "get_or_create");
      return found == null ? new Obtained<>(store.create(factory.get()), true)
          : new Obtained<>(found, false);
    });
  }

  /** The row matching {@code lookup}, or null; MultipleObjectsReturned when there are several. */
  private @Nullable T atMostOne(Q lookup, String operation) {
    List<T> found = filter(lookup).limit(2).list();
    if (found.size() > 1) {
      throw new MultipleObjectsReturned("get() returned more than one " + model.name()
          + " -- it returned 2! (" + operation + " " + lookup + ")");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Updates the row matching {@code lookup} with {@code changes} (field to value), or creates one
   * from {@code factory}, in one transaction (Django's {@code update_or_create}).
   *
   * @throws MultipleObjectsReturned if several rows match
   * @throws FieldError if a change names an unknown field
   * @throws ValidationError if a value breaks a field rule
   * @throws IntegrityError if a value breaks a constraint
   */
  public Obtained<T> updateOrCreate(Q lookup, Map<String, @Nullable Object> changes,
      Supplier<T> factory) {
    return store.atomic(() -> {
      T row = atMostOne(lookup, "update_or_create");
      if (row == null) {
        return new Obtained<>(store.create(factory.get()), true);
      }
      if (!changes.isEmpty()) {
        List<Object> pairs = new ArrayList<>();
        changes.forEach((k, v) -> {
          pairs.add(k);
          pairs.add(v);
        });
        String first = (String) pairs.get(0);
        filter("pk", model.pkOf(row)).update(first, pairs.get(1),
            pairs.subList(2, pairs.size()).toArray());
      }
      return new Obtained<>(type.cast(store.get(type, model.pkOf(row))), false);
    });
  }

  @Override
  public String toString() {
    return "<QuerySet " + model.name() + " " + describeFilters() + ">";
  }
}
