package io.relstore;

import io.relstore.internal.schema.ModelSpec;
import io.relstore.internal.schema.ValueSource;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a model needs beyond its annotations, given to {@link Store.Builder#add(Class,
 * java.util.function.Consumer)}: values for {@code on_delete=SET}, defaults computed at run time, and
 * extra indexes. Field names are checked when the store is built.
 *
 * @param <T> the model
 */
public final class ModelConfig<T extends Record> {
  private final ModelSpec spec;

  ModelConfig(ModelSpec spec) {
    this.spec = spec;
  }

  /**
   * The constant a {@code SET} foreign key takes when its target is deleted: a primary key (a
   * {@code Long}) or a record of the target model, or null.
   */
  public ModelConfig<T> onDeleteSet(String field, @Nullable Object value) {
    spec.setValue(field, new ValueSource.Const(value));
    return this;
  }

  /**
   * A function computing the value a {@code SET} foreign key takes: a primary key or a target
   * record. It runs inside the delete's transaction, once per relation and batch of deleted rows,
   * and may write (e.g. create a sentinel row); if the delete fails, its writes are rolled back.
   */
  public ModelConfig<T> onDeleteSetFrom(String field, Function<Store, ?> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    spec.setValue(field, new ValueSource.Computed(api -> supplier.apply((Store) api)));
    return this;
  }

  /** A constant default: a create that leaves the field null gets it; SET_DEFAULT writes it. */
  public ModelConfig<T> defaultValue(String field, @Nullable Object value) {
    spec.defaultValue(field, new ValueSource.Const(value));
    return this;
  }

  /** A default computed at run time, inside the writing transaction, each time one is needed. */
  public ModelConfig<T> defaultFrom(String field, Function<Store, ?> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    spec.defaultValue(field, new ValueSource.Computed(api -> supplier.apply((Store) api)));
    return this;
  }

  /**
   * Bounds the table to {@code rows} rows with Caffeine's W-TinyLFU policy; an eviction is a delete
   * with the model's on_delete rules.
   *
   * @throws IllegalArgumentException if rows is negative
   */
  public ModelConfig<T> maximumSize(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("maximumSize must not be negative: " + rows);
    }
    spec.cache(spec.cache().withMaximumSize(rows));
    return this;
  }

  /**
   * Bounds the table's total weight, each row weighing what {@code weigher} says.
   *
   * @throws IllegalArgumentException if weight is negative
   */
  public ModelConfig<T> maximumWeight(long weight, ToLongFunction<? super T> weigher) {
    if (weight < 0) {
      throw new IllegalArgumentException("maximumWeight must not be negative: " + weight);
    }
    @SuppressWarnings("unchecked")
    ToLongFunction<Object> w = row -> weigher.applyAsLong((T) row);
    spec.cache(spec.cache().withMaximumWeight(weight, w));
    return this;
  }

  /** Rows expire this long after their last write (a delete with the on_delete rules). */
  public ModelConfig<T> expireAfterWrite(Duration ttl) {
    spec.cache(spec.cache().withExpireAfterWrite(ttl));
    return this;
  }

  /** Rows expire this long after their last key read or write. */
  public ModelConfig<T> expireAfterAccess(Duration ttl) {
    spec.cache(spec.cache().withExpireAfterAccess(ttl));
    return this;
  }

  /**
   * Read-through loading: a {@code get} by key or a forward follow that misses asks the loader,
   * and inserts the row it returns (loading missing parents first when their models have loaders).
   */
  public ModelConfig<T> loader(Function<Long, Optional<T>> loader) {
    Objects.requireNonNull(loader, "loader");
    spec.cache(spec.cache().withLoader(pk -> loader.apply(pk).map(Object.class::cast)));
    return this;
  }

  /** Read-through loading of several keys at once (used when no single-key loader is given). */
  public ModelConfig<T> bulkLoader(Function<Collection<Long>, Map<Long, T>> loader) {
    Objects.requireNonNull(loader, "loader");
    spec.cache(spec.cache().withBulkLoader(keys -> new java.util.HashMap<>(loader.apply(keys))));
    return this;
  }

  /** A hash index on the field. */
  public ModelConfig<T> index(String field) {
    spec.index(field, false);
    return this;
  }

  /**
   * A composite hash index on several fields: a filter with an equality on each of them is
   * answered from it.
   */
  public ModelConfig<T> compositeIndex(String... fields) {
    spec.composite(java.util.List.of(fields));
    return this;
  }

  /** A sorted index on the field, for ranges and ordering. */
  public ModelConfig<T> sortedIndex(String field) {
    spec.index(field, true);
    return this;
  }
}
