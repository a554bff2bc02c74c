package io.relstore;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A read-only description of one model of a store ({@link Store#models()}): what generators, tools
 * and the shell need to know about it, without reaching into the store.
 *
 * @param type the record class
 * @param name the model name ({@code Post})
 * @param label Django's label ({@code blog.Post})
 * @param fields the fields in declaration order
 */
public record ModelInfo(Class<? extends Record> type, String name, String label,
    List<FieldInfo> fields) {

  public ModelInfo {
    fields = List.copyOf(fields);
  }

  /** The field of that name (component or snake_case), or null. */
  public @Nullable FieldInfo field(String fieldName) {
    for (FieldInfo f : fields) {
      if (f.name().equals(fieldName)) {
        return f;
      }
    }
    return null;
  }

  /** The primary key field. */
  public FieldInfo primaryKey() {
    for (FieldInfo f : fields) {
      if (f.primaryKey()) {
        return f;
      }
    }
    throw new IllegalStateException(name + " has no primary key");
  }

  /**
   * One field.
   *
   * @param name the record component's name
   * @param type the component type
   * @param nullable whether null is allowed
   * @param primaryKey whether this is the {@code @Id}
   * @param unique whether values are unique ({@code @Unique})
   * @param maxLength the largest length for a bounded string, or -1
   * @param slug whether the value must be a slug
   * @param automatic whether the store sets it ({@code @AutoNow} or {@code @AutoNowAdd})
   * @param hasDefault whether a null on create takes a default
   * @param target the referenced model of a foreign key, or null
   * @param onDelete the foreign key's rule, or null
   * @param dbConstraint whether the foreign key must resolve (false: may dangle)
   */
  public record FieldInfo(String name, Class<?> type, boolean nullable, boolean primaryKey,
      boolean unique, int maxLength, boolean slug, boolean automatic, boolean hasDefault,
      @Nullable Class<? extends Record> target, io.relstore.annotation.@Nullable OnDelete onDelete,
      boolean dbConstraint) {

    public boolean isForeignKey() {
      return target != null;
    }
  }
}
