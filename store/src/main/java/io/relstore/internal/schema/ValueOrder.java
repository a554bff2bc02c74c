package io.relstore.internal.schema;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The one total order of field values, used by lookups, ordering and sorted indexes: strings by
 * code point (not UTF-16 unit), enums by name, UUIDs by their text, booleans false before true,
 * numbers of different boxes by value. Both values are non-null.
 */
public final class ValueOrder {
  private ValueOrder() {
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a instanceof String s && b instanceof String t) {
      return compareCodePoints(s, t);
    }
    if (floating(a) && floating(b)) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return x == y ? 0 : Double.compare(x, y);
    }
    if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
      return toBigDecimal(x).compareTo(toBigDecimal(y));
    }
    if (a instanceof Enum<?> x && b instanceof Enum<?> y) {
      return compareCodePoints(x.name(), y.name());
    }
    if (a instanceof UUID x && b instanceof UUID y) {
      return x.toString().compareTo(y.toString());
    }
    return ((Comparable) a).compareTo(b);
  }

  private static boolean floating(Object o) {
    return o instanceof Double || o instanceof Float;
  }

  /**
   * The value as a key for hashing and DISTINCT: values that compare equal get equal keys
   * (BigDecimal without trailing zeros, -0.0 as 0.0).
   */
  public static Object key(Object value) {
    if (value instanceof BigDecimal d) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    if (value instanceof Double d && d == 0.0d) {
      return 0.0d;
    }
    if (value instanceof Float f && f == 0.0f) {
      return 0.0f;
    }
    return value;
  }

  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  public static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.toString());
    }
    return BigDecimal.valueOf(n.longValue());
  }
}
