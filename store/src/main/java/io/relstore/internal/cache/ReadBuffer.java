package io.relstore.internal.cache;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Key reads of one table, recorded on the reading thread and replayed into the eviction policy in
 * batches, as Caffeine itself buffers reads: a read costs an array store instead of a hash lookup
 * in Caffeine's map.
 *
 * <p>Each thread fills its own batch of {@link #BATCH} keys with plain writes; a full batch is
 * handed over through a concurrent queue and the caller schedules a replay. The buffer is lossy on
 * purpose: when {@link #MAX_PENDING} batches already wait, a full batch is dropped (the policy then
 * sees a sample of the reads, which is what W-TinyLFU's frequency sketch needs). A thread's partial
 * batch is replayed by that thread itself ({@link #drain}) before it commits or cleans up, so on
 * one thread the policy sees every read before the write that follows it. Only for tables whose
 * reads do not move an expiry: an expire-after-access read must reach the policy at once.
 */
final class ReadBuffer {
  static final int BATCH = 64;
  static final int MAX_PENDING = 16;

  /** One thread's batch in progress. */
  private static final class Batch {
    long[] keys = new long[BATCH];
    int size;
  }

  private final ThreadLocal<Batch> local = ThreadLocal.withInitial(Batch::new);
  private final Queue<long[]> full = new ConcurrentLinkedQueue<>();
  private final Queue<long[]> free = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  /** Records a read; true when it filled a batch that now waits for a replay. */
  boolean record(long pk) {
    Batch b = local.get();
    b.keys[b.size++] = pk;
    if (b.size < BATCH) {
      return false;
    }
    b.size = 0;
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return true; // dropped: the replay already scheduled will catch up
    }
    full.add(b.keys);
    long[] next = free.poll();
    b.keys = next != null ? next : new long[BATCH];
    return true;
  }

  /** Replays the handed-over batches (any thread). */
  void replayPending(LongConsumer replay) {
    for (long[] keys = full.poll(); keys != null; keys = full.poll()) {
      pending.decrementAndGet();
      for (long pk : keys) {
        replay.accept(pk);
      }
      free.add(keys);
    }
  }

  /** Replays the handed-over batches, then the calling thread's partial batch (its newest reads). */
  void drain(LongConsumer replay) {
    replayPending(replay);
    Batch b = local.get();
    int n = b.size;
    b.size = 0;
    for (int i = 0; i < n; i++) {
      replay.accept(b.keys[i]);
    }
  }
}
