package io.relstore.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.StoreInvariants;
import io.relstore.differential.Divergence.Focus;
import io.relstore.harness.Property;
import io.relstore.query.MatrixQuery.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * relstore against H2, on random schemas: <b>the same random operations give the same outcome and
 * leave the same rows in both, and every query returns the same in both</b>, except where the two
 * must differ by design, where the documented difference is asserted instead.
 *
 * <p>Each try draws a schema from its seed ({@link GenSchema}: 2 to 6 models, random rules,
 * nullability, self-references, diamonds), writes it as Java records, compiles and loads them at
 * run time ({@link RecordCompiler}), builds the store from them and translates them to H2 DDL
 * ({@link SchemaTranslator}). Then a seeded sequence of {@link DiffActions} runs on both engines
 * ({@code jdbc:h2:mem:<random>}): creates, bulk creates, updates, deletes of one row, QuerySet
 * deletes and updates (valid values and broken ones), and queries compiled both to a relstore
 * QuerySet and to Django's SQL ({@link SqlQuery}). After every step StoreInvariants passes, every
 * table holds the same rows in both, and each query of a pool drawn for the schema returns the same
 * in both. Where relstore (Django) and SQL differ by design (PROTECT that Django keeps even when
 * the protecting row is cascaded; H2 checking NO ACTION row by row where Django exempts restricted
 * rows the same delete cascades to), the driver asserts the difference and uses relstore's plan
 * ({@link DiffActions#h2Delete}); {@code src-test/DIFFERENTIAL.md} lists every difference.
 *
 * <p>Queries on which relstore was found to answer otherwise than Django's SQL, with no documented
 * reason ({@link Divergence}), are left out of the main property and have a property each, which
 * fails while the divergence is there (as {@code QueryMatrixTest} does with its constructs).
 *
 * <p>CI runs {@code relstore.tries} × {@code relstore.steps} (25 × 60); a long run is
 * <pre>
 * mvn -B verify -pl src-test -am -Dbench.smoke.skip=true -Dtest=DifferentialH2Test \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Drelstore.tries=1000 -Drelstore.steps=100
 * </pre>
 * A failure prints the seed, the replay command, the schema (the generated record sources, their
 * DDL and the store's builder) and the shrunk action sequence as Java lines for a test of this
 * package (they use {@link Repro}).
 */
class DifferentialH2Test {

  /** Queries of the pool each schema runs after every step. */
  static final int POOL = 4;

  @Test
  void relstoreAndH2AgreeOnRandomSchemas(TestReporter reporter) {
    checkAll(Focus.AGREED, reporter);
  }

  private static void checkAll(Focus focus, TestReporter reporter) {
    Property.Settings settings = Property.Settings.fromSystemProperties();
    Long fixed = settings.seed();
    long[] seeds = fixed != null ? new long[] {fixed} : fresh(settings.tries());
    long steps = DiffStats.STEPS.get();
    try {
      for (long seed : seeds) {
        check(seed, settings.steps(), focus);
      }
    } finally {
      DiffStats.write(seeds.length, settings.steps());
    }
    Map<String, Long> stats = DiffStats.snapshot();
    reporter.publishEntry(stats.toString());
    assertTrue(DiffStats.STEPS.get() - steps >= (long) seeds.length * settings.steps(),
        "every step ran: " + stats);
  }

  private static long[] fresh(int tries) {
    SplittableRandom master = new SplittableRandom();
    long[] out = new long[tries];
    for (int i = 0; i < tries; i++) {
      out[i] = master.nextLong();
    }
    return out;
  }

  /** One try: the schema and the query pool of the seed, and the seed's action sequence. */
  static void check(long seed, int steps, Focus focus) {
    SplittableRandom schemaRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
    GenSchema gen = GenSchema.random(schemaRandom, "Gen");
    Compiled compiled = Compiled.of(gen, schemaRandom);
    DiffStats.SCHEMAS.incrementAndGet();
    List<Query> pool = new ArrayList<>();
    Divergence d = focus.divergence();
    for (int i = 0; i < POOL; i++) {
      pool.add(d == null ? DiffQueries.random(schemaRandom, gen)
          : DiffQueries.targeted(schemaRandom, gen, d));
    }
    try (Latest latest = new Latest(compiled)) {
      property(compiled, pool, latest, focus).steps(steps).seed(seed).check();
    }
  }

  static Property<Duo, Duo> property(Compiled compiled, List<Query> pool, Latest latest,
      Focus focus) {
    return Property.<Duo, Duo>of(DifferentialH2Test.class, latest::fresh, latest::current,
            r -> DiffActions.random(r, compiled.gen(), focus))
        .invariant((duo, same) -> agree(duo, pool, focus))
        .setup(compiled.setupJava())
        .shrinkRuns(1000);
  }

  /**
   * After every step: the store is sound, every table holds the same rows in both engines, and
   * every pool query returns the same.
   */
  static void agree(Duo duo, List<Query> pool, Focus focus) {
    DiffStats.STEPS.incrementAndGet();
    StoreInvariants.check(duo.store);
    for (String m : duo.models()) {
      List<Map<String, @Nullable Object>> h2 = duo.h2.rows(m);
      assertEquals(h2, Values.rows(duo.store.all(duo.type(m))), () -> "rows of " + m
          + " (expected: H2's)");
    }
    for (Query q : pool) {
      if (!focus.admits(q)) {
        continue;
      }
      DiffStats.POOL_QUERIES.incrementAndGet();
      Object h2 = SqlQuery.run(duo.h2, q);
      DiffStats.result(h2);
      Object relstore = DiffActions.relstoreResult(duo.store, duo.type(q.model()), q);
      assertEquals(h2, relstore, () -> "pool query " + q.java() + "\n  its SQL: "
          + SqlQuery.statement(duo.h2.schema, q) + "\n  (expected: H2's)");
    }
  }

  /** The engines of the latest run of a property: each run gets fresh ones, the last is closed. */
  static final class Latest implements AutoCloseable {
    private final Compiled compiled;
    private @Nullable Duo duo;

    Latest(Compiled compiled) {
      this.compiled = compiled;
    }

    Duo fresh() {
      close();
      DiffStats.RUNS.incrementAndGet();
      DiffStats.STEPS.decrementAndGet();
      duo = new Duo(compiled);
      return duo;
    }

    Duo current() {
      return java.util.Objects.requireNonNull(duo, "no run started");
    }

    @Override
    public void close() {
      if (duo != null) {
        duo.close();
        duo = null;
      }
    }
  }
}
