package io.relstore.bench.contender;

/**
 * The contenders of every benchmark, as a JMH {@code @Param} (Caffeine's {@code CacheType}):
 * relstore and the stores a user would pick instead, plus a hand-written floor.
 */
public enum Impl {
  /** relstore: {@code Store}, {@code QuerySet}, {@code RelatedSet}, {@code follow}, cascades. */
  RELSTORE {
    @Override
    public Contender create(boolean shared) {
      return new RelstoreContender();
    }
  },
  /** CQEngine 3.6.0: {@code ConcurrentIndexedCollection}s with unique, hash and navigable indexes. */
  CQENGINE {
    @Override
    public Contender create(boolean shared) {
      return new CqengineContender();
    }
  },
  /** H2 2.x in memory over JDBC: prepared statements, FK constraints with ON DELETE. */
  H2 {
    @Override
    public Contender create(boolean shared) {
      return new H2Contender();
    }
  },
  /**
   * Hand-written eclipse-collections maps keeping the same indexes and checking foreign keys on
   * insert: the practical floor. Not thread-safe; a shared instance takes a read-write lock.
   */
  BASELINE {
    @Override
    public Contender create(boolean shared) {
      BaselineContender baseline = new BaselineContender();
      return shared ? new LockedContender(baseline) : baseline;
    }
  };

  /**
   * An empty store with the blog's schema and indexes. {@code shared}: used by several threads at
   * once, writers included.
   */
  public abstract Contender create(boolean shared);
}
