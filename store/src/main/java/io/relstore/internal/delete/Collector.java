package io.relstore.internal.delete;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.ValueSource;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.tx.RowWrites;
import io.relstore.internal.tx.WriteTxn;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.eclipse.collections.api.list.primitive.MutableLongList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Phase one of a delete, with Django's {@code Collector} semantics (collector-rules.md §1): from the
 * rows to delete, walk the reverse indexes of every relation pointing at them, in registration
 * order then declaration order, and record what each on_delete rule asks for.
 *
 * <p>CASCADE adds the children and visits their relations in turn, depth first as Django's recursion
 * does, but on an explicit stack so that a chain of any length cannot overflow the thread's stack.
 * Each row is collected once (rule 5), which ends cycles and self-references. PROTECT records the
 * protecting rows under the first-hop key (rules 11-14) and does not go further; RESTRICT records
 * rows that the end of the walk clears when the same delete collects them (rules 15-17);
 * SET_NULL / SET_DEFAULT / SET record field updates, computing a value once per relation visit
 * (rules 19-21); DO_NOTHING is skipped (rule 7) and left to the commit's foreign-key check.
 *
 * <p>Cost: linear in the rows touched (collected, updated or blocking) and in the relations of the
 * models reached; independent of table sizes. Collection reads the transaction's state and writes
 * nothing but what a SET or default supplier writes itself.
 */
public final class Collector {
  private final WriteTxn txn;
  private final RowWrites writes;
  private final Object api;
  private final Collected out;
  private final Deque<Frame> stack = new ArrayDeque<>();

  /** One level of Django's recursion: new rows of one model and the next relation to visit. */
  private static final class Frame {
    final ModelMeta model;
    final MutableLongList pks;
    final @Nullable String firstHop;
    final String path;
    int next;

    Frame(ModelMeta model, MutableLongList pks, @Nullable String firstHop, String path) {
      this.model = model;
      this.pks = pks;
      this.firstHop = firstHop;
      this.path = path;
    }
  }

  public Collector(WriteTxn txn, RowWrites writes, Object api, ModelMeta model) {
    this.txn = txn;
    this.writes = writes;
    this.api = api;
    this.out = new Collected(model);
  }

  /** Collects the stored rows among {@code pks} (missing keys are skipped) and all they reach. */
  public Collected collect(long[] pks) {
    ModelMeta model = out.model();
    LongArrayList existing = new LongArrayList(pks.length);
    org.eclipse.collections.impl.set.mutable.primitive.LongHashSet seen =
        new org.eclipse.collections.impl.set.mutable.primitive.LongHashSet(pks.length);
    for (long pk : pks) {
      if (txn.table(model).row(pk) != null && seen.add(pk)) {
        existing.add(pk);
      }
    }
    out.setRoots(existing.toArray());
    MutableLongList fresh = out.add(model, existing);
    if (!fresh.isEmpty()) {
      stack.push(new Frame(model, fresh, null, model.name()));
    }
    while (!stack.isEmpty()) {
      step(stack.peek());
    }
    out.finishRestricted();
    return out;
  }

  private void step(Frame frame) {
    List<FieldMeta> relations = frame.model.incoming();
    if (frame.next >= relations.size()) {
      stack.pop();
      return;
    }
    FieldMeta fk = relations.get(frame.next++);
    if (fk.fk().rule() == io.relstore.annotation.OnDelete.DO_NOTHING) {
      return;
    }
    MutableLongList children = referrers(fk, frame.pks);
    if (children.isEmpty()) {
      return;
    }
    String firstHop = frame.firstHop != null ? frame.firstHop : "'" + fk.fk().key() + "'";
    String path = frame.path + " <- " + fk.fk().key() + " (" + fk.fk().rule() + ")";
    handle(fk, frame, children, firstHop, path);
  }

  private void handle(FieldMeta fk, Frame frame, MutableLongList children, String firstHop,
      String path) {
    switch (fk.fk().rule()) {
      case CASCADE -> {
        if (!fk.nullable()) {
          out.dependsOn(frame.model, fk.model());
        }
        MutableLongList fresh = out.add(fk.model(), children);
        if (!fresh.isEmpty()) {
          stack.push(new Frame(fk.model(), fresh, firstHop, path));
        }
      }
      case PROTECT -> out.protect(firstHop, path, fk.model(), children);
      case RESTRICT -> {
        out.dependsOn(frame.model, fk.model());
        out.restrict(fk, path, children);
      }
      case SET_NULL -> out.update(fk, null, children);
      case SET_DEFAULT -> out.update(fk, value(fk, fk.defaultValue()), children);
      case SET -> out.update(fk, value(fk, fk.fk().setValue()), children);
      case DO_NOTHING -> throw new IllegalStateException("DO_NOTHING is never collected");
    }
  }

  private @Nullable Object value(FieldMeta fk, @Nullable ValueSource source) {
    Object raw = source == null ? null : source.resolve(api);
    return writes.foreignKeyValue(txn, fk, raw);
  }

  /** Rows whose foreign key {@code fk} holds one of {@code parents}, in key order per parent. */
  private MutableLongList referrers(FieldMeta fk, MutableLongList parents) {
    LongArrayList found = new LongArrayList();
    int ordinal = fk.fk().ordinal();
    var table = txn.table(fk.model());
    for (int i = 0; i < parents.size(); i++) {
      LongTrie.Cursor c = table.children(ordinal, parents.get(i)).cursor(true);
      while (c.next()) {
        found.add(c.key());
      }
    }
    return found;
  }
}
