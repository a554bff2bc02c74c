package io.relstore;

import org.jspecify.annotations.Nullable;

/**
 * A field of a model in the typed metamodel ({@code Post_.title}), generated at compile time by the
 * annotation processor shipped with relstore, or made by hand with {@link #of}. It names the field;
 * a store resolves the name once and remembers it.
 *
 * @param <M> the model (record) type
 * @param <V> the field's value type (boxed)
 */
public sealed class Attribute<M extends Record, V> extends Path<M, V>
    permits ForeignKeyAttribute {
  /** The store field last resolved from this attribute; checked against the model on use. */
  volatile @Nullable Object resolved;

  Attribute(Class<M> model, String name, Class<V> type) {
    super(model, name, type);
  }

  /** The attribute for field {@code name} of {@code model}, whose values are of {@code type}. */
  public static <M extends Record, V> Attribute<M, V> of(Class<M> model, String name,
      Class<V> type) {
    return new Attribute<>(model, name, type);
  }

  /** The attribute for foreign key {@code name} of {@code model}, pointing at {@code target}. */
  public static <M extends Record, P extends Record> ForeignKeyAttribute<M, P> foreignKey(
      Class<M> model, String name, Class<P> target) {
    return new ForeignKeyAttribute<>(model, name, target);
  }

  public Class<M> model() {
    return root();
  }

  public String name() {
    return path();
  }

  public Class<V> type() {
    return valueType();
  }
}
