package io.relstore.internal.query;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Django's field lookups. {@code test} gets the (transformed) field value and the coerced query
 * value; a null field value never matches, except for {@code isnull} and {@code exact None} which the
 * compiler turns into {@code isnull}. Strings compare by code point; the {@code i...} forms fold case
 * with {@link Locale#ROOT}; {@code regex} is {@code Matcher.find()} (DESIGN.md, decided semantics).
 */
public enum Lookup {
  EXACT("exact"),
  IEXACT("iexact"),
  CONTAINS("contains"),
  ICONTAINS("icontains"),
  IN("in"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  STARTSWITH("startswith"),
  ISTARTSWITH("istartswith"),
  ENDSWITH("endswith"),
  IENDSWITH("iendswith"),
  RANGE("range"),
  ISNULL("isnull"),
  REGEX("regex"),
  IREGEX("iregex");

  private static final Map<String, Lookup> BY_NAME = new TreeMap<>();

  static {
    for (Lookup l : values()) {
      BY_NAME.put(l.djangoName, l);
    }
  }

  private final String djangoName;

  Lookup(String djangoName) {
    this.djangoName = djangoName;
  }

  public String djangoName() {
    return djangoName;
  }

  public static @Nullable Lookup named(String name) {
    return BY_NAME.get(name);
  }

  public static java.util.Set<String> names() {
    return BY_NAME.keySet();
  }

  /** Lookups on text: they need a String value (or a value shown as text). */
  public boolean isText() {
    return switch (this) {
      case IEXACT, CONTAINS, ICONTAINS, STARTSWITH, ISTARTSWITH, ENDSWITH, IENDSWITH, REGEX,
          IREGEX -> true;
      default -> false;
    };
  }

  public boolean isOrdering() {
    return this == GT || this == GTE || this == LT || this == LTE || this == RANGE;
  }
}
