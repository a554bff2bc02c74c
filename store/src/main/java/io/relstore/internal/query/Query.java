package io.relstore.internal.query;

import io.relstore.Aggregate;
import io.relstore.internal.schema.ModelMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The immutable description of a QuerySet: its clauses (one per {@code filter()} or
 * {@code exclude()} call, compiled when the call was made), ordering, slice, distinct, projection
 * and annotations. Each builder step returns a new {@code Query} sharing the old one's parts, so a
 * chain costs a few small objects and touches no row; {@link Execution} evaluates it.
 */
public record Query(ModelMeta root, List<Clause> clauses, @Nullable List<OrderKey> ordering,
    boolean random, long offset, long limit, boolean distinct, List<String> distinctFields,
    @Nullable Projection projection, Map<String, Annotation> annotations,
    List<AnnotationFilter> annotationFilters, boolean none) {

  /** One filter() or exclude() call; {@code scope} evaluates it (negated for exclude). */
  public record Clause(Node node, boolean exclude, Scope scope, java.util.Set<String> params) {
    public static Clause of(Node node, boolean exclude) {
      java.util.Set<String> params = new java.util.TreeSet<>();
      Compiler.params(node, params);
      return new Clause(node, exclude, new Scope(exclude ? new Node.Not(node) : node),
          java.util.Collections.unmodifiableSet(params));
    }
  }

  /** Nulls placement of an ordering key. */
  public enum Nulls { DEFAULT, FIRST, LAST }

  /** An ordering key: a value path or an annotation alias, descending or not. */
  public record OrderKey(PathResolver.@Nullable Resolved path, @Nullable String alias,
      boolean descending, Nulls nulls) {
    public OrderKey flipped() {
      Nulls n = nulls == Nulls.FIRST ? Nulls.LAST : nulls == Nulls.LAST ? Nulls.FIRST : nulls;
      return new OrderKey(path, alias, !descending, n);
    }

    @Override
    public String toString() {
      String name = path != null ? path.text() : alias;
      return (descending ? "-" : "") + name
          + (nulls == Nulls.DEFAULT ? "" : " nulls " + nulls.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** values() / values_list(): the paths (or aliases) shown, and the shape of each result. */
  public record Projection(List<String> names, List<PathResolver.@Nullable Resolved> paths,
      Shape shape) {
  }

  /** The shape of projected results. */
  public enum Shape { DICT, TUPLE, FLAT }

  /**
   * An annotation or aggregate: its aggregate, whether it groups by the projection
   * ({@code values().annotate()}), and how many clauses came before it (only their joins can be
   * reused, as Django's annotate() after filter() reuses the filter's join).
   */
  public record Annotation(Aggregate aggregate, PathResolver.Resolved path, @Nullable Node filter,
      boolean grouped, int clausesBefore) {
  }

  /** A filter on an annotation alias ({@code n__gt=2}), applied after annotating. */
  public record AnnotationFilter(String alias, Lookup lookup, @Nullable Object value,
      boolean exclude) {
  }

  public static Query all(ModelMeta root) {
    return new Query(root, List.of(), null, false, 0, -1, false, List.of(), null, Map.of(),
        List.of(), false);
  }

  public boolean sliced() {
    return offset > 0 || limit >= 0;
  }

  public Query withClause(Clause clause) {
    return new Query(root, plus(clauses, clause), ordering, random, offset, limit, distinct,
        distinctFields, projection, annotations, annotationFilters, none);
  }

  public Query withClauses(List<Clause> replaced) {
    return new Query(root, List.copyOf(replaced), ordering, random, offset, limit, distinct,
        distinctFields, projection, annotations, annotationFilters, none);
  }

  public Query withAnnotationFilter(AnnotationFilter f) {
    return new Query(root, clauses, ordering, random, offset, limit, distinct, distinctFields,
        projection, annotations, plus(annotationFilters, f), none);
  }

  public Query withOrdering(@Nullable List<OrderKey> keys, boolean isRandom) {
    return new Query(root, clauses, keys == null ? null : List.copyOf(keys), isRandom, offset,
        limit, distinct, distinctFields, projection, annotations, annotationFilters, none);
  }

  public Query withSlice(long newOffset, long newLimit) {
    return new Query(root, clauses, ordering, random, newOffset, newLimit, distinct,
        distinctFields, projection, annotations, annotationFilters, none);
  }

  public Query withDistinct(List<String> fields) {
    return new Query(root, clauses, ordering, random, offset, limit, true, List.copyOf(fields),
        projection, annotations, annotationFilters, none);
  }

  public Query withProjection(@Nullable Projection p) {
    return new Query(root, clauses, ordering, random, offset, limit, distinct, distinctFields, p,
        annotations, annotationFilters, none);
  }

  public Query withAnnotation(String alias, Annotation a) {
    Map<String, Annotation> next = new LinkedHashMap<>(annotations);
    next.put(alias, a);
    return new Query(root, clauses, ordering, random, offset, limit, distinct, distinctFields,
        projection, Collections.unmodifiableMap(next), annotationFilters, none);
  }

  public Query asNone() {
    return new Query(root, clauses, ordering, random, offset, limit, distinct, distinctFields,
        projection, annotations, annotationFilters, true);
  }

  private static <E> List<E> plus(List<E> list, E e) {
    List<E> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(e);
    return Collections.unmodifiableList(out);
  }
}
