package io.relstore;

import java.util.Objects;

/**
 * A foreign-key field in the typed metamodel ({@code Post_.author}): its value is the target's
 * primary key, and {@link Store#follow(Record, ForeignKeyAttribute)} returns the target row.
 *
 * @param <M> the model holding the foreign key
 * @param <P> the target model
 */
public final class ForeignKeyAttribute<M extends Record, P extends Record>
    extends Attribute<M, Long> {
  private final Class<P> target;

  ForeignKeyAttribute(Class<M> model, String name, Class<P> target) {
    super(model, name, Long.class);
    this.target = Objects.requireNonNull(target, "target");
  }

  public Class<P> target() {
    return target;
  }

  /** {@code exact} with a target row (its key is compared). */
  public Q is(P row) {
    return Q.of(path(), row);
  }
}
