package io.relstore.internal.schema;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The cache settings of a model: bound (rows or weight), expiry, and read-through loaders. A model
 * with any of them has a cache policy; a model with only a loader is read-through but unbounded.
 *
 * @param maximumSize the most rows, or -1
 * @param maximumWeight the most total weight, or -1 (with {@code weigher})
 * @param weigher the weight of a row, or null
 * @param expireAfterWrite time to live after a write, or null
 * @param expireAfterAccess time to live after a read or write, or null
 * @param loader loads one row by key on a miss, or null
 * @param bulkLoader loads several rows by key, or null
 */
public record CacheSpec(long maximumSize, long maximumWeight,
    @Nullable ToLongFunction<Object> weigher, @Nullable Duration expireAfterWrite,
    @Nullable Duration expireAfterAccess, @Nullable Function<Long, Optional<Object>> loader,
    @Nullable Function<Collection<Long>, Map<Long, Object>> bulkLoader) {

  public static final CacheSpec NONE = new CacheSpec(-1, -1, null, null, null, null, null);

  /** Whether the table is bounded or expiring (an eviction policy is needed). */
  public boolean evicts() {
    return maximumSize >= 0 || maximumWeight >= 0 || expireAfterWrite != null
        || expireAfterAccess != null;
  }

  /** Whether a miss may be loaded. */
  public boolean loads() {
    return loader != null || bulkLoader != null;
  }

  public CacheSpec withMaximumSize(long size) {
    return new CacheSpec(size, maximumWeight, weigher, expireAfterWrite, expireAfterAccess,
        loader, bulkLoader);
  }

  public CacheSpec withMaximumWeight(long weight, ToLongFunction<Object> w) {
    return new CacheSpec(maximumSize, weight, w, expireAfterWrite, expireAfterAccess, loader,
        bulkLoader);
  }

  public CacheSpec withExpireAfterWrite(Duration d) {
    return new CacheSpec(maximumSize, maximumWeight, weigher, d, expireAfterAccess, loader,
        bulkLoader);
  }

  public CacheSpec withExpireAfterAccess(Duration d) {
    return new CacheSpec(maximumSize, maximumWeight, weigher, expireAfterWrite, d, loader,
        bulkLoader);
  }

  public CacheSpec withLoader(Function<Long, Optional<Object>> l) {
    return new CacheSpec(maximumSize, maximumWeight, weigher, expireAfterWrite, expireAfterAccess,
        l, bulkLoader);
  }

  public CacheSpec withBulkLoader(Function<Collection<Long>, Map<Long, Object>> l) {
    return new CacheSpec(maximumSize, maximumWeight, weigher, expireAfterWrite, expireAfterAccess,
        loader, l);
  }
}
