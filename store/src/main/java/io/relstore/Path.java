package io.relstore;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed path from a model to a value, built from the metamodel:
 * {@code Post_.author.then(User_.username)} is the path {@code author__username} of {@code Post}.
 * Its lookup methods make the same {@link Q} as the string form, so
 * {@code filter(Post_.author.then(User_.username).eq("alice"))} and
 * {@code filter("author__username", "alice")} compile to the same plan.
 *
 * @param <M> the model the path starts from
 * @param <V> the type of the value at its end
 */
public sealed class Path<M extends Record, V> permits Attribute {
  private final Class<M> root;
  private final String path;
  private final Class<V> type;

  Path(Class<M> root, String path, Class<V> type) {
    this.root = Objects.requireNonNull(root, "root");
    this.path = Objects.requireNonNull(path, "path");
    this.type = Objects.requireNonNull(type, "type");
  }

  /** The model the path starts from. */
  public Class<M> root() {
    return root;
  }

  /** The path in Django's form, {@code author__username}. */
  public String path() {
    return path;
  }

  /** The type of the value at the end of the path. */
  public Class<V> valueType() {
    return type;
  }

  /** Continues the path with a field of the model its last relation leads to (checked when used). */
  public <W> Path<M, W> then(Attribute<?, W> next) {
    return new Path<>(root, path + "__" + next.path(), next.valueType());
  }

  private Q lookup(String lookup, @Nullable Object value) {
    return Q.of(path + "__" + lookup, value);
  }

  /** {@code exact}; null means {@code isnull}. The same Q as {@code Q.of(path, value)}. */
  public Q eq(@Nullable V value) {
    return Q.of(path, value);
  }

  /** Compares with another field ({@code F}). */
  public Q eq(F other) {
    return Q.of(path, other);
  }

  public Q iexact(@Nullable String value) {
    return lookup("iexact", value);
  }

  public Q contains(String value) {
    return lookup("contains", value);
  }

  public Q icontains(String value) {
    return lookup("icontains", value);
  }

  public Q startsWith(String value) {
    return lookup("startswith", value);
  }

  public Q istartsWith(String value) {
    return lookup("istartswith", value);
  }

  public Q endsWith(String value) {
    return lookup("endswith", value);
  }

  public Q iendsWith(String value) {
    return lookup("iendswith", value);
  }

  public Q regex(String pattern) {
    return lookup("regex", pattern);
  }

  public Q iregex(String pattern) {
    return lookup("iregex", pattern);
  }

  public Q in(Collection<? extends V> values) {
    return lookup("in", List.copyOf(values));
  }

  public Q gt(V value) {
    return lookup("gt", value);
  }

  public Q gte(V value) {
    return lookup("gte", value);
  }

  public Q lt(V value) {
    return lookup("lt", value);
  }

  public Q lte(V value) {
    return lookup("lte", value);
  }

  /** Inclusive on both ends ({@code BETWEEN}). */
  public Q range(V low, V high) {
    return lookup("range", List.of(low, high));
  }

  public Q isNull(boolean isNull) {
    return lookup("isnull", isNull);
  }

  private Path<M, Integer> part(String transform) {
    return new Path<>(root, path + "__" + transform, Integer.class);
  }

  public Path<M, Integer> year() {
    return part("year");
  }

  public Path<M, Integer> month() {
    return part("month");
  }

  public Path<M, Integer> day() {
    return part("day");
  }

  /** 1 = Sunday ... 7 = Saturday. */
  public Path<M, Integer> weekDay() {
    return part("week_day");
  }

  public Path<M, Integer> hour() {
    return part("hour");
  }

  public Path<M, Integer> minute() {
    return part("minute");
  }

  public Path<M, LocalDate> date() {
    return new Path<>(root, path + "__date", LocalDate.class);
  }

  public OrderBy asc() {
    return OrderBy.asc(path);
  }

  public OrderBy desc() {
    return OrderBy.desc(path);
  }

  @Override
  public String toString() {
    return root.getSimpleName() + "." + path;
  }
}
