package io.relstore;

import io.relstore.internal.schema.ModelSpec;
import io.relstore.internal.schema.ValueSource;
import java.util.Objects;
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
