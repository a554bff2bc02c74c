package io.relstore.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every row of every model of a store, taken before an operation that must fail, to prove that the
 * failure changed nothing: {@link #assertUnchanged()} compares all rows again and runs the invariant
 * checker on the committed state.
 */
final class StoreSnapshot {
  private final Store store;
  private final List<Class<? extends Record>> models;
  private final Map<String, List<Record>> rows;

  private StoreSnapshot(Store store, List<Class<? extends Record>> models) {
    this.store = store;
    this.models = List.copyOf(models);
    this.rows = read(store, this.models);
  }

  /** The rows of {@code models}, which must be every model the store registers. */
  static StoreSnapshot take(Store store, List<Class<? extends Record>> models) {
    return new StoreSnapshot(store, models);
  }

  /** Model name → all its rows in primary-key order. */
  Map<String, List<Record>> rows() {
    return rows;
  }

  /** The store holds exactly the rows it held when the snapshot was taken, and is consistent. */
  void assertUnchanged() {
    assertEquals(rows, read(store, models), "a failed operation changed the store");
    StoreInvariants.check(store);
  }

  private static Map<String, List<Record>> read(Store store,
      List<Class<? extends Record>> models) {
    Map<String, List<Record>> out = new LinkedHashMap<>();
    for (Class<? extends Record> model : models) {
      out.put(model.getSimpleName(), new ArrayList<Record>(store.all(model)));
    }
    return out;
  }
}
