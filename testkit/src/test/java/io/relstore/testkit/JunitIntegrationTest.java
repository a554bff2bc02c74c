package io.relstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/** The JUnit 5 glue: @DatasetSource, the fresh-store extension, and the Jazzer helper. */
@ExtendWith(StoreExtension.class)
class JunitIntegrationTest {

  @StoreFixture
  static Store fixture() {
    Store s = new Shop().newStore();
    s.create(new Shop.Category(0, "Books", "books", null));
    return s;
  }

  @ParameterizedTest
  @DatasetSource(schema = Shop.class, seeds = 10)
  void everyDatasetLoads(Dataset data) {
    Store s = data.loadInto(new Shop().newStore());
    assertEquals(data.size(), s.count(Shop.Category.class) + s.count(Shop.Customer.class)
        + s.count(Shop.Product.class) + s.count(Shop.Line.class));
  }

  @Test
  void eachTestGetsItsOwnCopyOfTheFixture(Store store) {
    assertEquals(1, store.count(Shop.Category.class));
    store.create(new Shop.Category(0, "Tools", "tools", null));
    assertEquals(2, store.count(Shop.Category.class));
  }

  @Test
  void theNextTestSeesTheFixtureUnchanged(Store store) {
    assertEquals(1, store.count(Shop.Category.class));
    store.delete(store.get(Shop.Category.class, 1));
    assertEquals(0, store.count(Shop.Category.class));
  }

  @FuzzTest(maxDuration = "5s")
  void fuzzedDatasetsAreValid(FuzzedDataProvider input) {
    Dataset d = Datasets.fromFuzzer(new Shop().generator(), input);
    Store s = d.loadInto(new Shop().newStore());
    StoreInvariants.check(s);
    assertTrue(s.count(Shop.Line.class) == d.rows(Shop.Line.class).size());
  }
}
