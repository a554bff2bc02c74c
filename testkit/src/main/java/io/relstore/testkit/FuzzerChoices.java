package io.relstore.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** Choices read from Jazzer's input; when the input runs out, every choice is the smallest. */
final class FuzzerChoices implements Choices {
  private final FuzzedDataProvider data;

  FuzzerChoices(FuzzedDataProvider data) {
    this.data = data;
  }

  @Override
  public int nextInt(int bound) {
    return data.consumeInt(0, bound - 1);
  }

  @Override
  public long nextLong(long min, long max) {
    return data.consumeLong(min, max);
  }

  @Override
  public boolean nextBoolean() {
    return data.consumeBoolean();
  }

  @Override
  public double nextDouble() {
    return data.consumeProbabilityDouble() * 0.999_999;
  }
}
