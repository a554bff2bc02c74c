package io.relstore.cache;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.CacheStats;
import io.relstore.SchemaException;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.annotation.Cached;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Bounded and expiring tables on Caffeine's policy, driven deterministically: a fake ticker and a
 * same-thread executor, so maintenance and eviction deletes run right after the operation that
 * caused them. Every eviction is a delete through the on_delete rules.
 */
class BoundedTableTest {
  record Parent(@Id long id) {
  }

  record Child(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE, relatedName = "children") long parent) {
  }

  record Orphanable(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_NULL, relatedName = "orphanables")
      @Nullable Long parent) {
  }

  record Guard(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = PROTECT, relatedName = "guards") long parent) {
  }

  record Fence(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = RESTRICT, relatedName = "fences") long parent) {
  }

  @Cached(maximumSize = 3, expireAfterWrite = "PT1M")
  record Session(@Id long id) {
  }

  /** A fake clock for Caffeine. */
  static final class FakeTicker implements com.github.benmanes.caffeine.cache.Ticker {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  final FakeTicker ticker = new FakeTicker();
  Store store;

  private Store bounded(long size) {
    store = Store.builder()
        .ticker(ticker)
        .cacheExecutor(Runnable::run)
        .add(Parent.class, m -> m.maximumSize(size))
        .add(Child.class, Orphanable.class, Guard.class, Fence.class, Session.class)
        .build();
    return store;
  }

  @Test
  void evictingAParentCascadesToItsChildrenAndNullsTheOthers() {
    bounded(5);
    for (int i = 0; i < 40; i++) {
      Parent p = store.create(new Parent(0));
      store.create(new Child(0, p.id()));
      store.create(new Child(0, p.id()));
      store.create(new Orphanable(0, p.id()));
    }
    store.cleanUp();
    assertTrue(store.count(Parent.class) <= 5, "bounded: " + store.count(Parent.class));
    CacheStats stats = store.cacheStats(Parent.class);
    assertEquals(40 - store.count(Parent.class), stats.evictionsBySize());
    assertEquals(2 * store.count(Parent.class), store.count(Child.class),
        "children of evicted parents went with them");
    assertEquals(40, store.count(Orphanable.class), "SET_NULL children stay");
    assertEquals(40 - store.count(Parent.class),
        store.objects(Orphanable.class).filter("parent__isnull", true).count());
    StoreInvariants.check(store);
  }

  @Test
  void aProtectedOrRestrictedParentIsPinnedUntilItsGuardGoes() {
    store = Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(Parent.class, m -> m.expireAfterWrite(Duration.ofMinutes(1)))
        .add(Child.class, Orphanable.class, Guard.class, Fence.class, Session.class)
        .build();
    Parent guarded = store.create(new Parent(0));
    Guard guard = store.create(new Guard(0, guarded.id()));
    Parent fenced = store.create(new Parent(0));
    Fence fence = store.create(new Fence(0, fenced.id()));
    Parent free = store.create(new Parent(0));
    ticker.advance(Duration.ofMinutes(2));
    store.cleanUp();
    assertNull(store.getOrNull(Parent.class, free.id()), "expired and deleted");
    assertNotNull(store.getOrNull(Parent.class, guarded.id()), "PROTECT pins it");
    assertNotNull(store.getOrNull(Parent.class, fenced.id()), "RESTRICT pins it");
    assertEquals(2, store.cacheStats(Parent.class).pinned());
    ticker.advance(Duration.ofMinutes(5));
    store.cleanUp();
    assertEquals(2, store.count(Parent.class), "a pinned row does not expire");
    store.delete(guard);
    store.delete(fence);
    assertEquals(0, store.cacheStats(Parent.class).pinned(), "released when the guards went");
    ticker.advance(Duration.ofMinutes(2));
    store.cleanUp();
    assertEquals(0, store.count(Parent.class), "then it expires like any row");
    assertEquals(3, store.cacheStats(Parent.class).evictionsByExpiry());
    StoreInvariants.check(store);
  }

  @Test
  void aSizeBoundNeverEvictsAProtectedRow() {
    bounded(2);
    Parent guarded = store.create(new Parent(0));
    store.create(new Guard(0, guarded.id()));
    for (int i = 0; i < 50; i++) {
      store.getOrNull(Parent.class, store.create(new Parent(0)).id());
    }
    store.cleanUp();
    assertNotNull(store.getOrNull(Parent.class, guarded.id()));
    assertTrue(store.count(Parent.class) <= 3, store.count(Parent.class) + " rows");
    StoreInvariants.check(store);
  }

  @Test
  void rowsOfAnOpenTransactionAreNeverEvicted() {
    bounded(3);
    int seen = store.atomic(() -> {
      for (int i = 0; i < 20; i++) {
        store.create(new Parent(0));
      }
      store.cleanUp();
      return store.count(Parent.class);
    });
    assertEquals(20, seen, "inside the transaction every row is there");
    store.cleanUp();
    assertTrue(store.count(Parent.class) <= 3);
  }

  @Test
  void expiryAfterWriteDeletesOnlyExpiredRows() {
    bounded(100);
    Session a = store.create(new Session(0));
    ticker.advance(Duration.ofSeconds(40));
    Session b = store.create(new Session(0));
    ticker.advance(Duration.ofSeconds(30));
    store.cleanUp();
    assertNull(store.getOrNull(Session.class, a.id()), "70 s old: expired");
    assertNotNull(store.getOrNull(Session.class, b.id()), "30 s old: alive");
    assertEquals(1, store.cacheStats(Session.class).evictionsByExpiry());
    StoreInvariants.check(store);
  }

  @Test
  void expireAfterAccessKeepsRowsThatAreRead() {
    store = Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(Parent.class, m -> m.expireAfterAccess(Duration.ofSeconds(10)))
        .add(Child.class).build();
    Parent read = store.create(new Parent(0));
    Parent idle = store.create(new Parent(0));
    for (int i = 0; i < 5; i++) {
      ticker.advance(Duration.ofSeconds(6));
      store.getOrNull(Parent.class, read.id());
    }
    store.cleanUp();
    assertNotNull(store.getOrNull(Parent.class, read.id()));
    assertNull(store.getOrNull(Parent.class, idle.id()));
  }

  /**
   * Key reads reach the size policy (through the per-thread read buffer, replayed in batches and
   * before every commit): rows read often outlive rows never read, and rows read a few times push
   * out rows never read. If reads were not recorded, every row would have the same frequency and
   * W-TinyLFU would keep the first rows and refuse the new ones.
   */
  @Test
  void rowsReadOftenOutliveRowsNeverReadUnderASizeBound() {
    bounded(50);
    List<Parent> first = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      first.add(store.create(new Parent(0)));
    }
    List<Parent> hot = first.subList(0, 10);
    for (int round = 0; round < 30; round++) {
      hot.forEach(h -> store.getOrNull(Parent.class, h.id()));
    }
    for (int i = 0; i < 200; i++) {
      Parent p = store.create(new Parent(0));
      for (int k = 0; k < 3; k++) {
        store.getOrNull(Parent.class, p.id());
      }
    }
    store.cleanUp();
    long hotLeft = hot.stream().filter(h -> store.getOrNull(Parent.class, h.id()) != null).count();
    long coldLeft = first.subList(10, 50).stream()
        .filter(c -> store.getOrNull(Parent.class, c.id()) != null).count();
    assertEquals(10, hotLeft, "every hot row is kept");
    assertTrue(coldLeft < 20, "most rows never read were evicted: " + coldLeft + " of 40 left");
    assertTrue(store.count(Parent.class) <= 50);
    StoreInvariants.check(store);
  }

  /**
   * Readers on several threads feed the read buffer while a writer commits, with evictions on the
   * common pool (the production executor): no read fails, no snapshot holds a child without its
   * parent, and once the cache is cleaned up the table is within its bound and passes the
   * invariant checker.
   */
  @Test
  void concurrentReadersAndAWriterKeepTheBoundAndTheInvariants() throws Exception {
    store = Store.builder().add(Parent.class, m -> m.maximumSize(200))
        .add(Child.class, Orphanable.class, Guard.class, Fence.class, Session.class).build();
    for (int i = 0; i < 200; i++) {
      store.create(new Child(0, store.create(new Parent(0)).id()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Long>> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int seed = t;
        readers.add(pool.submit(() -> {
          SplittableRandom r = new SplittableRandom(seed);
          long dangling = 0;
          for (int i = 0; i < 50_000; i++) {
            store.getOrNull(Parent.class, 1 + r.nextInt(2_000)); // recorded by the policy
            if (i % 100 == 0) { // a consistent view: every child's parent is there
              Store view = store.snapshot();
              for (Child c : view.all(Child.class)) {
                dangling += view.getOrNull(Parent.class, c.parent()) == null ? 1 : 0;
              }
            }
          }
          return dangling;
        }));
      }
      for (int i = 0; i < 1_000; i++) {
        store.create(new Child(0, store.create(new Parent(0)).id()));
      }
      for (var reader : readers) {
        assertEquals(0, reader.get(), "children seen without their parent");
      }
    } finally {
      pool.shutdownNow();
    }
    ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS);
    store.cleanUp();
    assertTrue(store.count(Parent.class) <= 200, "bounded: " + store.count(Parent.class));
    assertEquals(store.count(Parent.class), store.count(Child.class), "children went with parents");
    StoreInvariants.check(store);
  }

  @Test
  void maximumWeightUsesTheWeigher() {
    store = Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(Parent.class, m -> m.maximumWeight(10, p -> p.id() % 2 == 0 ? 5 : 1))
        .add(Child.class).build();
    for (int i = 0; i < 30; i++) {
      store.create(new Parent(0));
    }
    store.cleanUp();
    long weight = store.all(Parent.class).stream().mapToLong(p -> p.id() % 2 == 0 ? 5 : 1).sum();
    assertTrue(weight <= 10, "total weight " + weight);
  }

  @Test
  void readThroughLoadsAMissAndItsMissingParentsFirst() {
    List<Long> asked = new ArrayList<>();
    store = Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(Parent.class, m -> m.loader(pk -> {
          asked.add(pk);
          return pk <= 100 ? Optional.of(new Parent(pk)) : Optional.empty();
        }))
        .add(Child.class, m -> m.loader(pk -> Optional.of(new Child(pk, 50 + pk))))
        .build();
    Child c = store.get(Child.class, 7);
    assertEquals(57, c.parent());
    assertNotNull(store.getOrNull(Parent.class, 57), "the parent was loaded first");
    assertEquals(List.of(57L), asked);
    assertEquals(c, store.get(Child.class, 7), "a hit now");
    assertNull(store.getOrNull(Parent.class, 500), "the loader has none");
    Parent viaFollow = store.follow(store.create(new Child(0, 57)), "parent") instanceof Parent p
        ? p : null;
    assertEquals(57, viaFollow.id());
    CacheStats stats = store.cacheStats(Child.class);
    assertEquals(1, stats.loads());
    assertTrue(stats.hits() >= 1 && stats.misses() >= 1, stats.toString());
    StoreInvariants.check(store);
  }

  @Test
  void aBadExpiryIsASchemaError() {
    @Cached(expireAfterWrite = "ten minutes")
    record Bad(@Id long id) {
    }
    SchemaException e = assertThrows(SchemaException.class,
        () -> Store.builder().add(Bad.class).build());
    assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
  }
}
