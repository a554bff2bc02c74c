package io.relstore.differential;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Values as both engines are compared: records as maps, numbers by value. */
final class Values {
  private Values() {
  }

  /** The date every generated sentinel row gets for a required date. */
  static final LocalDate SENTINEL_DATE = LocalDate.of(2000, 1, 1);

  /**
   * Numbers by value: integral ones as Long, decimals without trailing zeros (SQL's NUMERIC keeps a
   * fixed scale, relstore the BigDecimal it was given); other values as they are.
   */
  static @Nullable Object normalize(@Nullable Object v) {
    if (v instanceof BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      return s.scale() <= 0 && s.precision() - s.scale() < 19 ? (Object) s.longValueExact() : s;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  /** A record's components by name, normalized. */
  static Map<String, @Nullable Object> row(Object record) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    raw(record).forEach((k, v) -> out.put(k, normalize(v)));
    return out;
  }

  /** A record's components by name, as they are. */
  static Map<String, @Nullable Object> raw(Object record) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    try {
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        java.lang.reflect.Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        out.put(c.getName(), accessor.invoke(record));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static List<Map<String, @Nullable Object>> rows(List<?> records) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (Object r : records) {
      out.add(row(r));
    }
    return out;
  }

  static long pk(Object record) {
    return (Long) java.util.Objects.requireNonNull(row(record).get("id"));
  }

  /** A record of {@code type} from values by component name (converted to the component types). */
  static <T extends Record> T construct(Class<T> type, Map<String, @Nullable Object> values) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = fit(values.get(components[i].getName()), types[i]);
    }
    try {
      Constructor<T> c = type.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getSimpleName() + " from " + values, e);
    }
  }

  /** A value as a component of this type takes it (numbers narrowed or widened). */
  static @Nullable Object fit(@Nullable Object v, Class<?> type) {
    if (v instanceof Number n && !(v instanceof BigDecimal)) {
      if (type == int.class || type == Integer.class) {
        return n.intValue();
      }
      if (type == long.class || type == Long.class) {
        return n.longValue();
      }
    }
    if (v == null && type.isPrimitive()) {
      throw new IllegalArgumentException("null for a " + type + " component");
    }
    return v;
  }
}
