package io.relstore.internal.query;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Django's date and time transforms ({@code pub_date__year}, {@code created_at__hour}, ...). They
 * apply to LocalDate, LocalDateTime and Instant values (an Instant in the store clock's zone) and
 * chain with a lookup ({@code year__gte}). {@code week_day} counts 1 = Sunday to 7 = Saturday;
 * {@code iso_week_day} 1 = Monday to 7 = Sunday; {@code week} and {@code iso_year} are ISO-8601.
 */
public enum Transform {
  YEAR("year", false),
  ISO_YEAR("iso_year", false),
  MONTH("month", false),
  DAY("day", false),
  WEEK("week", false),
  WEEK_DAY("week_day", false),
  ISO_WEEK_DAY("iso_week_day", false),
  QUARTER("quarter", false),
  HOUR("hour", true),
  MINUTE("minute", true),
  SECOND("second", true),
  DATE("date", true);

  private static final Map<String, Transform> BY_NAME = new TreeMap<>();

  static {
    for (Transform t : values()) {
      BY_NAME.put(t.djangoName, t);
    }
  }

  private final String djangoName;
  private final boolean needsTime;

  Transform(String djangoName, boolean needsTime) {
    this.djangoName = djangoName;
    this.needsTime = needsTime;
  }

  public String djangoName() {
    return djangoName;
  }

  /** Whether the transform needs a time of day (not a LocalDate). */
  public boolean needsTime() {
    return needsTime;
  }

  public static @Nullable Transform named(String name) {
    return BY_NAME.get(name);
  }

  public static java.util.Set<String> names() {
    return BY_NAME.keySet();
  }

  /** The transform's result for a temporal value; null stays null. */
  public @Nullable Object apply(@Nullable Object value, ZoneId zone) {
    if (value == null) {
      return null;
    }
    LocalDateTime t = value instanceof Instant i ? LocalDateTime.ofInstant(i, zone)
        : value instanceof LocalDate d ? d.atStartOfDay() : (LocalDateTime) value;
    return switch (this) {
      case YEAR -> t.getYear();
      case ISO_YEAR -> t.get(IsoFields.WEEK_BASED_YEAR);
      case MONTH -> t.getMonthValue();
      case DAY -> t.getDayOfMonth();
      case WEEK -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case WEEK_DAY -> t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1;
      case ISO_WEEK_DAY -> t.getDayOfWeek().getValue();
      case QUARTER -> (t.getMonthValue() - 1) / 3 + 1;
      case HOUR -> t.getHour();
      case MINUTE -> t.getMinute();
      case SECOND -> t.getSecond();
      case DATE -> t.toLocalDate();
    };
  }
}
