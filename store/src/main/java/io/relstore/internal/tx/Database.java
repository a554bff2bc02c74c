package io.relstore.internal.tx;

import io.relstore.StoreException;
import io.relstore.internal.schema.Schema;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind a store: the schema, the committed state, and the single writer.
 *
 * <p>Readers take {@link #committed} (one volatile read) and work on that immutable state for as
 * long as they like: they never lock, never wait for a writer, and never see a half-applied write.
 * A writer takes the write lock, builds the next state in a {@link WriteTxn}, checks it and
 * publishes it with one volatile write; an exception anywhere drops the transaction and leaves the
 * committed state untouched. A write started on the thread that already runs a transaction (a
 * nested {@code atomic}, or a SET supplier that creates a sentinel row) joins it as a savepoint:
 * if it throws, its own changes are undone and the outer transaction goes on; otherwise they
 * commit or fail with the outer one. The writing thread reads its own transaction's state.
 */
public final class Database {

  private final Schema schema;
  private final Clock clock;
  private final java.time.Duration writerTimeout;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile StoreState committed;
  private volatile @Nullable Thread writer;
  private @Nullable WriteTxn current;
  private final ThreadLocal<WriteTxn> dryTxn = new ThreadLocal<>();
  private final java.util.concurrent.atomic.AtomicInteger dryRuns =
      new java.util.concurrent.atomic.AtomicInteger();
  /** Threads that have a transaction of their own (the writer and dry runs). */
  private final java.util.concurrent.atomic.AtomicInteger owners =
      new java.util.concurrent.atomic.AtomicInteger();
  private @Nullable Object api;

  private final boolean frozen;

  public Database(Schema schema, Clock clock, java.time.Duration writerTimeout) {
    this(schema, clock, writerTimeout, StoreState.empty(schema), false);
  }

  private Database(Schema schema, Clock clock, java.time.Duration writerTimeout,
      StoreState state, boolean frozen) {
    this.schema = schema;
    this.clock = clock;
    this.writerTimeout = writerTimeout;
    this.committed = state;
    this.frozen = frozen;
  }

  /** A read-only engine fixed on the state this thread sees now. */
  public Database frozen() {
    StoreView view = view();
    StoreState state = view instanceof StoreState s ? s : committed;
    return new Database(schema, clock, writerTimeout, state, true);
  }

  public boolean isFrozen() {
    return frozen;
  }

  /** A live engine on the same schema, starting from this one's committed state. */
  public Database copy() {
    return new Database(schema, clock, writerTimeout, committed, false);
  }

  /** Publishes a snapshot's state as the committed state, under the writer lock. */
  public void restore(Database snapshot) {
    if (snapshot.schema != schema) {
      throw new StoreException("restore(): the snapshot was taken from another store");
    }
    if (frozen) {
      throw new StoreException("restore() on a read-only snapshot");
    }
    if (own() != null) {
      throw new StoreException("restore() cannot run inside a transaction");
    }
    lock();
    try {
      committed = snapshot.committed;
    } finally {
      writeLock.unlock();
    }
  }

  /** The handle passed to computed defaults and SET suppliers (the public store). */
  public void bindApi(Object handle) {
    this.api = handle;
  }

  public Object api() {
    Object a = api;
    if (a == null) {
      throw new IllegalStateException("no API handle bound");
    }
    return a;
  }

  public Schema schema() {
    return schema;
  }

  public Clock clock() {
    return clock;
  }

  /** The last committed state. */
  public StoreState committed() {
    return committed;
  }

  /**
   * The calling thread's open transaction: the writer's, or a dry run's; null for a reader. Cheap
   * when neither exists: two field reads.
   */
  private @Nullable WriteTxn own() {
    WriteTxn txn = current;
    if (writer == Thread.currentThread() && txn != null) {
      return txn;
    }
    return dryRuns.get() == 0 ? null : dryTxn.get();
  }

  /** Whether the calling thread runs a transaction (its own write or a dry run). */
  public boolean ownsTransaction() {
    return owners.get() != 0 && own() != null;
  }

  private java.util.function.@Nullable Consumer<WriteTxn> commitHook;

  /** A hook run after every commit, outside the writer lock, before the onCommit callbacks. */
  public void setCommitHook(java.util.function.Consumer<WriteTxn> hook) {
    this.commitHook = hook;
  }

  /**
   * What the calling thread sees: a snapshot of its open transaction, or the committed state. The
   * common case, no transaction open anywhere, costs two volatile reads.
   */
  public StoreView view() {
    if (owners.get() == 0) {
      return committed;
    }
    WriteTxn txn = own();
    return txn != null ? txn.snapshot() : committed;
  }

  /** Runs {@code body} in a write transaction (joining the caller's open one) and commits it. */
  public <R> R write(Function<WriteTxn, R> body) {
    WriteTxn txn = own();
    if (txn != null) {
      return nested(txn, body);
    }
    return run(body, true);
  }

  /**
   * Runs {@code body} on a transaction that is always dropped: a dry run that changes nothing.
   * Inside an open transaction it is a savepoint that is always rolled back; otherwise it works on
   * a private copy of the committed state and takes no lock, so it never waits for a writer.
   */
  public <R> R dryRun(Function<WriteTxn, R> body) {
    WriteTxn txn = own();
    if (txn != null) {
      int mark = txn.savepoint();
      try {
        return body.apply(txn);
      } finally {
        txn.rollbackTo(mark);
      }
    }
    WriteTxn dry = new WriteTxn(committed);
    dryTxn.set(dry);
    dryRuns.incrementAndGet();
    owners.incrementAndGet();
    try {
      return body.apply(dry);
    } finally {
      owners.decrementAndGet();
      dryRuns.decrementAndGet();
      dryTxn.remove();
    }
  }

  /**
   * Runs {@code callback} once the calling thread's open transaction commits (never if it rolls
   * back, or if the savepoint it was registered in does); at once when no transaction is open.
   */
  public void onCommit(Runnable callback) {
    WriteTxn txn = own();
    if (txn != null) {
      txn.onCommit(callback);
    } else {
      callback.run();
    }
  }

  /**
   * A write inside an open transaction is a savepoint: if it throws anything (a checked exception
   * thrown sneakily included), only its own changes go.
   */
  private static <R> R nested(WriteTxn txn, Function<WriteTxn, R> body) {
    int mark = txn.savepoint();
    boolean done = false;
    try {
      R result = body.apply(txn);
      done = true;
      return result;
    } finally {
      if (done) {
        txn.release(mark);
      } else {
        txn.rollbackTo(mark);
      }
    }
  }

  private <R> R run(Function<WriteTxn, R> body, boolean commit) {
    if (frozen && commit) {
      throw new StoreException("This store is a read-only snapshot; write through the store it was"
          + " taken from");
    }
    lock();
    WriteTxn txn = new WriteTxn(committed);
    R result;
    try {
      current = txn;
      writer = Thread.currentThread();
      owners.incrementAndGet();
      result = body.apply(txn);
      if (commit && txn.changed()) {
        committed = txn.commit();
      }
    } finally {
      owners.decrementAndGet();
      current = null;
      writer = null;
      writeLock.unlock();
    }
    if (commit) {
      java.util.function.Consumer<WriteTxn> hook = commitHook;
      if (hook != null && txn.changed()) {
        hook.accept(txn);
      }
      txn.runCommitCallbacks();
    }
    return result;
  }

  private void lock() {
    try {
      if (!writeLock.tryLock(writerTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new StoreException("Timed out after " + writerTimeout.toMillis() + " ms waiting for"
            + " the writer lock held by another thread (rule: one writer at a time; the wait is"
            + " Store.Builder.writerTimeout)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while waiting for the writer lock", e);
    }
  }
}
