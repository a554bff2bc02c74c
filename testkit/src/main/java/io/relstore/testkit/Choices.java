package io.relstore.testkit;

import java.util.SplittableRandom;

/**
 * The source of random choices a dataset is drawn from: a seeded {@link SplittableRandom} (the same
 * seed, the same dataset), or a fuzzer's input ({@link Datasets#fromFuzzer}) so that coverage
 * guides the data. Framework-neutral: any tool can drive it.
 */
public interface Choices {

  /** A number in {@code [0, bound)}; {@code bound} is positive. */
  int nextInt(int bound);

  /** A number in {@code [min, max]}. */
  long nextLong(long min, long max);

  boolean nextBoolean();

  /** A number in {@code [0, 1)}. */
  double nextDouble();

  /** True with probability {@code p}. */
  default boolean chance(double p) {
    return nextDouble() < p;
  }

  /** Choices from a seeded generator. */
  static Choices of(SplittableRandom random) {
    return new Choices() {
      @Override
      public int nextInt(int bound) {
        return random.nextInt(bound);
      }

      @Override
      public long nextLong(long min, long max) {
        return max == Long.MAX_VALUE && min == Long.MIN_VALUE ? random.nextLong()
            : min + random.nextLong(max - min + 1);
      }

      @Override
      public boolean nextBoolean() {
        return random.nextBoolean();
      }

      @Override
      public double nextDouble() {
        return random.nextDouble();
      }
    };
  }

  /** Choices from a seed. */
  static Choices seeded(long seed) {
    return of(new SplittableRandom(seed));
  }
}
