package io.relstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated datasets are valid, sized as asked, overridable and reproducible. */
class GeneratorTest {
  private final DatasetGenerator gen = new Shop().generator();

  @Test
  void everyDatasetLoadsAndPassesTheInvariantChecker() {
    int tries = Integer.getInteger("relstore.tries", 25) * 4;
    for (long seed = 0; seed < tries; seed++) {
      Dataset d = gen.generate(seed);
      Store s = d.loadInto(gen.newStore());
      StoreInvariants.check(s);
      for (Class<? extends Record> m : d.all().keySet()) {
        assertEquals(d.rows(m).size(), s.count(m), "seed " + seed + " " + m.getSimpleName());
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameDataset() {
    assertEquals(gen.generate(42).toJava(), gen.generate(42).toJava());
    assertTrue(!gen.generate(42).toJava().equals(gen.generate(43).toJava()));
  }

  @Test
  void sizesAndOverridesAreObeyed() {
    DatasetGenerator tuned = new Shop().generator()
        .size(Shop.Product.class, 30)
        .size(Shop.Customer.class, 2, 3)
        .withField(Shop.Product.class, "title", c -> "P" + c.nextInt(1000));
    for (long seed = 0; seed < 10; seed++) {
      Dataset d = tuned.generate(seed);
      assertEquals(30, d.rows(Shop.Product.class).size());
      int customers = d.rows(Shop.Customer.class).size();
      assertTrue(customers >= 2 && customers <= 3, customers + " customers");
      assertTrue(d.rows(Shop.Product.class).stream().allMatch(p -> p.title().startsWith("P")));
      assertTrue(d.rows(Shop.Category.class).size() >= 1, "a required target gets a row");
      d.loadInto(tuned.newStore());
    }
  }

  @Test
  void uniqueValuesAndSlugsHoldEvenWhenTheDomainIsCrowded() {
    DatasetGenerator crowded = new Shop().generator().size(Shop.Category.class, 200)
        .size(Shop.Customer.class, 200);
    Dataset d = crowded.generate(7);
    Set<String> slugs = new HashSet<>();
    for (Shop.Category c : d.rows(Shop.Category.class)) {
      assertTrue(c.slug().matches("[-a-zA-Z0-9_]+"), c.slug());
      assertTrue(slugs.add(c.slug()), "unique: " + c.slug());
      assertTrue(c.name().length() <= 20);
    }
    StoreInvariants.check(d.loadInto(crowded.newStore()));
  }

  @Test
  void selfReferencesAndCyclesThroughNullableKeysAppear() {
    boolean selfRef = false;
    boolean nulls = false;
    for (long seed = 0; seed < 30; seed++) {
      for (Shop.Category c : gen.generate(seed).rows(Shop.Category.class)) {
        selfRef |= c.parent() != null;
        nulls |= c.parent() == null;
      }
    }
    assertTrue(selfRef && nulls);
  }

  @Test
  void theDatasetPrintsAsJavaAndAsAFixture() {
    Dataset d = new Shop().generator().size(Shop.Category.class, 1).size(Shop.Customer.class, 0)
        .size(Shop.Product.class, 1).size(Shop.Line.class, 0).generate(3);
    String java = d.toJava();
    assertTrue(java.startsWith("store.bulkCreate(List.of(\n    new io.relstore.testkit.Shop"
        + ".Category(1L, "), java);
    String fixture = d.toFixture();
    assertTrue(fixture.contains("{\"model\": \"category\", \"pk\": 1, \"fields\": {\"name\": "),
        fixture);
    assertTrue(fixture.contains("\"category\": 1"), fixture);
    assertEquals(List.of(), d.rows(Shop.Line.class));
  }
}
