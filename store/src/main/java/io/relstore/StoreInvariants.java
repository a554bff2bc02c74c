package io.relstore;

import io.relstore.internal.tx.Invariants;
import java.util.List;

/**
 * Checks a store's internal invariants from scratch: every foreign key resolves, each reverse index
 * is exactly the inverse of the foreign keys, every secondary index matches the rows, unique values
 * are unique, and every stored row obeys its field rules. Cost O(rows × fields): meant for tests,
 * which run it after every test and every random step.
 */
public final class StoreInvariants {
  private StoreInvariants() {
  }

  /**
   * Checks the last committed state of {@code store}.
   *
   * @throws AssertionError listing every broken invariant (up to 20), if any
   */
  public static void check(Store store) {
    List<String> faults = violations(store);
    if (!faults.isEmpty()) {
      throw new AssertionError("Store invariants broken:\n  " + String.join("\n  ", faults));
    }
  }

  /** The broken invariants of the last committed state, described; empty when all hold. */
  public static List<String> violations(Store store) {
    return Invariants.check(store.database().committed());
  }
}
