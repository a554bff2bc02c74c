package io.relstore.internal.schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The value types a component may have, with their boxed classes and text parsers. */
public enum FieldKind {
  LONG(Long.class),
  INT(Integer.class),
  SHORT(Short.class),
  BYTE(Byte.class),
  DOUBLE(Double.class),
  FLOAT(Float.class),
  BOOLEAN(Boolean.class),
  STRING(String.class),
  BIG_DECIMAL(BigDecimal.class),
  INSTANT(Instant.class),
  LOCAL_DATE(LocalDate.class),
  LOCAL_DATE_TIME(LocalDateTime.class),
  UUID_(UUID.class),
  ENUM(Enum.class);

  private static final Map<Class<?>, FieldKind> BY_TYPE = Map.ofEntries(
      Map.entry(long.class, LONG), Map.entry(Long.class, LONG),
      Map.entry(int.class, INT), Map.entry(Integer.class, INT),
      Map.entry(short.class, SHORT), Map.entry(Short.class, SHORT),
      Map.entry(byte.class, BYTE), Map.entry(Byte.class, BYTE),
      Map.entry(double.class, DOUBLE), Map.entry(Double.class, DOUBLE),
      Map.entry(float.class, FLOAT), Map.entry(Float.class, FLOAT),
      Map.entry(boolean.class, BOOLEAN), Map.entry(Boolean.class, BOOLEAN),
      Map.entry(String.class, STRING), Map.entry(BigDecimal.class, BIG_DECIMAL),
      Map.entry(Instant.class, INSTANT), Map.entry(LocalDate.class, LOCAL_DATE),
      Map.entry(LocalDateTime.class, LOCAL_DATE_TIME), Map.entry(UUID.class, UUID_));

  public static final String SUPPORTED = "long, int, short, byte, double, float, boolean (or their"
      + " boxes), String, BigDecimal, Instant, LocalDate, LocalDateTime, UUID, enums";

  private final Class<?> boxed;

  FieldKind(Class<?> boxed) {
    this.boxed = boxed;
  }

  public Class<?> boxed() {
    return boxed;
  }

  public static @Nullable FieldKind of(Class<?> type) {
    return type.isEnum() ? ENUM : BY_TYPE.get(type);
  }

  public boolean isTemporal() {
    return this == INSTANT || this == LOCAL_DATE || this == LOCAL_DATE_TIME;
  }

  public boolean isNumeric() {
    return this == LONG || this == INT || this == SHORT || this == BYTE || this == DOUBLE
        || this == FLOAT || this == BIG_DECIMAL;
  }

  /**
   * The value as a value of this kind, for constants given in code: the boxed type itself, or a
   * narrower integral number for a wider integral kind; null when it does not fit.
   */
  public @Nullable Object fit(Object value, Class<?> type) {
    if (this == ENUM) {
      return type.isInstance(value) ? value : null;
    }
    if (boxed.isInstance(value)) {
      return value;
    }
    boolean integral = value instanceof Integer || value instanceof Short || value instanceof Byte;
    return switch (this) {
      case LONG -> integral ? ((Number) value).longValue() : null;
      case INT -> value instanceof Short || value instanceof Byte ? ((Number) value).intValue()
          : null;
      case DOUBLE -> value instanceof Float || integral ? ((Number) value).doubleValue() : null;
      default -> null;
    };
  }

  /** Parses a {@code @Default} text for a component of this kind. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object parse(String text, Class<?> type) {
    return switch (this) {
      case LONG -> Long.parseLong(text);
      case INT -> Integer.parseInt(text);
      case SHORT -> Short.parseShort(text);
      case BYTE -> Byte.parseByte(text);
      case DOUBLE -> Double.parseDouble(text);
      case FLOAT -> Float.parseFloat(text);
      case BOOLEAN -> parseBoolean(text);
      case STRING -> text;
      case BIG_DECIMAL -> new BigDecimal(text);
      case INSTANT -> Instant.parse(text);
      case LOCAL_DATE -> LocalDate.parse(text);
      case LOCAL_DATE_TIME -> LocalDateTime.parse(text);
      case UUID_ -> UUID.fromString(text);
      case ENUM -> Enum.valueOf((Class) type, text);
    };
  }

  private static Boolean parseBoolean(String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    throw new IllegalArgumentException("not true or false");
  }
}
