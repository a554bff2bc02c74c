package io.relstore.differential;

import io.relstore.DeletePlan;
import io.relstore.Store;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The two engines a differential run drives in step: a relstore {@link Store} and an H2 database
 * of the same schema. An action runs on relstore first, then on H2; what relstore's delete planned
 * and did is kept here for the H2 side, which needs it where the engines differ by design.
 */
final class Duo implements AutoCloseable {
  /** The record classes by model name, in registration order. */
  final Map<String, Class<? extends Record>> types;
  final Store store;
  final H2Side h2;
  /** relstore's last delete, for the H2 side of the same action. */
  @Nullable RelstoreDelete lastDelete;

  /**
   * A delete on relstore: its plan (made just before it) and its outcome.
   *
   * @param outcome the {@code DeleteResult}, or the {@code StoreException} it threw
   */
  record RelstoreDelete(DeletePlan plan, Object outcome) {
  }

  Duo(Compiled schema) {
    this(schema.types(), schema.newStore(), new H2Side(schema.sql(), schema.ddl()));
  }

  Duo(Map<String, Class<? extends Record>> types, Store store, H2Side h2) {
    this.types = types;
    this.store = store;
    this.h2 = h2;
  }

  Class<? extends Record> type(String model) {
    Class<? extends Record> t = types.get(model);
    if (t == null) {
      throw new IllegalArgumentException(model);
    }
    return t;
  }

  /** The model of a stored record. */
  String modelOf(Object record) {
    for (Map.Entry<String, Class<? extends Record>> e : types.entrySet()) {
      if (e.getValue() == record.getClass()) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException(record.getClass().getName());
  }

  /** The model names, in registration order. */
  List<String> models() {
    return List.copyOf(types.keySet());
  }

  @Override
  public void close() {
    h2.close();
  }
}
