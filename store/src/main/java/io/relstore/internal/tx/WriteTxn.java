package io.relstore.internal.tx;

import io.relstore.IntegrityError;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.Schema;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.table.TableState;
import io.relstore.internal.table.TableView;
import io.relstore.internal.table.TableWriter;
import java.util.List;
import org.eclipse.collections.api.iterator.LongIterator;
import org.eclipse.collections.api.set.primitive.MutableLongSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;
import org.jspecify.annotations.Nullable;

/**
 * The working state of one write transaction: the committed state it started from, plus a
 * {@link TableWriter} for each table it changed. Nothing it does is visible to readers until
 * {@link #commit()} returns the next {@link StoreState}; dropping it is the rollback, so a failed
 * operation leaves the store exactly as it was at no cost.
 *
 * <p>Foreign keys are checked at commit, as a database with deferred constraints does: every row
 * written with a foreign key must point at an existing row, and every deleted row must have no
 * constrained referrer left. The check visits only the rows this transaction touched.
 */
public final class WriteTxn implements StoreView {
  private final StoreState base;
  private LongTrie.Edit edit = new LongTrie.Edit();
  private boolean writtenSinceSeal;
  private @Nullable StoreState sealed;
  private final @Nullable TableWriter[] writers;
  private final @Nullable MutableLongSet[] written;
  private final @Nullable MutableLongSet[] deleted;
  private boolean changed;
  private final java.util.ArrayList<Undo> undo = new java.util.ArrayList<>();
  private final java.util.ArrayList<Runnable> commitCallbacks = new java.util.ArrayList<>();
  private final java.util.ArrayDeque<Integer> callbackMarks = new java.util.ArrayDeque<>();
  private int savepoints;

  WriteTxn(StoreState base) {
    this.base = base;
    int n = base.schema().size();
    this.writers = new TableWriter[n];
    this.written = new MutableLongSet[n];
    this.deleted = new MutableLongSet[n];
  }

  @Override
  public Schema schema() {
    return base.schema();
  }

  @Override
  public TableView table(ModelMeta model) {
    TableWriter w = writers[model.ordinal()];
    return w != null ? w : base.table(model);
  }

  /** The writer of a table, made on first use. */
  public TableWriter writer(ModelMeta model) {
    int i = model.ordinal();
    TableWriter w = writers[i];
    if (w == null) {
      w = base.table(i).writer(edit);
      writers[i] = w;
    }
    changed = true;
    writtenSinceSeal = true;
    return w;
  }

  /**
   * The transaction's current content as an immutable state, for a public read on the writing
   * thread (whose iterator may outlive later writes). Taking it seals the content: later writes
   * copy the nodes they touch instead of changing them in place, so the snapshot stays what it
   * was. Reused until the next write; costs nothing when nothing was written since.
   */
  public StoreState snapshot() {
    StoreState s = sealed;
    if (s != null && !writtenSinceSeal) {
      return s;
    }
    edit = new LongTrie.Edit();
    TableState[] tables = base.tables();
    for (int i = 0; i < writers.length; i++) {
      TableWriter w = writers[i];
      if (w != null) {
        tables[i] = w.freeze();
        writers[i] = tables[i].writer(edit);
      }
    }
    writtenSinceSeal = false;
    s = new StoreState(base.schema(), tables, base.version());
    sealed = s;
    return s;
  }

  /** Takes the next auto-assigned key of a table. */
  public long allocateId(ModelMeta model) {
    TableWriter w = writer(model);
    log(new Undo.IdTaken(model, w.nextId()));
    return w.allocateId();
  }

  public void insert(ModelMeta model, Object record) {
    TableWriter w = writer(model);
    log(new Undo.Inserted(model, model.pkOf(record), w.nextId()));
    w.insert(record);
    noteWritten(model, model.pkOf(record));
  }

  public void replace(ModelMeta model, Object old, Object record) {
    writer(model).replace(old, record);
    log(new Undo.Replaced(model, old, record));
    noteWritten(model, model.pkOf(record));
  }

  public @Nullable Object remove(ModelMeta model, long pk) {
    Object old = writer(model).remove(pk);
    if (old != null) {
      log(new Undo.Removed(model, old));
      set(deleted, model).add(pk);
    }
    return old;
  }

  /**
   * The inverse of one change, kept while a savepoint is open. Undoing in reverse order restores
   * the rows, every index and the key counters; the foreign-key check sets may keep extra keys,
   * which the commit check re-reads and finds harmless.
   */
  private sealed interface Undo {
    void undo(WriteTxn txn);

    record IdTaken(ModelMeta model, long previous) implements Undo {
      @Override
      public void undo(WriteTxn txn) {
        txn.writer(model).resetNextId(previous);
      }
    }

    record Inserted(ModelMeta model, long pk, long previousNextId) implements Undo {
      @Override
      public void undo(WriteTxn txn) {
        txn.writer(model).remove(pk);
        txn.writer(model).resetNextId(previousNextId);
      }
    }

    record Replaced(ModelMeta model, Object old, Object now) implements Undo {
      @Override
      public void undo(WriteTxn txn) {
        txn.writer(model).replace(now, old);
      }
    }

    record Removed(ModelMeta model, Object old) implements Undo {
      @Override
      public void undo(WriteTxn txn) {
        txn.writer(model).insert(old);
      }
    }
  }

  private void log(Undo entry) {
    if (savepoints > 0) {
      undo.add(entry);
    }
  }

  /** Opens a savepoint; returns its mark for {@link #release} or {@link #rollbackTo}. */
  public int savepoint() {
    savepoints++;
    callbackMarks.push(commitCallbacks.size());
    return undo.size();
  }

  /** Keeps the changes made since the savepoint. */
  public void release(int mark) {
    callbackMarks.pop();
    if (--savepoints == 0) {
      undo.clear();
    }
  }

  /** Undoes every change made since the savepoint, newest first, and closes it. */
  public void rollbackTo(int mark) {
    for (int i = undo.size() - 1; i >= mark; i--) {
      undo.remove(i).undo(this);
    }
    int callbacks = callbackMarks.pop();
    while (commitCallbacks.size() > callbacks) {
      commitCallbacks.remove(commitCallbacks.size() - 1);
    }
    if (--savepoints == 0) {
      undo.clear();
    }
  }

  /** Registers a callback for after the commit; a savepoint rollback discards it. */
  void onCommit(Runnable callback) {
    commitCallbacks.add(callback);
  }

  /**
   * Runs the callbacks in registration order after the commit was published and the writer lock
   * released; the first that throws stops the rest and propagates (the commit stands), as in
   * Django's {@code on_commit}.
   */
  void runCommitCallbacks() {
    for (Runnable r : List.copyOf(commitCallbacks)) {
      r.run();
    }
  }

  private void noteWritten(ModelMeta model, long pk) {
    if (model.foreignKeyCount() > 0 || model.cache().evicts()) {
      set(written, model).add(pk);
    }
  }

  /** Keys inserted or updated (for models with foreign keys or a cache policy); null if none. */
  public @Nullable MutableLongSet writtenKeys(ModelMeta model) {
    return written[model.ordinal()];
  }

  /** Keys deleted; null if none. */
  public @Nullable MutableLongSet deletedKeys(ModelMeta model) {
    return deleted[model.ordinal()];
  }

  private static MutableLongSet set(@Nullable MutableLongSet[] sets, ModelMeta model) {
    MutableLongSet s = sets[model.ordinal()];
    if (s == null) {
      s = new LongHashSet();
      sets[model.ordinal()] = s;
    }
    return s;
  }

  boolean changed() {
    return changed;
  }

  /** Checks the foreign keys this transaction touched and returns the state to publish. */
  StoreState commit() {
    checkIntegrity();
    TableState[] next = base.tables();
    for (int i = 0; i < writers.length; i++) {
      TableWriter w = writers[i];
      if (w != null) {
        next[i] = w.freeze();
      }
    }
    return new StoreState(base.schema(), next, base.version() + 1);
  }

  /**
   * The commit's foreign-key check on what this transaction wrote and deleted, without committing.
   *
   * @throws IntegrityError naming the row, field and missing target, as the commit would
   */
  public void checkIntegrity() {
    for (ModelMeta model : schema().models()) {
      MutableLongSet w = written[model.ordinal()];
      if (w != null) {
        TableView table = table(model);
        for (LongIterator it = w.longIterator(); it.hasNext(); ) {
          checkForward(model, table.row(it.next()));
        }
      }
      MutableLongSet d = deleted[model.ordinal()];
      if (d != null) {
        for (LongIterator it = d.longIterator(); it.hasNext(); ) {
          checkReverse(model, it.next());
        }
      }
    }
  }

  private void checkForward(ModelMeta model, @Nullable Object row) {
    if (row == null) {
      return;
    }
    for (FieldMeta fk : model.foreignKeys()) {
      long parent = fk.getLong(row);
      if (parent != 0 && fk.fk().dbConstraint() && table(fk.fk().target()).row(parent) == null) {
        throw new IntegrityError("FOREIGN KEY constraint failed: " + model.describe(model.pkOf(row))
            + "." + fk.name() + " = " + parent + " points at no " + fk.fk().target().name()
            + " row (rule: a foreign key must reference an existing row when the operation"
            + " commits)");
      }
    }
  }

  private void checkReverse(ModelMeta model, long pk) {
    if (table(model).row(pk) != null) {
      return;
    }
    for (FieldMeta fk : model.incoming()) {
      if (!fk.fk().dbConstraint()) {
        continue;
      }
      LongTrie<Object> refs = table(fk.model()).children(fk.fk().ordinal(), pk);
      if (!refs.isEmpty()) {
        long child = refs.firstKey();
        throw new IntegrityError("FOREIGN KEY constraint failed: " + model.describe(pk)
            + " is deleted but " + fk.model().describe(child) + "." + fk.name() + " still"
            + " references it" + (refs.size() > 1 ? " (and " + (refs.size() - 1) + " more)" : "")
            + " (on_delete=" + fk.fk().rule() + "; the same operation must delete or re-point"
            + " every referencing row)");
      }
    }
  }
}
