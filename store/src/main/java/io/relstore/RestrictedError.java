package io.relstore;

import java.util.List;
import java.util.Set;

/**
 * A delete reached rows that a {@code RESTRICT} foreign key keeps alive and that the same delete does
 * not remove through a CASCADE path; nothing was deleted. {@link #keys()} name the restricting
 * fields themselves (e.g. {@code 'Song.album'}).
 */
public final class RestrictedError extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String model;
  private final String[] keys;
  /** Rows are records of the caller's types, not necessarily serializable. */
  private final transient Set<Object> objects;

  public RestrictedError(String message, String model, List<String> keys, Set<Object> objects) {
    super(message);
    this.model = model;
    this.keys = keys.toArray(new String[0]);
    this.objects = Set.copyOf(objects);
  }

  /** The name of the model of the top-level delete. */
  public String model() {
    return model;
  }

  /** The restricting fields with rows left, as {@code 'Model.field'}. */
  public List<String> keys() {
    return List.of(keys);
  }

  /** The restricting rows left after removing those the delete also collects. */
  public Set<Object> restrictedObjects() {
    return objects;
  }
}
