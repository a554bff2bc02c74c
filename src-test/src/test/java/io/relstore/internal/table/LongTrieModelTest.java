package io.relstore.internal.table;

import static io.relstore.internal.table.Tries.assertAbsentNeighbours;
import static io.relstore.internal.table.Tries.assertContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Model-based randomized test: {@link LongTrie} against a {@link LongObjectHashMap} (content) and a
 * {@link TreeMap} (order), over several key distributions and every way of editing (null token,
 * a fresh token per batch, one token for all batches, one long-lived editor, a random mix).
 * Seeded: a failure message names the seed, distribution and mode, and the run is reproducible.
 * Scale: {@code -Drelstore.tries=N -Drelstore.steps=M}: N tries, each running every distribution
 * (with a mode that rotates from try to try), M batches per run.
 */
class LongTrieModelTest {
  private static final long SEED = 0x5EED_7121EL;

  enum Distribution {
    /** Auto-increment-like keys 1..n with n small enough to fill leaves and empty them again. */
    DENSE,
    /** Uniform random non-negative longs, plus the extremes 0 and Long.MAX_VALUE. */
    SPARSE,
    /** A few clusters of nearby keys around random bases, some bases differing only in high bits. */
    CLUSTERED,
    /** Keys made of a random subset of bits at level boundaries: deep shared prefixes everywhere. */
    LEVEL_BITS
  }

  enum Mode {
    NULL_TOKEN, FRESH_TOKEN_PER_BATCH, ONE_TOKEN_FOR_ALL, ONE_LIVE_EDITOR, MIXED
  }

  /** Bits straddling every 6-bit level boundary, and the top bits. */
  private static final int[] LEVEL_BITS = {0, 1, 5, 6, 7, 11, 12, 17, 18, 23, 24, 29, 30, 35, 36, 41,
      42, 47, 48, 53, 54, 59, 60, 61, 62};

  /** Draws keys for one try. */
  private static final class Keys {
    private final Distribution dist;
    private final SplittableRandom rnd;
    private final long denseMax;
    private final long[] clusterBases;
    private final int clusterSpread;
    private final int[] bits;

    Keys(Distribution dist, SplittableRandom rnd) {
      this.dist = dist;
      this.rnd = rnd;
      long[] sizes = {16, 64, 65, 200, 4096, 5000};
      this.denseMax = sizes[rnd.nextInt(sizes.length)];
      this.clusterBases = new long[1 + rnd.nextInt(5)];
      long root = rnd.nextLong(Long.MAX_VALUE);
      for (int i = 0; i < clusterBases.length; i++) {
        clusterBases[i] = switch (rnd.nextInt(3)) {
          case 0 -> rnd.nextLong(Long.MAX_VALUE - 100_000);
          case 1 -> (root ^ (1L << (54 + rnd.nextInt(9)))) & Long.MAX_VALUE;  // differs in top bits
          default -> rnd.nextLong(1 << 20);
        };
        clusterBases[i] = Math.min(clusterBases[i], Long.MAX_VALUE - 100_000);
      }
      this.clusterSpread = new int[] {8, 64, 300, 5000}[rnd.nextInt(4)];
      this.bits = new int[4 + rnd.nextInt(8)];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = LEVEL_BITS[rnd.nextInt(LEVEL_BITS.length)];
      }
    }

    long next() {
      switch (dist) {
        case DENSE:
          return 1 + rnd.nextLong(denseMax);
        case SPARSE:
          int r = rnd.nextInt(100);
          if (r == 0) {
            return 0;
          }
          if (r == 1) {
            return Long.MAX_VALUE;
          }
          return rnd.nextLong(Long.MAX_VALUE);
        case CLUSTERED:
          return clusterBases[rnd.nextInt(clusterBases.length)] + rnd.nextInt(clusterSpread);
        default:
          long k = 0;
          for (int b : bits) {
            if (rnd.nextBoolean()) {
              k |= 1L << b;
            }
          }
          return k;
      }
    }
  }

  /** The model: content in a primitive hash map, order in a TreeMap; kept in step. */
  private static final class Model {
    final LongObjectHashMap<Long> map = new LongObjectHashMap<>();
    final TreeMap<Long, Long> order = new TreeMap<>();
    final LongArrayList everInserted = new LongArrayList();

    Long put(long k, Long v) {
      Long old = map.put(k, v);
      assertEquals(old, order.put(k, v), "the two models disagree");
      if (old == null) {
        everInserted.add(k);
      }
      return old;
    }

    Long remove(long k) {
      Long old = map.remove(k);
      assertEquals(old, order.remove(k), "the two models disagree");
      return old;
    }

    NavigableMap<Long, Long> copy() {
      return new TreeMap<>(order);
    }
  }

  private long operations;

  @Test
  void longTrieAgreesWithTheModel(TestReporter reporter) {
    int tries = Tries.tries();
    int steps = Tries.steps();
    int run = 0;
    for (int t = 0; t < tries; t++) {
      for (Distribution dist : Distribution.values()) {
        // each try takes every distribution, the modes rotate so all pairs come up every 5 tries
        Mode mode = Mode.values()[(t + dist.ordinal()) % Mode.values().length];
        long seed = SEED + 1_000_003L * run++;
        runOne(seed, dist, mode, steps);
      }
    }
    reporter.publishEntry("randomOperations", Long.toString(operations));
    reporter.publishEntry("runs", Integer.toString(run));
  }

  private void runOne(long seed, Distribution dist, Mode mode, int steps) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Keys keys = new Keys(dist, rnd);
    Model model = new Model();
    LongTrie<Long> trie = LongTrie.empty();
    LongTrie.Edit shared = new LongTrie.Edit();
    LongTrie.Editor<Long> live = trie.editor(shared);
    // after each batch the previous version must still hold its content when the batch used no
    // token or a token never used before; the shared token may change older versions in place
    // (allowed by design within one transaction), so those batches are not checked that way
    LongTrie<Long> previous = trie;
    NavigableMap<Long, Long> previousContent = model.copy();
    for (int step = 0; step < steps; step++) {
      String where = "seed=" + seed + " dist=" + dist + " mode=" + mode + " step=" + step;
      LongTrie.Edit token = switch (mode) {
        case NULL_TOKEN -> null;
        case FRESH_TOKEN_PER_BATCH -> new LongTrie.Edit();
        case ONE_TOKEN_FOR_ALL, ONE_LIVE_EDITOR -> shared;
        case MIXED -> switch (rnd.nextInt(3)) {
          case 0 -> null;
          case 1 -> new LongTrie.Edit();
          default -> shared;
        };
      };
      LongTrie.Editor<Long> editor = mode == Mode.ONE_LIVE_EDITOR ? live : trie.editor(token);
      boolean persistentOps = token == null && rnd.nextInt(3) == 0;
      int ops = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(1000) : 1 + rnd.nextInt(40);
      int putPercent = 30 + rnd.nextInt(50);
      for (int i = 0; i < ops; i++) {
        operations++;
        int r = rnd.nextInt(100);
        if (r < putPercent) {
          long k = keys.next();
          Long v = rnd.nextLong();
          if (persistentOps) {
            LongTrie<Long> before = trie;
            trie = trie.with(k, v);
            assertEquals(model.map.get(k), before.get(k), where);
            model.put(k, v);
          } else {
            assertEquals(model.put(k, v), editor.put(k, v), () -> where + " put(" + k + ")");
          }
        } else {
          long k = model.everInserted.isEmpty() || rnd.nextInt(4) == 0 ? keys.next()
              : model.everInserted.get(rnd.nextInt(model.everInserted.size()));
          if (persistentOps) {
            LongTrie<Long> before = trie;
            trie = trie.without(k);
            Long old = model.remove(k);
            if (old == null) {
              assertSame(before, trie, () -> where + " without(" + k + ") of an absent key");
            } else {
              assertSame(old, before.get(k), where);
            }
          } else {
            assertEquals(model.remove(k), editor.remove(k), () -> where + " remove(" + k + ")");
          }
        }
        if (!persistentOps) {
          assertEquals(model.map.size(), editor.size(), () -> where + " editor size");
        }
      }
      if (!persistentOps) {
        trie = editor.freeze();
      }
      assertContent(model.order, trie, where);
      for (int probe = 0; probe < 20; probe++) {
        long k = keys.next();
        assertEquals(model.map.get(k), trie.get(k), () -> where + " get(" + k + ")");
      }
      if (step % 10 == 0) {
        assertAbsentNeighbours(model.order, trie, where);
      }
      if (token == null || token != shared) {
        assertContent(previousContent, previous, where + ": the previous version changed");
      }
      previous = trie;
      previousContent = model.copy();
    }
  }
}
