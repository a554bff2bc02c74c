package io.relstore.internal.table;

import io.relstore.internal.schema.ModelMeta;
import org.jspecify.annotations.Nullable;

/**
 * Read access to one model's table, committed ({@link TableState}) or inside a write
 * ({@link TableWriter}). Rows are keyed by primary key; a foreign key's reverse index maps a parent
 * key to the set of child keys; value indexes map a field value to the keys holding it.
 */
public interface TableView {

  ModelMeta model();

  /** The row with this primary key, or null. */
  @Nullable Object row(long pk);

  /** Number of rows, O(1). */
  int size();

  /** Keys of the rows whose foreign key {@code fkOrdinal} holds {@code parentPk}; O(1) size. */
  LongTrie<Object> children(int fkOrdinal, long parentPk);

  /** Parents that have at least one child through the foreign key, with their child sets. */
  LongTrie<LongTrie<Object>> reverseIndex(int fkOrdinal);

  /** Whether the field has a value index (unique or indexed, not the key or a foreign key). */
  boolean hasIndex(int fieldIndex);

  /** Keys of the rows whose field holds {@code value}, through the field's value index. */
  LongTrie<Object> lookup(int fieldIndex, @Nullable Object value);

  /** Keys of the rows whose fields of composite index {@code which} hold {@code values}. */
  LongTrie<Object> lookupComposite(int which, java.util.List<@Nullable Object> values);

  /** The sorted index of a field, or null when it has none. */
  @Nullable SortedIndex sorted(int fieldIndex);

  /** All rows in primary-key order. */
  LongTrie<Object> rows();

  /** The next key an auto-assigned insert takes. */
  long nextId();
}
