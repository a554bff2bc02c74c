package io.relstore.internal.table;

import io.relstore.internal.schema.ValueOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A persistent hash index from field values to the set of primary keys holding them: the unique
 * indexes and the hash secondary indexes. Keys are normalised so that equal SQL values meet
 * (BigDecimal by numeric value, -0.0 as 0.0); null is indexed under its own key so that
 * {@code isnull} can use the index, and is never a unique-constraint conflict.
 *
 * <p>Design: a {@link LongTrie} keyed by the 32-bit spread hash of the key; each slot holds a bucket
 * (the key and its primary-key set) or, on a hash collision, an array of buckets. Lookups and
 * changes cost O(log64 n) plus the collision chain, which is almost always one bucket.
 */
public final class ValueIndex {
  static final Object PRESENT = Boolean.TRUE;
  private static final Object NULL_KEY = new Object() {
    @Override
    public String toString() {
      return "NULL";
    }
  };
  private static final ValueIndex EMPTY = new ValueIndex(LongTrie.empty(), 0);

  private record Bucket(Object key, LongTrie<Object> pks) {
  }

  private final LongTrie<Object> buckets;
  private final int keyCount;

  private ValueIndex(LongTrie<Object> buckets, int keyCount) {
    this.buckets = buckets;
    this.keyCount = keyCount;
  }

  public static ValueIndex empty() {
    return EMPTY;
  }

  /** Number of distinct values (null counts as one). */
  public int keyCount() {
    return keyCount;
  }

  /** The primary keys holding {@code value}; empty when none. */
  public LongTrie<Object> get(@Nullable Object value) {
    return find(buckets, normalise(value));
  }

  public Editor editor(LongTrie.@Nullable Edit edit) {
    return new Editor(buckets.editor(edit), keyCount, edit);
  }

  public void forEach(java.util.function.BiConsumer<@Nullable Object, LongTrie<Object>> action) {
    buckets.forEach((h, slot) -> {
      for (Bucket b : bucketsOf(slot)) {
        action.accept(b.key() == NULL_KEY ? null : b.key(), b.pks());
      }
    });
  }

  /** The key of a composite index: the fields' values, each normalised. */
  static java.util.List<Object> tuple(java.util.List<@Nullable Object> values) {
    java.util.List<Object> out = new java.util.ArrayList<>(values.size());
    for (Object v : values) {
      out.add(normalise(v));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  static Object normalise(@Nullable Object value) {
    return value == null ? NULL_KEY : ValueOrder.key(value);
  }

  private static long hash(Object key) {
    int h = key.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & 0xFFFFFFFFL;
  }

  private static Bucket[] bucketsOf(Object slot) {
    return slot instanceof Bucket b ? new Bucket[] {b} : (Bucket[]) slot;
  }

  private static LongTrie<Object> find(LongTrie<Object> buckets, Object key) {
    Object slot = buckets.get(hash(key));
    if (slot instanceof Bucket b) {
      return b.key().equals(key) ? b.pks() : LongTrie.empty();
    }
    if (slot != null) {
      for (Bucket b : (Bucket[]) slot) {
        if (b.key().equals(key)) {
          return b.pks();
        }
      }
    }
    return LongTrie.empty();
  }

  /** A mutable view for one transaction; see {@link LongTrie.Editor}. */
  public static final class Editor {
    private final LongTrie.Editor<Object> buckets;
    private final LongTrie.@Nullable Edit edit;
    private int keyCount;

    Editor(LongTrie.Editor<Object> buckets, int keyCount, LongTrie.@Nullable Edit edit) {
      this.buckets = buckets;
      this.keyCount = keyCount;
      this.edit = edit;
    }

    public LongTrie<Object> get(@Nullable Object value) {
      Object key = normalise(value);
      Object slot = buckets.get(hash(key));
      return slot == null ? LongTrie.empty() : find(slot, key);
    }

    private static LongTrie<Object> find(Object slot, Object key) {
      for (Bucket b : bucketsOf(slot)) {
        if (b.key().equals(key)) {
          return b.pks();
        }
      }
      return LongTrie.empty();
    }

    public void add(@Nullable Object value, long pk) {
      Object key = normalise(value);
      LongTrie<Object> pks = get(value);
      LongTrie.Editor<Object> e = pks.editor(edit);
      e.put(pk, PRESENT);
      if (pks.isEmpty()) {
        keyCount++;
      }
      store(key, e.freeze());
    }

    public void remove(@Nullable Object value, long pk) {
      Object key = normalise(value);
      LongTrie<Object> pks = get(value);
      LongTrie.Editor<Object> e = pks.editor(edit);
      if (e.remove(pk) == null) {
        return;
      }
      LongTrie<Object> left = e.freeze();
      if (left.isEmpty()) {
        keyCount--;
      }
      store(key, left);
    }

    private void store(Object key, LongTrie<Object> pks) {
      long h = hash(key);
      Object slot = buckets.get(h);
      Bucket[] old = slot == null ? new Bucket[0] : bucketsOf(slot);
      Bucket[] next = replaced(old, key, pks);
      if (next.length == 0) {
        buckets.remove(h);
      } else {
        buckets.put(h, next.length == 1 ? next[0] : next);
      }
    }

    private static Bucket[] replaced(Bucket[] old, Object key, LongTrie<Object> pks) {
      for (int i = 0; i < old.length; i++) {
        if (old[i].key().equals(key)) {
          if (pks.isEmpty()) {
            Bucket[] out = new Bucket[old.length - 1];
            System.arraycopy(old, 0, out, 0, i);
            System.arraycopy(old, i + 1, out, i, old.length - i - 1);
            return out;
          }
          Bucket[] out = old.clone();
          out[i] = new Bucket(key, pks);
          return out;
        }
      }
      if (pks.isEmpty()) {
        return old;
      }
      Bucket[] out = Arrays.copyOf(old, old.length + 1);
      out[old.length] = new Bucket(key, pks);
      return out;
    }

    public ValueIndex freeze() {
      return new ValueIndex(buckets.freeze(), keyCount);
    }
  }
}
