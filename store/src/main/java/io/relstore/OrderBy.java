package io.relstore;

import java.util.Objects;

/**
 * An ordering key with explicit null placement, as Django's {@code F("rating").asc(nulls_last=True)}.
 * Without it, nulls sort last ascending and first descending (PostgreSQL's default).
 */
public final class OrderBy {
  private final String path;
  private final boolean descending;
  private final boolean nullsFirst;
  private final boolean nullsLast;

  private OrderBy(String path, boolean descending, boolean nullsFirst, boolean nullsLast) {
    this.path = Objects.requireNonNull(path, "path");
    if (nullsFirst && nullsLast) {
      throw new QueryError("nulls_first and nulls_last are mutually exclusive (ordering by '"
          + path + "')");
    }
    this.descending = descending;
    this.nullsFirst = nullsFirst;
    this.nullsLast = nullsLast;
  }

  /** Ascending by a field path, {@code pk}, or an annotation alias. */
  public static OrderBy asc(String path) {
    return new OrderBy(path, false, false, false);
  }

  /** Descending by a field path, {@code pk}, or an annotation alias. */
  public static OrderBy desc(String path) {
    return new OrderBy(path, true, false, false);
  }

  /**
   * Nulls before every value.
   *
   * @throws QueryError if nulls-last was asked too (Django's ValueError)
   */
  public OrderBy nullsFirst() {
    return new OrderBy(path, descending, true, nullsLast);
  }

  /**
   * Nulls after every value.
   *
   * @throws QueryError if nulls-first was asked too (Django's ValueError)
   */
  public OrderBy nullsLast() {
    return new OrderBy(path, descending, nullsFirst, true);
  }

  public String path() {
    return path;
  }

  public boolean descending() {
    return descending;
  }

  public boolean placesNullsFirst() {
    return nullsFirst;
  }

  public boolean placesNullsLast() {
    return nullsLast;
  }

  @Override
  public String toString() {
    return (descending ? "-" : "") + path + (nullsFirst ? " nulls first" : "")
        + (nullsLast ? " nulls last" : "");
  }
}
