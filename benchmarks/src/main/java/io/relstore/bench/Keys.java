package io.relstore.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Random keys drawn inside the measured operation (SplitMix64, a few nanoseconds, the same for every
 * contender), so a benchmark touches keys over the whole table rather than a small cached set.
 */
final class Keys {
  private static final AtomicLong STREAMS = new AtomicLong(0x2545_F491_4F6C_DD1DL);
  private long state;

  /** A fresh stream per call: each reader thread draws its own keys. */
  Keys() {
    this.state = STREAMS.getAndAdd(0x9E37_79B9_7F4A_7C15L);
  }

  long nextLong() {
    long z = (state += 0x9E37_79B9_7F4A_7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, bound)}, bound at most 2^31. */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }
}
