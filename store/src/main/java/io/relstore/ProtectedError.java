package io.relstore;

import java.util.List;
import java.util.Set;

/**
 * A delete reached rows that a {@code PROTECT} foreign key keeps alive; nothing was deleted.
 * {@link #keys()} are Django's keys (the first hop from the deleted model, e.g. {@code 'R.p'});
 * {@link #protectedObjects()} the protecting rows; the message adds the full path.
 */
public final class ProtectedError extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String model;
  private final String[] keys;
  /** Rows are records of the caller's types, not necessarily serializable. */
  private final transient Set<Object> objects;

  public ProtectedError(String message, String model, List<String> keys, Set<Object> objects) {
    super(message);
    this.model = model;
    this.keys = keys.toArray(new String[0]);
    this.objects = Set.copyOf(objects);
  }

  /** The name of the model being deleted. */
  public String model() {
    return model;
  }

  /** Django's relation keys, in the order the collector met them. */
  public List<String> keys() {
    return List.of(keys);
  }

  /** Every protecting row (records as stored). */
  public Set<Object> protectedObjects() {
    return objects;
  }
}
