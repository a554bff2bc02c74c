package io.relstore;

/**
 * Statistics of a cached model ({@link Store#cacheStats(Class)}).
 *
 * @param hits key reads ({@code get}, {@code follow}) that found the row
 * @param misses key reads that did not (before any load)
 * @param loads rows inserted by the read-through loader (parents included)
 * @param loadFailures loader calls that threw
 * @param evictionsBySize rows deleted because the table was over its bound
 * @param evictionsByExpiry rows deleted because they expired
 * @param pinned rows the policy chose but PROTECT, RESTRICT or a reference keeps alive
 * @param policySize rows the eviction policy tracks (Caffeine's estimate)
 */
public record CacheStats(long hits, long misses, long loads, long loadFailures,
    long evictionsBySize, long evictionsByExpiry, long pinned, long policySize) {
}
