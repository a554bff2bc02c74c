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
   * The value as a value of this kind: the boxed type itself; an integral number (or an integral
   * BigDecimal) in range for an integral kind; any number for a floating or decimal kind. Null when
   * it does not fit. Text is not parsed here.
   */
  public @Nullable Object fit(Object value, Class<?> type) {
    if (this == ENUM) {
      return type.isInstance(value) ? value : null;
    }
    if (boxed.isInstance(value)) {
      return value;
    }
    if (!(value instanceof Number n)) {
      return null;
    }
    Long integral = integral(n);
    return switch (this) {
      case LONG -> integral;
      case INT -> integral != null && integral == integral.intValue() ? integral.intValue() : null;
      case SHORT -> integral != null && integral == integral.shortValue() ? integral.shortValue()
          : null;
      case BYTE -> integral != null && integral == integral.byteValue() ? integral.byteValue()
          : null;
      case DOUBLE -> n.doubleValue();
      case FLOAT -> n.floatValue();
      case BIG_DECIMAL -> n instanceof Double || n instanceof Float
          ? new java.math.BigDecimal(n.toString()) : java.math.BigDecimal.valueOf(n.longValue());
      default -> null;
    };
  }

  private static @Nullable Long integral(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof java.math.BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
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
