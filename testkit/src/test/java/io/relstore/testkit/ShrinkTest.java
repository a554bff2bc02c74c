package io.relstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Shrinking a failing dataset ends at a small valid one that still fails. */
class ShrinkTest {
  private final DatasetGenerator gen = new Shop().generator().sizes(3, 12);

  /** A planted "bug": an order line of more than 5 items of a product costing over 100 fails. */
  private static boolean fails(Dataset d) {
    Store s = d.loadInto(new Shop().newStore());
    for (Shop.Line l : d.rows(Shop.Line.class)) {
      Shop.Product p = s.get(Shop.Product.class, l.product());
      if (l.quantity() > 5 && p.price().compareTo(BigDecimal.valueOf(100)) > 0) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aFailingDatasetShrinksToOneLineWithItsParents() {
    Dataset failing = null;
    for (long seed = 0; failing == null && seed < 500; seed++) {
      Dataset d = gen.generate(seed);
      if (fails(d)) {
        failing = d;
      }
    }
    assertTrue(failing != null, "some seed fails");
    Dataset small = gen.shrink(failing, ShrinkTest::fails);
    assertTrue(fails(small), "still failing");
    StoreInvariants.check(small.loadInto(gen.newStore()));
    assertEquals(1, small.rows(Shop.Line.class).size(), small.toJava());
    assertEquals(1, small.rows(Shop.Product.class).size(), small.toJava());
    assertEquals(1, small.rows(Shop.Customer.class).size(), small.toJava());
    assertEquals(1, small.rows(Shop.Category.class).size(), small.toJava());
    assertTrue(small.size() <= 4 && failing.size() > small.size(),
        failing.size() + " rows shrank to " + small.size());
    Shop.Line line = small.rows(Shop.Line.class).get(0);
    assertEquals(6, line.quantity(), "simplified to the boundary: " + small.toJava());
  }
}
