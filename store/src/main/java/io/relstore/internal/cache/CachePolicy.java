package io.relstore.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.relstore.internal.schema.CacheSpec;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.table.LongTrie;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The eviction policy of one bounded or expiring table: a Caffeine cache over the table's keys,
 * used only for its decisions (W-TinyLFU admission and eviction, the timer wheel for expiry).
 *
 * <p>The table stays the truth: Caffeine learns of committed writes ({@link #written}), deletes
 * ({@link #deleted}) and key reads ({@link #read}: buffered per thread by a {@link ReadBuffer} and
 * replayed in batches, unless reads move an expiry); when it evicts a key, the listener only queues
 * it, and {@link Caches} deletes the row through the delete planner later, outside Caffeine's
 * locks and outside any transaction. A row that PROTECT or RESTRICT children keep alive is pinned:
 * weight 0 and no expiry, so Caffeine leaves it alone until it is released.
 */
final class CachePolicy {
  /** An evicted key, with Caffeine's cause. */
  record Evicted(long pk, RemovalCause cause) {
  }

  /** Caffeine's value for a key: the row (for the weigher) and when it was written (for expiry). */
  private record Slot(Object row, long writtenAt) {
  }

  private final ModelMeta model;
  private final Ticker ticker;
  private final Cache<Long, Slot> cache;
  private final Queue<Evicted> evicted = new ConcurrentLinkedQueue<>();
  private final Set<Long> pinned = ConcurrentHashMap.newKeySet();
  /** Buffered key reads; null when a read must reach Caffeine at once (expire-after-access). */
  private final @Nullable ReadBuffer reads;
  private final AtomicBoolean replayScheduled = new AtomicBoolean();
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder loads = new LongAdder();
  final LongAdder loadFailures = new LongAdder();
  final LongAdder evictedBySize = new LongAdder();
  final LongAdder evictedByExpiry = new LongAdder();

  CachePolicy(ModelMeta model, CacheSpec spec, Ticker ticker, Executor executor) {
    this.model = model;
    this.ticker = ticker;
    Caffeine<Object, Object> b = Caffeine.newBuilder().ticker(ticker).executor(executor);
    if (spec.maximumSize() >= 0) {
      b.maximumWeight(spec.maximumSize()).weigher((Object k, Object v) -> pinned.contains(k) ? 0 : 1);
    } else if (spec.maximumWeight() >= 0) {
      ToLongFunction<Object> weigher = spec.weigher();
      b.maximumWeight(spec.maximumWeight()).weigher((Object k, Object v) -> pinned.contains(k) ? 0
          : (int) Math.min(Integer.MAX_VALUE, Math.max(0, weigher == null ? 1
              : weigher.applyAsLong(((Slot) v).row()))));
    }
    if (spec.expireAfterWrite() != null || spec.expireAfterAccess() != null) {
      b.expireAfter(expiry(spec.expireAfterWrite(), spec.expireAfterAccess()));
    }
    b.evictionListener((Object k, Object v, RemovalCause cause) -> {
      if (cause.wasEvicted() && k instanceof Long pk) {
        evicted.add(new Evicted(pk, cause));
      }
    });
    @SuppressWarnings("unchecked")
    Cache<Long, Slot> built = (Cache<Long, Slot>) (Cache<?, ?>) b.build();
    this.cache = built;
    this.reads = spec.expireAfterAccess() == null ? new ReadBuffer() : null;
  }

  /**
   * Expire-after-write W and expire-after-access A together: a write sets min(W, A); a read sets
   * min(A, what is left of W); a pinned row never expires.
   */
  private Expiry<Object, Object> expiry(@Nullable Duration write, @Nullable Duration access) {
    long w = write == null ? Long.MAX_VALUE : write.toNanos();
    long a = access == null ? Long.MAX_VALUE : access.toNanos();
    return new Expiry<>() {
      @Override
      public long expireAfterCreate(Object key, Object value, long now) {
        return pinned.contains(key) ? Long.MAX_VALUE : Math.min(w, a);
      }

      @Override
      public long expireAfterUpdate(Object key, Object value, long now, long current) {
        return expireAfterCreate(key, value, now);
      }

      @Override
      public long expireAfterRead(Object key, Object value, long now, long current) {
        if (pinned.contains(key) || access == null) {
          return current;
        }
        if (write == null) {
          return a;
        }
        long leftOfWrite = ((Slot) value).writtenAt() + w - now;
        return Math.max(0, Math.min(a, leftOfWrite));
      }
    };
  }

  ModelMeta model() {
    return model;
  }

  /**
   * Whether the policy holds a live entry for the key: a write committed after an eviction was
   * queued (Caffeine evicts an expired entry when a put replaces it), so the eviction is stale.
   */
  boolean isLive(long pk) {
    return cache.policy().getIfPresentQuietly(pk) != null;
  }

  /**
   * Forgets every key and pin, then learns every row of the table as written now, pinning those
   * {@code refused} says cannot be deleted.
   */
  void reset(LongTrie<Object> rows, java.util.function.LongPredicate refused) {
    pinned.clear();
    cache.invalidateAll();
    long now = ticker.read();
    rows.forEach((pk, row) -> {
      if (refused.test(pk)) {
        pinned.add(pk);
      }
      cache.put(pk, new Slot(row, now));
    });
  }

  /**
   * A key read: Caffeine counts it for frequency and refreshes expire-after-access. Without
   * expire-after-access the read is buffered; true when a batch of reads waits for
   * {@link #replayReads} and no replay is scheduled yet (the caller schedules one).
   */
  boolean read(long pk) {
    if (reads == null) {
      cache.getIfPresent(pk);
      return false;
    }
    return reads.record(pk) && replayScheduled.compareAndSet(false, true);
  }

  /** Replays the buffered reads handed over by any thread (the scheduled replay). */
  void replayReads() {
    replayScheduled.set(false);
    if (reads != null) {
      reads.replayPending(cache::getIfPresent);
    }
  }

  /** Replays every buffered read this thread can see, so the policy knows them before a write. */
  void flushReads() {
    if (reads != null) {
      reads.drain(cache::getIfPresent);
    }
  }

  /** A committed insert or update of the row with this key. */
  void written(long pk, Object row) {
    cache.put(pk, new Slot(row, ticker.read()));
  }

  /** A committed delete of the row with this key. */
  void deleted(long pk) {
    pinned.remove(pk);
    cache.invalidate(pk);
  }

  /** Keeps a row that cannot be deleted now: no weight, no expiry. */
  void pin(long pk, Object row) {
    pinned.add(pk);
    cache.put(pk, new Slot(row, ticker.read()));
  }

  /** Lets a pinned row be evicted again (its blockers are gone). */
  void unpin(long pk, Object row) {
    if (pinned.remove(pk)) {
      cache.put(pk, new Slot(row, ticker.read()));
    }
  }

  Set<Long> pinned() {
    return pinned;
  }

  @Nullable Evicted nextEvicted() {
    return evicted.poll();
  }

  boolean hasEvicted() {
    return !evicted.isEmpty();
  }

  /** Runs Caffeine's pending maintenance (expiry and size evictions), queueing the evicted. */
  void cleanUp() {
    flushReads();
    cache.cleanUp();
  }

  long size() {
    return cache.estimatedSize();
  }
}
