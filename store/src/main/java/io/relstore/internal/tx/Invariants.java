package io.relstore.internal.tx;

import io.relstore.StoreException;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.ValueOrder;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.table.SortedIndex;
import io.relstore.internal.table.TableState;
import io.relstore.internal.table.ValueIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The store's invariants, checked from scratch against one committed state: every row sits under
 * its own key and obeys its field rules; every constrained foreign key resolves; each reverse index
 * is exactly the inverse of the foreign keys; every value index holds exactly the rows' values;
 * unique values are unique; the tries are well formed. Cost O(rows × fields); for tests.
 */
public final class Invariants {
  private static final int MAX_REPORTED = 20;

  private final StoreState state;
  private final List<String> faults = new ArrayList<>();

  private Invariants(StoreState state) {
    this.state = state;
  }

  /** Every broken invariant of the state, described; empty when all hold. */
  public static List<String> check(StoreState state) {
    Invariants inv = new Invariants(state);
    for (ModelMeta m : state.schema().models()) {
      inv.checkTable(state.table(m));
    }
    return inv.faults.size() > MAX_REPORTED ? inv.faults.subList(0, MAX_REPORTED) : inv.faults;
  }

  private void fault(String message) {
    faults.add(message);
  }

  private void structure(String what, LongTrie<?> trie) {
    String fault = trie.checkStructure();
    if (fault != null) {
      fault(what + ": malformed trie: " + fault);
    }
  }

  private void checkTable(TableState t) {
    ModelMeta m = t.model();
    structure(m.name() + " rows", t.rows());
    t.rows().forEach((pk, row) -> checkRow(t, pk, row));
    for (FieldMeta fk : m.foreignKeys()) {
      checkReverse(t, fk);
    }
    for (int which = 0; which < m.composites().size(); which++) {
      checkComposite(t, which);
    }
    for (FieldMeta f : m.fields()) {
      ValueIndex index = t.index(f.index());
      if (index != null) {
        checkValueIndex(t, f, index);
      }
      SortedIndex sorted = t.sorted(f.index());
      if (sorted != null) {
        checkSortedIndex(t, f, sorted);
      }
    }
  }

  private void checkRow(TableState t, long pk, Object row) {
    ModelMeta m = t.model();
    if (!m.isInstance(row) || m.pkOf(row) != pk) {
      fault(m.name() + ": row under key " + pk + " is " + row);
      return;
    }
    if (pk <= 0 || pk >= t.nextId()) {
      fault(m.describe(pk) + ": key outside 1.." + (t.nextId() - 1));
    }
    for (FieldMeta f : m.fields()) {
      if (f.isPrimaryKey()) {
        continue;
      }
      try {
        RowWrites.checkField(m, f, f.get(row), pk);
      } catch (StoreException e) {
        fault("stored row breaks a field rule: " + e.getMessage());
      }
    }
    for (FieldMeta fk : m.foreignKeys()) {
      long parent = fk.getLong(row);
      if (parent == 0) {
        continue;
      }
      if (fk.fk().dbConstraint() && state.table(fk.fk().target()).row(parent) == null) {
        fault(m.describe(pk) + "." + fk.name() + " = " + parent + " points at no "
            + fk.fk().target().name());
      }
      if (!t.children(fk.fk().ordinal(), parent).containsKey(pk)) {
        fault(m.describe(pk) + "." + fk.name() + " = " + parent + " missing from the reverse index");
      }
    }
  }

  private void checkReverse(TableState t, FieldMeta fk) {
    LongTrie<LongTrie<Object>> reverse = t.reverseIndex(fk.fk().ordinal());
    structure(fk.qualifiedName() + " reverse index", reverse);
    reverse.forEach((parent, children) -> {
      structure(fk.qualifiedName() + " children of " + parent, children);
      if (children.isEmpty()) {
        fault(fk.qualifiedName() + ": empty child set kept for parent " + parent);
      }
      children.forEachKey(child -> {
        Object row = t.row(child);
        if (row == null || fk.getLong(row) != parent) {
          fault(fk.qualifiedName() + ": reverse index lists " + t.model().describe(child)
              + " under parent " + parent + " but the row " + (row == null ? "is gone"
              : "holds " + fk.getLong(row)));
        }
      });
    });
  }

  private void checkComposite(TableState t, int which) {
    ModelMeta m = t.model();
    int[] fields = m.composites().get(which);
    long[] entries = {0};
    t.composite(which).forEach((tuple, pks) -> pks.forEachKey(pk -> entries[0]++));
    t.rows().forEach((pk, row) -> {
      List<Object> values = new ArrayList<>();
      for (int f : fields) {
        values.add(m.field(f).get(row));
      }
      if (!t.lookupComposite(which, values).containsKey(pk)) {
        fault(m.name() + ": composite index " + which + " misses " + m.describe(pk) + " under "
            + values);
      }
    });
    if (entries[0] != t.size()) {
      fault(m.name() + ": composite index " + which + " has " + entries[0] + " entries for "
          + t.size() + " rows");
    }
  }

  private void checkSortedIndex(TableState t, FieldMeta f, SortedIndex index) {
    String shape = index.structureFault();
    if (shape != null) {
      fault(f.qualifiedName() + ": sorted index malformed: " + shape);
    }
    long[] entries = {0};
    Object previous = null;
    long previousPk = 0;
    SortedIndex.Cursor c = index.cursor(true);
    while (c.next()) {
      entries[0]++;
      Object row = t.row(c.pk());
      if (row == null || f.get(row) == null || ValueOrder.compare(f.get(row), c.value()) != 0) {
        fault(f.qualifiedName() + ": sorted index lists " + t.model().describe(c.pk()) + " under "
            + c.value() + " but the row " + (row == null ? "is gone" : "holds " + f.get(row)));
      }
      if (previous != null) {
        int cmp = ValueOrder.compare(previous, c.value());
        if (cmp > 0 || cmp == 0 && previousPk >= c.pk()) {
          fault(f.qualifiedName() + ": sorted index out of order at " + c.value());
        }
      }
      previous = c.value();
      previousPk = c.pk();
    }
    if (entries[0] != index.size()) {
      fault(f.qualifiedName() + ": sorted index reports " + index.size() + " entries, holds "
          + entries[0]);
    }
    index.nulls().forEachKey(pk -> {
      entries[0]++;
      Object row = t.row(pk);
      if (row == null || f.get(row) != null) {
        fault(f.qualifiedName() + ": sorted index lists " + t.model().describe(pk) + " as null");
      }
    });
    if (entries[0] != t.size()) {
      fault(f.qualifiedName() + ": sorted index has " + entries[0] + " entries for " + t.size()
          + " rows");
    }
  }

  private void checkValueIndex(TableState t, FieldMeta f, ValueIndex index) {
    long[] entries = {0};
    index.forEach((value, pks) -> {
      structure(f.qualifiedName() + " index", pks);
      if (f.isUnique() && value != null && pks.size() > 1) {
        fault(f.qualifiedName() + ": unique value " + value + " held by " + pks.size() + " rows");
      }
      pks.forEachKey(pk -> {
        entries[0]++;
        Object row = t.row(pk);
        if (row == null || !Objects.equals(index.get(f.get(row)), pks)) {
          fault(f.qualifiedName() + ": index lists " + t.model().describe(pk) + " under " + value
              + " but the row " + (row == null ? "is gone" : "holds " + f.get(row)));
        }
      });
    });
    if (entries[0] != t.size()) {
      fault(f.qualifiedName() + ": index has " + entries[0] + " entries for " + t.size() + " rows");
    }
  }
}
