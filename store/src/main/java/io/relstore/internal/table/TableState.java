package io.relstore.internal.table;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import org.jspecify.annotations.Nullable;

/**
 * One model's committed table: an immutable value that any number of readers use without locks.
 *
 * <p>Rows live in a {@link LongTrie} keyed by primary key, so a key is also the row's address: a
 * foreign key value is the parent's address (the forward pointer) and following it is one trie
 * walk, with no hashing. Each foreign key has a reverse index, parent key → set of child keys, whose
 * size answers a reverse {@code count()} in O(1). Unique and indexed fields have a
 * {@link ValueIndex}. A write never changes a {@code TableState}: it builds the next one through a
 * {@link TableWriter}, sharing every untouched node.
 */
public final class TableState implements TableView {
  private final ModelMeta model;
  private final LongTrie<Object> rows;
  private final LongTrie<LongTrie<Object>>[] reverse;
  private final @Nullable ValueIndex[] indexes;
  private final @Nullable SortedIndex[] sorted;
  private final ValueIndex[] composites;
  private final long nextId;

  TableState(ModelMeta model, LongTrie<Object> rows, LongTrie<LongTrie<Object>>[] reverse,
      @Nullable ValueIndex[] indexes, @Nullable SortedIndex[] sorted, ValueIndex[] composites,
      long nextId) {
    this.model = model;
    this.rows = rows;
    this.reverse = reverse;
    this.indexes = indexes;
    this.sorted = sorted;
    this.composites = composites;
    this.nextId = nextId;
  }

  /** An empty table with the indexes the model asks for. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TableState empty(ModelMeta model) {
    LongTrie<LongTrie<Object>>[] reverse = new LongTrie[model.foreignKeyCount()];
    java.util.Arrays.fill(reverse, LongTrie.empty());
    ValueIndex[] indexes = new ValueIndex[model.fieldCount()];
    SortedIndex[] sorted = new SortedIndex[model.fieldCount()];
    for (FieldMeta f : model.fields()) {
      if (hasValueIndex(f)) {
        indexes[f.index()] = ValueIndex.empty();
      }
      if (f.constraints().sorted() && !f.isPrimaryKey()) {
        sorted[f.index()] = SortedIndex.empty();
      }
    }
    ValueIndex[] composites = new ValueIndex[model.composites().size()];
    java.util.Arrays.fill(composites, ValueIndex.empty());
    return new TableState(model, LongTrie.empty(), reverse, indexes, sorted, composites, 1);
  }

  /**
   * Unique fields (but not the key, which the row trie serves) and fields with a hash index. A
   * field with a sorted index and no unique rule has no hash index beside it: the sorted index
   * answers equalities too, in O(log n), and a second index would double the cost of every write
   * and the memory of the field.
   */
  static boolean hasValueIndex(FieldMeta f) {
    return !f.isPrimaryKey() && f.foreignKey() == null && (f.constraints().unique()
        || f.constraints().indexed() && !f.constraints().sorted());
  }

  public TableWriter writer(LongTrie.@Nullable Edit edit) {
    return new TableWriter(model, rows, reverse, indexes, sorted, composites, nextId, edit);
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
    LongTrie<Object> set = reverse[fkOrdinal].get(parentPk);
    return set == null ? LongTrie.empty() : set;
  }

  @Override
  public LongTrie<LongTrie<Object>> reverseIndex(int fkOrdinal) {
    return reverse[fkOrdinal];
  }

  /** The value index of a field, or null when the field has none. */
  public @Nullable ValueIndex index(int fieldIndex) {
    return indexes[fieldIndex];
  }

  @Override
  public LongTrie<Object> lookupComposite(int which, java.util.List<@Nullable Object> values) {
    return composites[which].get(ValueIndex.tuple(values));
  }

  /** The composite indexes, in declaration order. */
  public ValueIndex composite(int which) {
    return composites[which];
  }

  @Override
  public @Nullable SortedIndex sorted(int fieldIndex) {
    return sorted[fieldIndex];
  }

  @Override
  public boolean hasIndex(int fieldIndex) {
    return indexes[fieldIndex] != null;
  }

  @Override
  public LongTrie<Object> lookup(int fieldIndex, @Nullable Object value) {
    ValueIndex index = indexes[fieldIndex];
    if (index == null) {
      throw new IllegalStateException(model.field(fieldIndex) + " has no index");
    }
    return index.get(value);
  }

  @Override
  public LongTrie<Object> rows() {
    return rows;
  }

  @Override
  public long nextId() {
    return nextId;
  }
}
