package io.relstore.internal.table;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import java.util.Objects;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The table of one model while a write transaction changes it. It starts from a committed
 * {@link TableState} and changes only its own copies (in place when its {@link LongTrie.Edit} owns
 * them), so readers of the committed state see nothing until {@link #freeze()} hands the new state
 * to the commit. Every row change keeps the reverse and value indexes in step in the same call; it
 * checks no constraint (the transaction does that) and trusts its caller to pass rows of its model.
 */
public final class TableWriter implements TableView {
  private final ModelMeta model;
  private final LongTrie.@Nullable Edit edit;
  private final LongTrie.Editor<Object> rows;
  private final LongTrie.Editor<LongTrie<Object>>[] reverse;
  private final @Nullable LongObjectHashMap<LongTrie.Editor<Object>>[] openSets;
  private final ValueIndex.@Nullable Editor[] indexes;
  private final SortedIndex.@Nullable Editor[] sorted;
  private final ValueIndex.Editor[] composites;
  private long nextId;

  @SuppressWarnings({"unchecked", "rawtypes"})
  TableWriter(ModelMeta model, LongTrie<Object> rows, LongTrie<LongTrie<Object>>[] reverse,
      @Nullable ValueIndex[] indexes, @Nullable SortedIndex[] sorted, ValueIndex[] composites,
      long nextId, LongTrie.@Nullable Edit edit) {
    this.model = model;
    this.edit = edit;
    this.rows = rows.editor(edit);
    this.reverse = new LongTrie.Editor[reverse.length];
    this.openSets = new LongObjectHashMap[reverse.length];
    for (int i = 0; i < reverse.length; i++) {
      this.reverse[i] = reverse[i].editor(edit);
    }
    this.indexes = new ValueIndex.Editor[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      ValueIndex index = indexes[i];
      this.indexes[i] = index == null ? null : index.editor(edit);
    }
    this.sorted = new SortedIndex.Editor[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      SortedIndex index = sorted[i];
      this.sorted[i] = index == null ? null : index.editor(edit);
    }
    this.composites = new ValueIndex.Editor[composites.length];
    for (int i = 0; i < composites.length; i++) {
      this.composites[i] = composites[i].editor(edit);
    }
    this.nextId = nextId;
  }

  private java.util.List<Object> tuple(int which, Object record) {
    int[] fields = model.composites().get(which);
    java.util.List<Object> values = new java.util.ArrayList<>(fields.length);
    for (int f : fields) {
      values.add(model.field(f).get(record));
    }
    return ValueIndex.tuple(values);
  }

  /** Puts the key counter back (savepoint rollback). */
  public void resetNextId(long value) {
    nextId = value;
  }

  /** Takes and reserves the next auto-assigned key. */
  public long allocateId() {
    return nextId++;
  }

  public void insert(Object record) {
    long pk = model.pkOf(record);
    rows.put(pk, record);
    for (int i = 0; i < reverse.length; i++) {
      long parent = model.foreignKey(i).getLong(record);
      if (parent != 0) {
        addChild(i, parent, pk);
      }
    }
    for (int i = 0; i < indexes.length; i++) {
      ValueIndex.Editor index = indexes[i];
      if (index != null) {
        index.add(model.field(i).get(record), pk);
      }
      SortedIndex.Editor s = sorted[i];
      if (s != null) {
        s.add(model.field(i).get(record), pk);
      }
    }
    for (int i = 0; i < composites.length; i++) {
      composites[i].add(tuple(i, record), pk);
    }
    nextId = Math.max(nextId, pk + 1);
  }

  /** Removes the row with this key; returns it, or null when there was none. */
  public @Nullable Object remove(long pk) {
    Object record = rows.remove(pk);
    if (record == null) {
      return null;
    }
    for (int i = 0; i < reverse.length; i++) {
      long parent = model.foreignKey(i).getLong(record);
      if (parent != 0) {
        removeChild(i, parent, pk);
      }
    }
    for (int i = 0; i < indexes.length; i++) {
      ValueIndex.Editor index = indexes[i];
      if (index != null) {
        index.remove(model.field(i).get(record), pk);
      }
      SortedIndex.Editor s = sorted[i];
      if (s != null) {
        s.remove(model.field(i).get(record), pk);
      }
    }
    for (int i = 0; i < composites.length; i++) {
      composites[i].remove(tuple(i, record), pk);
    }
    return record;
  }

  /** Replaces a stored row by a new version with the same key, moving only the changed index entries. */
  public void replace(Object old, Object record) {
    long pk = model.pkOf(record);
    rows.put(pk, record);
    for (int i = 0; i < reverse.length; i++) {
      FieldMeta fk = model.foreignKey(i);
      long before = fk.getLong(old);
      long after = fk.getLong(record);
      if (before != after) {
        if (before != 0) {
          removeChild(i, before, pk);
        }
        if (after != 0) {
          addChild(i, after, pk);
        }
      }
    }
    for (int i = 0; i < indexes.length; i++) {
      ValueIndex.Editor index = indexes[i];
      SortedIndex.Editor s = sorted[i];
      if (index == null && s == null) {
        continue;
      }
      Object before = model.field(i).get(old);
      Object after = model.field(i).get(record);
      if (Objects.equals(before, after)) {
        continue;
      }
      if (index != null) {
        index.remove(before, pk);
        index.add(after, pk);
      }
      if (s != null) {
        s.remove(before, pk);
        s.add(after, pk);
      }
    }
    for (int i = 0; i < composites.length; i++) {
      java.util.List<Object> before = tuple(i, old);
      java.util.List<Object> after = tuple(i, record);
      if (!before.equals(after)) {
        composites[i].remove(before, pk);
        composites[i].add(after, pk);
      }
    }
  }

  /**
   * The child set of a parent, open for editing: made once per parent and transaction (an
   * eclipse-collections map keeps it), so adding or removing many children of one parent costs
   * no wrapper per child. {@link #settle} writes the open sets back into the reverse index.
   */
  private LongTrie.Editor<Object> openSet(int fk, long parent) {
    LongObjectHashMap<LongTrie.Editor<Object>> open = openSets[fk];
    if (open == null) {
      open = new LongObjectHashMap<>();
      openSets[fk] = open;
    }
    LongTrie.Editor<Object> e = open.get(parent);
    if (e == null) {
      LongTrie<Object> set = reverse[fk].get(parent);
      e = (set == null ? LongTrie.<Object>empty() : set).editor(edit);
      open.put(parent, e);
    }
    return e;
  }

  private void addChild(int fk, long parent, long child) {
    openSet(fk, parent).put(child, ValueIndex.PRESENT);
  }

  private void removeChild(int fk, long parent, long child) {
    openSet(fk, parent).remove(child);
  }

  /** Writes every open child set back into its reverse index (empty sets are dropped). */
  private void settle(int fk) {
    LongObjectHashMap<LongTrie.Editor<Object>> open = openSets[fk];
    if (open == null || open.isEmpty()) {
      return;
    }
    for (var it = open.keyValuesView().iterator(); it.hasNext(); ) {
      var pair = it.next();
      LongTrie.Editor<Object> e = pair.getTwo();
      if (e.size() == 0) {
        reverse[fk].remove(pair.getOne());
      } else {
        reverse[fk].put(pair.getOne(), e.freeze());
      }
    }
    open.clear();
  }

  public TableState freeze() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    LongTrie<LongTrie<Object>>[] rev = new LongTrie[reverse.length];
    for (int i = 0; i < reverse.length; i++) {
      settle(i);
      rev[i] = reverse[i].freeze();
    }
    ValueIndex[] idx = new ValueIndex[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      ValueIndex.Editor index = indexes[i];
      idx[i] = index == null ? null : index.freeze();
    }
    ValueIndex[] comp = new ValueIndex[composites.length];
    for (int i = 0; i < composites.length; i++) {
      comp[i] = composites[i].freeze();
    }
    SortedIndex[] sortedIdx = new SortedIndex[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      SortedIndex.Editor s = sorted[i];
      sortedIdx[i] = s == null ? null : s.freeze();
    }
    return new TableState(model, rows.freeze(), rev, idx, sortedIdx, comp, nextId);
  }

  @Override
  public ModelMeta model() {
    return model;
  }

  @Override
  public @Nullable Object row(long pk) {
    return rows.get(pk);
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public LongTrie<Object> children(int fkOrdinal, long parentPk) {
    LongObjectHashMap<LongTrie.Editor<Object>> open = openSets[fkOrdinal];
    LongTrie.Editor<Object> e = open == null ? null : open.get(parentPk);
    if (e != null) {
      return e.freeze();
    }
    LongTrie<Object> set = reverse[fkOrdinal].get(parentPk);
    return set == null ? LongTrie.empty() : set;
  }

  @Override
  public LongTrie<LongTrie<Object>> reverseIndex(int fkOrdinal) {
    settle(fkOrdinal);
    return reverse[fkOrdinal].freeze();
  }

  @Override
  public LongTrie<Object> lookupComposite(int which, java.util.List<@Nullable Object> values) {
    return composites[which].get(ValueIndex.tuple(values));
  }

  @Override
  public @Nullable SortedIndex sorted(int fieldIndex) {
    SortedIndex.Editor s = sorted[fieldIndex];
    return s == null ? null : s.freeze();
  }

  @Override
  public boolean hasIndex(int fieldIndex) {
    return indexes[fieldIndex] != null;
  }

  @Override
  public LongTrie<Object> lookup(int fieldIndex, @Nullable Object value) {
    ValueIndex.Editor index = indexes[fieldIndex];
    if (index == null) {
      throw new IllegalStateException(model.field(fieldIndex) + " has no index");
    }
    return index.get(value);
  }

  @Override
  public LongTrie<Object> rows() {
    return rows.freeze();
  }

  @Override
  public long nextId() {
    return nextId;
  }
}
