package io.relstore.internal.query;

import io.relstore.ValidationError;
import io.relstore.internal.schema.FieldKind;
import io.relstore.internal.schema.ValueOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Value rules shared by lookups, ordering and aggregation: coercion of a query value to a field's
 * kind, and one total order per kind. Strings compare by code point (not UTF-16 unit), enums by
 * name, UUIDs by their text, booleans false before true; numbers of different boxes compare by
 * value.
 */
public final class Values {
  private Values() {
  }

  /** Compares two non-null values of one kind (after coercion): {@link ValueOrder}. */
  public static int compare(Object a, Object b) {
    return ValueOrder.compare(a, b);
  }

  /** Equality as the lookups see it: numbers by value, everything else by equals. */
  public static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      if (a.getClass() == b.getClass() && (a instanceof Long || a instanceof Integer)) {
        return a.equals(b);
      }
      return ValueOrder.compare(a, b) == 0;
    }
    return a.equals(b);
  }

  public static BigDecimal toBigDecimal(Number n) {
    return ValueOrder.toBigDecimal(n);
  }

  public static String fold(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * The query value as a value of {@code kind}: widening numbers, parsing text for dates, times,
   * UUIDs and enum names. Throws ValidationError naming {@code where} when it does not fit.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object coerce(Object value, FieldKind kind, Class<?> type,
      java.util.function.Supplier<String> where) {
    try {
      Object fitted = kind.fit(value, type);
      Object out = fitted != null ? fitted : switch (kind) {
        case INSTANT -> value instanceof String s ? Instant.parse(s) : null;
        case LOCAL_DATE -> value instanceof String s ? LocalDate.parse(s) : null;
        case LOCAL_DATE_TIME -> value instanceof LocalDate d ? d.atStartOfDay()
            : value instanceof String s ? LocalDateTime.parse(s) : null;
        case UUID_ -> value instanceof String s ? UUID.fromString(s) : null;
        case ENUM -> value instanceof String s ? Enum.valueOf((Class) type, s) : null;
        default -> null;
      };
      if (out != null) {
        return out;
      }
    } catch (RuntimeException e) {
      // reported below with the field and the value
    }
    throw new ValidationError(where.get() + ": value " + show(value) + " of type "
        + value.getClass().getSimpleName() + " does not fit a " + type.getSimpleName()
        + " field");
  }

  public static String show(@Nullable Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
