package io.relstore.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.testkit.Dataset;
import io.relstore.testkit.DatasetGenerator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The testkit's generator over random schemas (2–6 models, random FK rules and nullability,
 * self-references, diamonds; records compiled at run time): every generated dataset loads
 * without error, passes the invariant checker, and shrinks to a valid dataset.
 */
class TestkitOnRandomSchemasTest {

  @Test
  void generatedDatasetsAlwaysLoadAndPassTheInvariantChecker() {
    int tries = Integer.getInteger("relstore.tries", 25);
    for (long seed = 0; seed < tries; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      GenSchema gen = GenSchema.random(r, "Tk" + seed);
      Compiled compiled = Compiled.of(gen, r);
      DatasetGenerator g = DatasetGenerator.forSchema(compiled::newStore).sizes(0, 15);
      for (long data = 0; data < 5; data++) {
        Dataset d = g.generate(seed * 100 + data);
        Store s = d.loadInto(g.newStore());
        StoreInvariants.check(s);
        assertEquals(d.size(), d.all().keySet().stream().mapToInt(s::count).sum(),
            "schema seed " + seed + ", data " + data);
      }
    }
  }

  @Test
  void shrinkingOnARandomSchemaEndsAtAValidFailingDataset() {
    SplittableRandom r = new SplittableRandom(11);
    GenSchema gen = GenSchema.random(r, "TkShrink");
    Compiled compiled = Compiled.of(gen, r);
    DatasetGenerator g = DatasetGenerator.forSchema(compiled::newStore).sizes(5, 15);
    Dataset big = g.generate(3);
    // the "bug": a dataset with at least 3 rows in all fails
    Dataset small = g.shrink(big, d -> d.size() >= 3);
    assertEquals(3, small.size(), small.toJava());
    StoreInvariants.check(small.loadInto(g.newStore()));
    assertTrue(big.size() > small.size());
  }
}
