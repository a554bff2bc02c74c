package io.relstore.differential;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the differential runs of this JVM did, for the run's report. */
final class DiffStats {
  private DiffStats() {
  }

  static final AtomicLong SCHEMAS = new AtomicLong();
  /** Actions applied (the invariant's checks, less the one before each run's first step). */
  static final AtomicLong STEPS = new AtomicLong();
  /** Runs of a sequence on fresh engines (one per try, more while shrinking). */
  static final AtomicLong RUNS = new AtomicLong();
  /** Query actions run on both engines. */
  static final AtomicLong QUERIES = new AtomicLong();
  /** Queries of the per-schema pool, run on both engines after every step. */
  static final AtomicLong POOL_QUERIES = new AtomicLong();
  /** Deletes that removed rows in both engines (H2 by its own referential actions). */
  static final AtomicLong DELETES = new AtomicLong();
  /** Queries (actions and pool) whose result was not empty, zero or null. */
  static final AtomicLong NON_EMPTY = new AtomicLong();
  /** Writes (create, bulk create, update, QuerySet update) both engines refused. */
  static final AtomicLong WRITES_REFUSED = new AtomicLong();
  /** Deletes both engines refused. */
  static final AtomicLong BOTH_REFUSED = new AtomicLong();
  /** Documented difference: relstore (Django) refused by PROTECT; H2 cascaded the protecting rows. */
  static final AtomicLong PROTECT_CASCADED = new AtomicLong();
  /** Documented difference: H2's row-by-row check refused; relstore's plan replayed. */
  static final AtomicLong ORDER_REPLAYS = new AtomicLong();

  /** Counts a query result that is not empty, zero, false or all nulls. */
  static void result(Object outcome) {
    boolean empty = outcome instanceof java.util.List<?> l && l.isEmpty()
        || outcome instanceof Long n && n == 0 || Boolean.FALSE.equals(outcome)
        || outcome instanceof io.relstore.query.MatrixQuery.First f && f.pk() == null
        || outcome instanceof Map<?, ?> m && m.values().stream().allMatch(
            v -> v == null || Long.valueOf(0).equals(v));
    if (!empty) {
      NON_EMPTY.incrementAndGet();
    }
  }

  /**
   * H2 quirk: its ON DELETE SET DEFAULT left a reference to a row the same statement deleted (the
   * end-of-statement check of standard SQL, relstore and PostgreSQL refuse it); taken as a refusal.
   */
  static final AtomicLong H2_LEFT_DANGLING = new AtomicLong();

  static Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("schemas", SCHEMAS.get());
    out.put("runs", RUNS.get());
    out.put("steps", STEPS.get());
    out.put("query actions", QUERIES.get());
    out.put("pool queries", POOL_QUERIES.get());
    out.put("queries with a non-empty result", NON_EMPTY.get());
    out.put("writes both refused", WRITES_REFUSED.get());
    out.put("deletes that removed rows", DELETES.get());
    out.put("deletes both refused", BOTH_REFUSED.get());
    out.put("PROTECT refused, H2 cascaded the protecting rows", PROTECT_CASCADED.get());
    out.put("H2 refused by row order, plan replayed", ORDER_REPLAYS.get());
    out.put("H2's SET DEFAULT left a dangling reference, taken as refused",
        H2_LEFT_DANGLING.get());
    return out;
  }

  /**
   * Writes the figures to {@code target/differential-h2.txt} of the module (surefire does not
   * show JUnit's report entries).
   */
  static void write(int tries, int steps) {
    java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("basedir", "."), "target",
        "differential-h2.txt");
    StringBuilder sb = new StringBuilder("DifferentialH2Test: " + tries + " tries x " + steps
        + " steps\n");
    snapshot().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, sb.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
