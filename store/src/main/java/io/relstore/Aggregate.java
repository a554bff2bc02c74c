package io.relstore;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An aggregate over a path, as Django's {@code Count}, {@code Sum}, {@code Avg}, {@code Min} and
 * {@code Max}: {@code aggregate(Aggregate.avg("rating"))} over a QuerySet, or
 * {@code annotate("n", Aggregate.count("posts"))} per row. Nulls are skipped; {@code Count} counts
 * non-null values (related rows, for a relation); Sum, Avg, Min and Max of no values are null. An
 * optional {@code filter} keeps only the related rows that match it (Django's
 * {@code Count("posts", filter=Q(...))}).
 */
public sealed interface Aggregate permits Aggregate.Count, Aggregate.Sum, Aggregate.Avg,
    Aggregate.Min, Aggregate.Max {

  String path();

  @Nullable Q filter();

  /** Django's default alias: {@code <path>__<function>}, e.g. {@code rating__avg}. */
  default String defaultAlias() {
    return path() + "__" + getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  static Count count(String path) {
    return new Count(path, false, null);
  }

  static Count countDistinct(String path) {
    return new Count(path, true, null);
  }

  static Sum sum(String path) {
    return new Sum(path, null);
  }

  static Avg avg(String path) {
    return new Avg(path, null);
  }

  static Min min(String path) {
    return new Min(path, null);
  }

  static Max max(String path) {
    return new Max(path, null);
  }

  /** Number of non-null values (of distinct values when {@code distinct}). */
  record Count(String path, boolean distinct, @Nullable Q filter) implements Aggregate {
    public Count {
      Objects.requireNonNull(path, "path");
    }

    /** The same count over related rows matching {@code q} only. */
    public Count where(Q q) {
      return new Count(path, distinct, q);
    }
  }

  record Sum(String path, @Nullable Q filter) implements Aggregate {
    public Sum {
      Objects.requireNonNull(path, "path");
    }

    public Sum where(Q q) {
      return new Sum(path, q);
    }
  }

  record Avg(String path, @Nullable Q filter) implements Aggregate {
    public Avg {
      Objects.requireNonNull(path, "path");
    }

    public Avg where(Q q) {
      return new Avg(path, q);
    }
  }

  record Min(String path, @Nullable Q filter) implements Aggregate {
    public Min {
      Objects.requireNonNull(path, "path");
    }

    public Min where(Q q) {
      return new Min(path, q);
    }
  }

  record Max(String path, @Nullable Q filter) implements Aggregate {
    public Max {
      Objects.requireNonNull(path, "path");
    }

    public Max where(Q q) {
      return new Max(path, q);
    }
  }
}
