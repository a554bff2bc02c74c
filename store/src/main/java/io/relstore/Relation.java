package io.relstore;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A reverse relation in the typed metamodel ({@code User_.posts}): from a parent model to the rows
 * of {@code related} whose foreign key points at it. Its name is the foreign key's
 * {@code relatedName}, or Django's default {@code <child>_set}.
 *
 * @param <P> the parent (referenced) model
 * @param <C> the child (referencing) model
 */
public final class Relation<P extends Record, C extends Record> {
  private final Class<P> model;
  private final String name;
  private final Class<C> related;
  /** The store field last resolved from this attribute; checked against the model on use. */
  volatile @Nullable Object resolved;

  private Relation(Class<P> model, String name, Class<C> related) {
    this.model = Objects.requireNonNull(model, "model");
    this.name = Objects.requireNonNull(name, "name");
    this.related = Objects.requireNonNull(related, "related");
  }

  /** The reverse relation {@code name} of {@code model}, whose rows are {@code related} records. */
  public static <P extends Record, C extends Record> Relation<P, C> of(Class<P> model, String name,
      Class<C> related) {
    return new Relation<>(model, name, related);
  }

  public Class<P> model() {
    return model;
  }

  public String name() {
    return name;
  }

  public Class<C> related() {
    return related;
  }

  /** The path to a field of the related rows: {@code User_.posts.then(Post_.title)}. */
  public <W> Path<P, W> then(Attribute<C, W> next) {
    return new Path<>(model, name + "__" + next.path(), next.valueType());
  }

  /** {@code relation__isnull}: rows with no related row (true) or with some (false). */
  public Q isNull(boolean isNull) {
    return Q.of(name + "__isnull", isNull);
  }

  /** {@code relation=row}: rows related to that row. */
  public Q has(C row) {
    return Q.of(name, row);
  }

  @Override
  public String toString() {
    return model.getSimpleName() + "." + name;
  }
}
