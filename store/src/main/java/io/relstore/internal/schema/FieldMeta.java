package io.relstore.internal.schema;

import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * One record component as a field: its kind, constraints and accessor. {@code getter} reads the
 * component boxed; for the primary key and foreign keys {@code longGetter} reads it as a long,
 * null as 0, without boxing (assigned keys are positive).
 */
public final class FieldMeta {
  private final String name;
  private final int index;
  private final Class<?> type;
  private final FieldKind kind;
  private final boolean nullable;
  private final Constraints constraints;
  private final @Nullable ValueSource defaultValue;
  private final @Nullable ForeignKeyMeta foreignKey;
  private final Function<Object, @Nullable Object> getter;
  private final @Nullable ToLongFunction<Object> longGetter;
  private @Nullable ModelMeta model;

  /** The declarative rules of a field, as read from its annotations and the builder. */
  public record Constraints(boolean primaryKey, boolean unique, int maxLength, boolean slug,
      boolean autoNow, boolean autoNowAdd, boolean indexed, boolean sorted) {
  }

  FieldMeta(String name, int index, Class<?> type, FieldKind kind, boolean nullable,
      Constraints constraints, @Nullable ValueSource defaultValue,
      @Nullable ForeignKeyMeta foreignKey, Function<Object, @Nullable Object> getter,
      @Nullable ToLongFunction<Object> longGetter) {
    this.name = name;
    this.index = index;
    this.type = type;
    this.kind = kind;
    this.nullable = nullable;
    this.constraints = constraints;
    this.defaultValue = defaultValue;
    this.foreignKey = foreignKey;
    this.getter = getter;
    this.longGetter = longGetter;
  }

  void attach(ModelMeta owner) {
    this.model = owner;
  }

  public String name() {
    return name;
  }

  /** The name in Django's style: {@code createdAt} becomes {@code created_at}. */
  public String snakeName() {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  public int index() {
    return index;
  }

  public Class<?> type() {
    return type;
  }

  public FieldKind kind() {
    return kind;
  }

  public boolean nullable() {
    return nullable;
  }

  public boolean primitive() {
    return type.isPrimitive();
  }

  public Constraints constraints() {
    return constraints;
  }

  public boolean isPrimaryKey() {
    return constraints.primaryKey();
  }

  public boolean isUnique() {
    return constraints.unique() || constraints.primaryKey();
  }

  public @Nullable ValueSource defaultValue() {
    return defaultValue;
  }

  public @Nullable ForeignKeyMeta foreignKey() {
    return foreignKey;
  }

  public ForeignKeyMeta fk() {
    if (foreignKey == null) {
      throw new IllegalStateException(qualifiedName() + " is not a foreign key");
    }
    return foreignKey;
  }

  public ModelMeta model() {
    if (model == null) {
      throw new IllegalStateException("unattached field " + name);
    }
    return model;
  }

  /** {@code Model.field}. */
  public String qualifiedName() {
    return (model == null ? "?" : model.name()) + "." + name;
  }

  /** The component's value, boxed. */
  public @Nullable Object get(Object record) {
    return getter.apply(record);
  }

  /** The value of a primary-key or foreign-key component, 0 for null; allocates nothing. */
  public long getLong(Object record) {
    ToLongFunction<Object> h = longGetter;
    if (h == null) {
      throw new IllegalStateException(qualifiedName() + " is not a key field");
    }
    return h.applyAsLong(record);
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
