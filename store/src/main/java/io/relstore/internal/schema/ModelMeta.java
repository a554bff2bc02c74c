package io.relstore.internal.schema;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model: a record type with its fields, primary key, foreign keys and the relations that point at
 * it. {@code ordinal} is the registration order, which also orders reverse relations (Django's
 * rule 4); {@code incoming} lists the foreign keys to this model in that order.
 */
public final class ModelMeta {
  private final Class<?> type;
  private final String name;
  private final String label;
  private final int ordinal;
  private final FieldMeta[] fields;
  private final FieldMeta pk;
  private final FieldMeta[] foreignKeys;
  private final MethodHandle constructor;
  private final List<FieldMeta> incoming = new ArrayList<>();
  private List<int[]> composites = List.of();
  private CacheSpec cache = CacheSpec.NONE;

  ModelMeta(Class<?> type, String name, String label, int ordinal, FieldMeta[] fields,
      MethodHandle constructor) {
    this.type = type;
    this.name = name;
    this.label = label;
    this.ordinal = ordinal;
    this.fields = fields;
    this.constructor = constructor;
    FieldMeta key = null;
    List<FieldMeta> fks = new ArrayList<>();
    for (FieldMeta f : fields) {
      f.attach(this);
      if (f.isPrimaryKey()) {
        key = f;
      }
      if (f.foreignKey() != null) {
        fks.add(f);
      }
    }
    if (key == null) {
      throw new IllegalStateException("no primary key");
    }
    this.pk = key;
    this.foreignKeys = fks.toArray(new FieldMeta[0]);
  }

  void setCache(CacheSpec spec) {
    this.cache = spec;
  }

  /** The cache settings ({@link CacheSpec#NONE} for a plain table). */
  public CacheSpec cache() {
    return cache;
  }

  void setComposites(List<int[]> fieldSets) {
    this.composites = List.copyOf(fieldSets);
  }

  /** Composite (multi-field) hash indexes, each as the indexes of its fields. */
  public List<int[]> composites() {
    return composites;
  }

  void addIncoming(FieldMeta fk) {
    incoming.add(fk);
  }

  public Class<?> type() {
    return type;
  }

  /** The model's name, as in Django's messages ({@code Post}). */
  public String name() {
    return name;
  }

  /** Django's label ({@code blog.Post}), the key of delete counts. */
  public String label() {
    return label;
  }

  public int ordinal() {
    return ordinal;
  }

  public FieldMeta[] fields() {
    return fields.clone();
  }

  public int fieldCount() {
    return fields.length;
  }

  public FieldMeta field(int index) {
    return fields[index];
  }

  /** The field with this component name, or with its snake_case form ({@code created_at}). */
  public @Nullable FieldMeta field(String fieldName) {
    for (FieldMeta f : fields) {
      if (f.name().equals(fieldName)) {
        return f;
      }
    }
    for (FieldMeta f : fields) {
      if (f.snakeName().equals(fieldName)) {
        return f;
      }
    }
    return null;
  }

  public FieldMeta pk() {
    return pk;
  }

  /** Foreign keys in declaration order; position = {@link ForeignKeyMeta#ordinal()}. */
  public FieldMeta[] foreignKeys() {
    return foreignKeys.clone();
  }

  public int foreignKeyCount() {
    return foreignKeys.length;
  }

  public FieldMeta foreignKey(int ordinal) {
    return foreignKeys[ordinal];
  }

  /** Foreign keys of any model that point at this one, in Django's collection order. */
  public List<FieldMeta> incoming() {
    return Collections.unmodifiableList(incoming);
  }

  public long pkOf(Object record) {
    return pk.getLong(record);
  }

  public boolean isInstance(@Nullable Object value) {
    return type.isInstance(value);
  }

  /** All component values, boxed, in declaration order. */
  public Object[] values(Object record) {
    Object[] out = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      out[i] = fields[i].get(record);
    }
    return out;
  }

  /** A new record from component values; the values must already fit the component types. */
  public Object construct(Object[] values) {
    try {
      return (Object) constructor.invokeExact(values);
    } catch (Throwable t) {
      throw Reflection.rethrow(t);
    }
  }

  /** A copy of {@code record} with one component replaced. */
  public Object with(Object record, FieldMeta field, @Nullable Object value) {
    Object[] values = values(record);
    values[field.index()] = value;
    return construct(values);
  }

  /** {@code Post(id=3)}: how messages name a row. */
  public String describe(long pkValue) {
    return name + "(" + pk.name() + "=" + pkValue + ")";
  }

  @Override
  public String toString() {
    return name;
  }
}
