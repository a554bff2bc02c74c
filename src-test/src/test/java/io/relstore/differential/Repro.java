package io.relstore.differential;

import io.relstore.Store;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The helpers the printed reproductions of {@link DifferentialH2Test} call: rows are named by
 * position ("the k-th row of M in key order"), resolved against the store when the line runs, and
 * the SET supplier every generated schema uses.
 */
final class Repro {
  private Repro() {
  }

  /** A key no row holds: the value of a required foreign key when its model has no row. */
  static final long NO_ROW = 1_000_000L;

  /** The {@code k mod count}-th row of {@code model} in key order, or null if it has none. */
  static <T extends Record> @Nullable T kthRow(Store store, Class<T> model, int k) {
    List<T> all = store.all(model);
    return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
  }

  /** The key of the k-th row, or {@link #NO_ROW} if the model has none. */
  static long kth(Store store, Class<? extends Record> model, int k) {
    Record r = kthRow(store, model, k);
    return r == null ? NO_ROW : Values.pk(r);
  }

  /** The key of the k-th row, or null if the model has none (a nullable key's value). */
  static @Nullable Long kthOrNull(Store store, Class<? extends Record> model, int k) {
    Record r = kthRow(store, model, k);
    return r == null ? null : Values.pk(r);
  }

  /**
   * The SET supplier of the generated schemas, Django's {@code get_sentinel_user}: the first row
   * named {@value GenSchema#SENTINEL}, created when there is none (every other field zero, the
   * sentinel date, or null, which takes the field's default).
   */
  static <T extends Record> T sentinel(Store store, Class<T> model) {
    for (T row : store.all(model)) {
      if (GenSchema.SENTINEL.equals(Values.row(row).get("name"))) {
        return row;
      }
    }
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    for (RecordComponent c : model.getRecordComponents()) {
      Class<?> type = c.getType();
      Object v = null;
      if (type == long.class) {
        v = 0L;
      } else if (type == int.class) {
        v = 0;
      } else if (type == String.class && c.getName().equals("name")) {
        v = GenSchema.SENTINEL;
      } else if (type == LocalDate.class && !c.getAnnotatedType().isAnnotationPresent(
          Nullable.class)) {
        v = Values.SENTINEL_DATE;
      } else if (type == BigDecimal.class && !c.getAnnotatedType().isAnnotationPresent(
          Nullable.class)) {
        v = BigDecimal.ZERO;
      }
      values.put(c.getName(), v);
    }
    return store.create(Values.construct(model, values));
  }
}
