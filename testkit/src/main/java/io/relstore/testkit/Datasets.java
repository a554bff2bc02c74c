package io.relstore.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** Entry points that need an optional dependency. */
public final class Datasets {
  private Datasets() {
  }

  /**
   * A dataset drawn from a Jazzer input, for a {@code @FuzzTest}: the fuzzer's bytes make every
   * choice, so coverage guidance explores the data, and every input still gives a valid dataset.
   * Needs {@code com.code-intelligence:jazzer-api} on the class path.
   */
  public static Dataset fromFuzzer(DatasetGenerator generator, FuzzedDataProvider data) {
    return generator.generate(new FuzzerChoices(data));
  }
}
