package io.relstore.internal.cache;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.relstore.DeleteResult;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.RestrictedError;
import io.relstore.StoreException;
import io.relstore.internal.delete.Deletes;
import io.relstore.internal.schema.CacheSpec;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.tx.Database;
import io.relstore.internal.tx.RowWrites;
import io.relstore.internal.tx.WriteTxn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.collections.api.iterator.LongIterator;
import org.eclipse.collections.api.set.primitive.MutableLongSet;
import org.jspecify.annotations.Nullable;

/**
 * The cache side of a store: one {@link CachePolicy} per bounded or expiring model, and
 * read-through loading for models with a loader.
 *
 * <p>After each commit the policies learn which keys were written and deleted (so a row written
 * by an open transaction is never evicted: the policy does not know it yet). Evicted keys are
 * deleted by {@link #drain}, one eviction per transaction, through the delete planner with the
 * model's on_delete rules; a delete that PROTECT, RESTRICT or a remaining reference refuses pins the
 * row instead, until a later commit removes what held it. Draining happens on the caller's thread
 * right after a store operation when the cache executor runs tasks in place (tests), else as a
 * task on that executor, so it never runs inside Caffeine's locks, inside a transaction, or on a
 * reader's thread in production.
 */
public final class Caches {
  private final Database db;
  private final RowWrites writes;
  private final @Nullable CachePolicy[] policies;
  private final Executor executor;
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Per model: the models from which a chain of foreign keys leads to it (who can hold it). */
  private final List<Set<ModelMeta>> holders = new ArrayList<>();

  public Caches(Database db, RowWrites writes, Ticker ticker, Executor executor) {
    this.db = db;
    this.writes = writes;
    this.executor = executor;
    List<ModelMeta> models = db.schema().models();
    this.policies = new CachePolicy[models.size()];
    for (ModelMeta m : models) {
      if (m.cache().evicts() || m.cache().loads()) {
        policies[m.ordinal()] = new CachePolicy(m, m.cache(), ticker, executor);
      }
      holders.add(holdersOf(m));
    }
  }

  /**
   * The models with a foreign-key path to {@code target}: a row of any of them can hold a row of
   * {@code target} (directly by PROTECT, RESTRICT or DO_NOTHING, or through a CASCADE chain that
   * reaches a protected row), so a commit touching one may release a pin of {@code target}.
   */
  private static Set<ModelMeta> holdersOf(ModelMeta target) {
    Set<ModelMeta> out = new HashSet<>();
    java.util.ArrayDeque<ModelMeta> todo = new java.util.ArrayDeque<>(List.of(target));
    while (!todo.isEmpty()) {
      for (FieldMeta fk : todo.poll().incoming()) {
        if (out.add(fk.model())) {
          todo.add(fk.model());
        }
      }
    }
    return out;
  }

  /**
   * Makes every policy learn the committed rows again (after a restore, or in a new copy): each row
   * registered as written now, and pinned when something holds it (a referrer whose rule refuses
   * its delete), as an eviction would have found. The state was within its bounds when it was
   * committed with its pins, so this evicts nothing a live store would not have; any eviction it
   * brings (a snapshot of a store with other bounds) is drained as usual. O(rows of the bounded
   * and expiring tables), plus a dry-run delete per row that has referrers.
   */
  public void track() {
    for (CachePolicy p : policies) {
      if (p != null && p.model().cache().evicts()) {
        ModelMeta m = p.model();
        p.reset(db.committed().table(m).rows(), pk -> hasReferrers(m, pk) && !deletable(m, pk));
      }
    }
    requestDrain();
  }

  private boolean hasReferrers(ModelMeta m, long pk) {
    for (FieldMeta fk : m.incoming()) {
      if (!db.committed().table(fk.model()).children(fk.fk().ordinal(), pk).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Whether any model is cached (the store then routes commits and key reads through here). */
  public boolean any() {
    for (CachePolicy p : policies) {
      if (p != null) {
        return true;
      }
    }
    return false;
  }

  private @Nullable CachePolicy policy(ModelMeta m) {
    return policies[m.ordinal()];
  }

  /** A key read of a cached model: statistics, the policy's access record, pending evictions. */
  public void read(ModelMeta m, long pk, boolean hit) {
    CachePolicy p = policy(m);
    if (p == null) {
      return;
    }
    (hit ? p.hits : p.misses).increment();
    if (hit && m.cache().evicts() && p.read(pk)) {
      executor.execute(() -> {
        p.replayReads();
        requestDrain();
      });
    }
    requestDrain();
  }

  /** Tells the policies what a commit wrote and deleted; releases pins it may have freed. */
  public void afterCommit(WriteTxn txn) {
    Set<ModelMeta> touched = new HashSet<>();
    for (ModelMeta m : db.schema().models()) {
      MutableLongSet w = txn.writtenKeys(m);
      MutableLongSet d = txn.deletedKeys(m);
      if (w != null || d != null) {
        touched.add(m);
      }
      CachePolicy p = policy(m);
      if (p == null || !m.cache().evicts() || w == null && d == null) {
        continue;
      }
      p.flushReads(); // the reads of this thread come before its writes to this table
      var table = db.committed().table(m);
      for (MutableLongSet keys : new MutableLongSet[] {w, d}) {
        if (keys == null) {
          continue;
        }
        for (LongIterator it = keys.longIterator(); it.hasNext(); ) {
          long pk = it.next();
          Object row = table.row(pk);
          if (row != null) {
            p.written(pk, row);
          } else {
            p.deleted(pk);
          }
        }
      }
    }
    releasePins(touched);
    requestDrain();
  }

  /**
   * Pinned rows of models a touched model can hold (through any chain of foreign keys) may be
   * deletable now; each is released only if its eviction would now succeed.
   */
  private void releasePins(Set<ModelMeta> touched) {
    for (CachePolicy p : policies) {
      if (p == null || p.pinned().isEmpty()
          || java.util.Collections.disjoint(holders.get(p.model().ordinal()), touched)) {
        continue;
      }
      for (Long pk : List.copyOf(p.pinned())) {
        Object row = db.committed().table(p.model()).row(pk);
        if (row == null) {
          p.deleted(pk);
        } else if (deletable(p.model(), pk)) {
          p.unpin(pk, row);
        }
      }
    }
  }

  /**
   * Whether evicting the row would succeed now: the same delete as {@link #evict}, with the
   * commit's foreign-key check (which refuses a DO_NOTHING reference left behind), in a dry run.
   */
  private boolean deletable(ModelMeta m, long pk) {
    return db.dryRun(txn -> {
      try {
        Deletes.delete(txn, writes, db.api(), m, new long[] {pk});
        txn.checkIntegrity();
        return true;
      } catch (ProtectedError | RestrictedError | IntegrityError refused) {
        return false;
      }
    });
  }

  /** Runs Caffeine's pending maintenance for every policy, then deletes what it evicted. */
  public void cleanUp() {
    for (CachePolicy p : policies) {
      if (p != null) {
        p.cleanUp();
      }
    }
    drain();
  }

  private void requestDrain() {
    boolean pending = false;
    for (CachePolicy p : policies) {
      if (p != null && p.hasEvicted()) {
        pending = true;
        break;
      }
    }
    if (!pending || db.ownsTransaction()) {
      return;
    }
    executor.execute(this::drain);
  }

  /** Deletes every queued eviction, each in its own transaction; one drainer at a time. */
  void drain() {
    if (db.ownsTransaction() || !draining.compareAndSet(false, true)) {
      return;
    }
    try {
      boolean more = true;
      while (more) {
        more = false;
        for (CachePolicy p : policies) {
          if (p == null) {
            continue;
          }
          for (CachePolicy.Evicted e = p.nextEvicted(); e != null; e = p.nextEvicted()) {
            evict(p, e);
            more = true;
          }
        }
      }
    } finally {
      draining.set(false);
    }
  }

  private void evict(CachePolicy p, CachePolicy.Evicted e) {
    ModelMeta m = p.model();
    if (p.isLive(e.pk())) {
      return; // written again since Caffeine let the old entry go: the eviction is stale
    }
    try {
      DeleteResult r = db.write(txn -> txn.table(m).row(e.pk()) == null ? null
          : Deletes.delete(txn, writes, db.api(), m, new long[] {e.pk()}));
      if (r != null && r.total() > 0) {
        (e.cause() == RemovalCause.EXPIRED ? p.evictedByExpiry : p.evictedBySize).increment();
      }
    } catch (ProtectedError | RestrictedError | IntegrityError refused) {
      Object row = db.committed().table(m).row(e.pk());
      if (row != null) {
        p.pin(e.pk(), row);
      }
    }
  }

  // ------------------------------------------------------------------ read-through loading

  /**
   * Loads a missing row through the model's loader and inserts it, with the parents it needs that
   * are missing too (loaded first, parents before children, in one transaction). Returns the row,
   * or null when the loader has none.
   */
  public @Nullable Object load(ModelMeta m, long pk) {
    if (!m.cache().loads() || pk <= 0) {
      return null;
    }
    Object row = fetch(m, pk);
    if (row == null) {
      return null;
    }
    List<Object[]> chain = new ArrayList<>();
    parents(m, row, chain, new HashSet<>());
    chain.add(new Object[] {m, row});
    db.write(txn -> {
      for (Object[] item : chain) {
        ModelMeta model = (ModelMeta) item[0];
        if (txn.table(model).row(model.pkOf(item[1])) == null) {
          writes.insertRaw(txn, model, item[1]);
        }
      }
      return null;
    });
    for (Object[] item : chain) {
      CachePolicy p = policy((ModelMeta) item[0]);
      if (p != null) {
        p.loads.increment();
      }
    }
    return db.view().table(m).row(pk);
  }

  private void parents(ModelMeta m, Object row, List<Object[]> chain, Set<String> seen) {
    for (FieldMeta fk : m.foreignKeys()) {
      long parent = fk.getLong(row);
      ModelMeta target = fk.fk().target();
      if (parent == 0 || !target.cache().loads() || db.view().table(target).row(parent) != null
          || !seen.add(target.name() + "#" + parent)) {
        continue;
      }
      Object parentRow = fetch(target, parent);
      if (parentRow != null) {
        parents(target, parentRow, chain, seen);
        chain.add(new Object[] {target, parentRow});
      }
    }
  }

  /** One row from the model's loader (or bulk loader), checked to be the row asked for. */
  private @Nullable Object fetch(ModelMeta m, long pk) {
    CacheSpec spec = m.cache();
    Object row;
    try {
      Function<Long, Optional<Object>> one = spec.loader();
      Function<Collection<Long>, Map<Long, Object>> bulk = spec.bulkLoader();
      row = one != null ? one.apply(pk).orElse(null)
          : bulk == null ? null : bulk.apply(List.of(pk)).get(pk);
    } catch (RuntimeException e) {
      CachePolicy p = policy(m);
      if (p != null) {
        p.loadFailures.increment();
      }
      throw new StoreException("Loading " + m.describe(pk) + " failed: " + e, e);
    }
    if (row != null && (!m.isInstance(row) || m.pkOf(row) != pk)) {
      throw new StoreException("The loader of " + m.name() + " returned " + row + " for key " + pk
          + " (rule: a loader returns the row with the key asked for)");
    }
    return row;
  }

  // ------------------------------------------------------------------ statistics

  /**
   * hits, misses, loads, loadFailures, evictedBySize, evictedByExpiry, pinned, policySize; null
   * when the model is not cached.
   */
  public long @Nullable [] stats(ModelMeta m) {
    CachePolicy p = policy(m);
    if (p == null) {
      return null;
    }
    return new long[] {p.hits.sum(), p.misses.sum(), p.loads.sum(), p.loadFailures.sum(),
        p.evictedBySize.sum(), p.evictedByExpiry.sum(), p.pinned().size(), p.size()};
  }
}
