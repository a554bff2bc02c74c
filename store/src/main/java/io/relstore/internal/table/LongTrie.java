package io.relstore.internal.table;

import java.util.NoSuchElementException;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A persistent map from non-negative {@code long} keys to values, ordered by key: the storage
 * behind every table and index of the store.
 *
 * <p>Design. A bitmap-compressed, path-compressed radix trie with 64-way nodes (CHAMP layout: one
 * bitmap for inline entries, one for sub-nodes). A node at level {@code shift} dispatches on key bits
 * {@code [shift, shift + 6)}; a sub-node may sit several levels lower when all of its keys share the
 * bits in between, so a sparse key space costs no empty levels. Dense auto-increment keys give full
 * leaves of 64 inline entries (about 13 bytes a key); a lookup is one bitmap test and one popcount
 * per level, 4 levels for a million keys, with no hashing and no boxing.
 *
 * <p>Persistence. Every {@code LongTrie} is immutable and shares structure with its predecessors, so a
 * committed state can be read by any number of threads without locks while a writer prepares the
 * next one, and a snapshot or a rollback costs O(1). A {@link Editor} mutates nodes in place when they
 * were created under its own {@link Edit} token (Clojure's transients), so a transaction that inserts
 * many keys copies each node at most once; nodes of any other token are copied on write.
 *
 * <p>Invariants: a node has at least one entry; an inline entry's key has the node's prefix; keys
 * are unique; {@code size} is the number of entries. Iteration runs in ascending (or descending) key
 * order. Cost: get, put and remove O(log64 n); iteration O(n); size O(1).
 */
public final class LongTrie<V> {

  /** Marks which nodes an editor may change in place; a fresh token per transaction segment. */
  public static final class Edit {
  }

  private static final LongTrie<?> EMPTY = new LongTrie<>(null, 0);

  private final @Nullable Node root;
  private final int size;

  private LongTrie(@Nullable Node root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <V> LongTrie<V> empty() {
    return (LongTrie<V>) EMPTY;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public @Nullable V get(long key) {
    return find(root, key);
  }

  @SuppressWarnings("unchecked")
  static <V> @Nullable V find(@Nullable Node root, long key) {
    Node n = root;
    while (n != null) {
      int pos = (int) (key >>> n.shift) & 63;
      long bit = 1L << pos;
      long nodeMap = n.nodeMap;
      if ((nodeMap & bit) != 0) {
        n = n.nodes[Long.bitCount(nodeMap & (bit - 1))];
        continue;
      }
      long dataMap = n.dataMap;
      if (dataMap == -1L && n.shift == 0) {
        // a full leaf of 64 consecutive keys: the slot is the key, no key array to read
        return (key & ~63L) == n.prefix ? (V) n.vals[pos] : null;
      }
      if ((dataMap & bit) == 0) {
        return null;
      }
      int i = Long.bitCount(dataMap & (bit - 1));
      return n.keys[i] == key ? (V) n.vals[i] : null;
    }
    return null;
  }

  public boolean containsKey(long key) {
    return get(key) != null;
  }

  /** Returns a map with {@code key} bound to {@code value}, sharing all untouched nodes. */
  public LongTrie<V> with(long key, V value) {
    Editor<V> e = editor(null);
    e.put(key, value);
    return e.freeze();
  }

  /** Returns a map without {@code key}; this map when the key is absent. */
  public LongTrie<V> without(long key) {
    Editor<V> e = editor(null);
    return e.remove(key) == null ? this : e.freeze();
  }

  /** An editor that starts from this map; with a null token every change copies (pure persistence). */
  public Editor<V> editor(@Nullable Edit edit) {
    return new Editor<>(root, size, edit);
  }

  /** Receives the entries of a trie in key order. */
  @FunctionalInterface
  public interface EntryVisitor<V> {
    void visit(long key, V value);
  }

  @SuppressWarnings("unchecked")
  public void forEach(EntryVisitor<? super V> action) {
    if (root != null) {
      forEach(root, (EntryVisitor<Object>) action);
    }
  }

  public void forEachKey(LongConsumer action) {
    forEach((k, v) -> action.accept(k));
  }

  public long firstKey() {
    return edgeKey(true);
  }

  public long lastKey() {
    return edgeKey(false);
  }

  /** An iterator over the keys in ascending or descending order, holding no lock. */
  public Cursor cursor(boolean ascending) {
    return new Cursor(root, ascending);
  }

  private static void forEach(Node n, EntryVisitor<Object> action) {
    long all = n.dataMap | n.nodeMap;
    while (all != 0) {
      long bit = Long.lowestOneBit(all);
      all ^= bit;
      if ((n.dataMap & bit) != 0) {
        int i = Long.bitCount(n.dataMap & (bit - 1));
        action.visit(n.keys[i], n.vals[i]);
      } else {
        forEach(n.nodes[Long.bitCount(n.nodeMap & (bit - 1))], action);
      }
    }
  }

  private long edgeKey(boolean first) {
    Node n = root;
    if (n == null) {
      throw new NoSuchElementException("empty");
    }
    while (true) {
      long all = n.dataMap | n.nodeMap;
      long bit = first ? Long.lowestOneBit(all) : Long.highestOneBit(all);
      if ((n.dataMap & bit) != 0) {
        return n.keys[Long.bitCount(n.dataMap & (bit - 1))];
      }
      n = n.nodes[Long.bitCount(n.nodeMap & (bit - 1))];
    }
  }

  /**
   * Checks the structure (sizes, key order, every key inside its node's range, no empty node);
   * returns a description of the first fault, or null. For the invariant checker and tests.
   */
  public @Nullable String checkStructure() {
    long[] state = {0, -1};
    String fault = root == null ? null : checkNode(root, state);
    if (fault == null && state[0] != size) {
      fault = "size field " + size + " but " + state[0] + " entries";
    }
    return fault;
  }

  private static @Nullable String checkNode(Node n, long[] state) {
    if ((n.dataMap | n.nodeMap) == 0) {
      return "empty node at shift " + n.shift;
    }
    if ((n.dataMap & n.nodeMap) != 0) {
      return "slot is both entry and node at shift " + n.shift;
    }
    long all = n.dataMap | n.nodeMap;
    while (all != 0) {
      long bit = Long.lowestOneBit(all);
      all ^= bit;
      if ((n.dataMap & bit) != 0) {
        long key = n.keys[Long.bitCount(n.dataMap & (bit - 1))];
        if (!Node.covers(n, key) || (1L << Node.pos(key, n.shift)) != bit) {
          return "key " + key + " outside its slot at shift " + n.shift;
        }
        if (key <= state[1]) {
          return "key " + key + " out of order after " + state[1];
        }
        state[1] = key;
        state[0]++;
      } else {
        Node child = n.nodes[Long.bitCount(n.nodeMap & (bit - 1))];
        if (child.shift >= n.shift || !Node.covers(n, child.prefix)
            || (1L << Node.pos(child.prefix, n.shift)) != bit) {
          return "sub-node misplaced at shift " + n.shift;
        }
        String fault = checkNode(child, state);
        if (fault != null) {
          return fault;
        }
      }
    }
    return null;
  }

  /** A mutable view for one writer: changes nodes of its own token in place, copies the rest. */
  public static final class Editor<V> {
    private @Nullable Node root;
    private int size;
    private final @Nullable Edit edit;
    private @Nullable Object old;

    Editor(@Nullable Node root, int size, @Nullable Edit edit) {
      this.root = root;
      this.size = size;
      this.edit = edit;
    }

    public int size() {
      return size;
    }

    public @Nullable V get(long key) {
      return find(root, key);
    }

    /** Binds key to value; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public @Nullable V put(long key, V value) {
      if (key < 0) {
        throw new IllegalArgumentException("negative key " + key);
      }
      java.util.Objects.requireNonNull(value, "value");
      old = null;
      root = root == null ? Node.single(key, value, edit) : Node.put(root, key, value, edit, this);
      if (old == null) {
        size++;
      }
      return (V) old;
    }

    /** Removes key; returns the removed value or null when absent. */
    @SuppressWarnings("unchecked")
    public @Nullable V remove(long key) {
      if (root == null) {
        return null;
      }
      old = null;
      root = Node.remove(root, key, edit, this);
      if (old != null) {
        size--;
      }
      return (V) old;
    }

    /** The current content as an immutable map; further edits under a new token leave it intact. */
    public LongTrie<V> freeze() {
      return root == null ? empty() : new LongTrie<>(root, size);
    }
  }

  /** Ascending or descending key iteration over a frozen trie, with an explicit stack. */
  public static final class Cursor {
    private final Node[] stack = new Node[12];
    private final long[] pending = new long[12];
    private final boolean ascending;
    private int depth = -1;
    private long key;
    private @Nullable Object value;

    Cursor(@Nullable Node root, boolean ascending) {
      this.ascending = ascending;
      if (root != null) {
        push(root);
      }
    }

    private void push(Node n) {
      depth++;
      stack[depth] = n;
      pending[depth] = n.dataMap | n.nodeMap;
    }

    /** Advances to the next entry; false at the end. */
    public boolean next() {
      while (depth >= 0) {
        long all = pending[depth];
        if (all == 0) {
          depth--;
          continue;
        }
        long bit = ascending ? Long.lowestOneBit(all) : Long.highestOneBit(all);
        pending[depth] = all ^ bit;
        Node n = stack[depth];
        if ((n.dataMap & bit) != 0) {
          int i = Long.bitCount(n.dataMap & (bit - 1));
          key = n.keys[i];
          value = n.vals[i];
          return true;
        }
        push(n.nodes[Long.bitCount(n.nodeMap & (bit - 1))]);
      }
      return false;
    }

    public long key() {
      return key;
    }

    public @Nullable Object value() {
      return value;
    }
  }

  static final class Node {
    private static final long[] NO_KEYS = {};
    private static final Object[] NO_VALS = {};
    private static final Node[] NO_NODES = {};

    final long prefix;
    final int shift;
    long dataMap;
    long nodeMap;
    long[] keys;
    Object[] vals;
    Node[] nodes;
    final @Nullable Edit edit;

    private Node(long prefix, int shift, long dataMap, long nodeMap, long[] keys, Object[] vals,
        Node[] nodes, @Nullable Edit edit) {
      this.prefix = prefix;
      this.shift = shift;
      this.dataMap = dataMap;
      this.nodeMap = nodeMap;
      this.keys = keys;
      this.vals = vals;
      this.nodes = nodes;
      this.edit = edit;
    }

    static Node single(long key, Object value, @Nullable Edit edit) {
      return new Node(key & ~63L, 0, 1L << (key & 63), 0, new long[] {key}, new Object[] {value},
          NO_NODES, edit);
    }

    private static long prefixOf(long key, int shift) {
      return shift + 6 >= 64 ? 0 : key & -(1L << (shift + 6));
    }

    private static boolean covers(Node n, long key) {
      return ((key ^ n.prefix) >>> n.shift) >>> 6 == 0;
    }

    /** The level whose 6 bits hold the highest bit where the two keys differ. */
    private static int splitShift(long a, long b) {
      int high = 63 - Long.numberOfLeadingZeros(a ^ b);
      return high / 6 * 6;
    }

    private static int pos(long key, int shift) {
      return (int) (key >>> shift) & 63;
    }

    private int dataCount() {
      return Long.bitCount(dataMap);
    }

    private int nodeCount() {
      return Long.bitCount(nodeMap);
    }

    /** A node holding two inline entries, at the level where their keys part. */
    private static Node pair(long k1, Object v1, long k2, Object v2, @Nullable Edit edit) {
      int shift = splitShift(k1, k2);
      int p1 = pos(k1, shift);
      int p2 = pos(k2, shift);
      long b1 = 1L << p1;
      long b2 = 1L << p2;
      boolean firstLow = p1 < p2;
      long[] keys = firstLow ? new long[] {k1, k2} : new long[] {k2, k1};
      Object[] vals = firstLow ? new Object[] {v1, v2} : new Object[] {v2, v1};
      return new Node(prefixOf(k1, shift), shift, b1 | b2, 0, keys, vals, NO_NODES, edit);
    }

    /** A node joining an existing sub-tree and a new inline entry outside its range. */
    private static Node join(Node sub, long key, Object value, @Nullable Edit edit) {
      int shift = splitShift(sub.prefix, key);
      return new Node(prefixOf(key, shift), shift, 1L << pos(key, shift),
          1L << pos(sub.prefix, shift), new long[] {key}, new Object[] {value},
          new Node[] {sub}, edit);
    }

    private Node editable(@Nullable Edit e) {
      if (e != null && edit == e) {
        return this;
      }
      return new Node(prefix, shift, dataMap, nodeMap, keys.clone(), vals.clone(), nodes.clone(), e);
    }

    static Node put(Node n, long key, Object value, @Nullable Edit e, Editor<?> out) {
      if (!covers(n, key)) {
        return join(n, key, value, e);
      }
      long bit = 1L << pos(key, n.shift);
      if ((n.dataMap & bit) != 0) {
        int i = Long.bitCount(n.dataMap & (bit - 1));
        if (n.keys[i] == key) {
          out.old = n.vals[i];
          Node m = n.editable(e);
          m.vals[i] = value;
          return m;
        }
        Node sub = pair(n.keys[i], n.vals[i], key, value, e);
        return n.editable(e).dataToNode(bit, i, sub, e);
      }
      if ((n.nodeMap & bit) != 0) {
        int j = Long.bitCount(n.nodeMap & (bit - 1));
        Node child = n.nodes[j];
        Node changed = put(child, key, value, e, out);
        if (changed == child) {
          return n;
        }
        Node m = n.editable(e);
        m.nodes[j] = changed;
        return m;
      }
      return n.editable(e).insertData(bit, key, value, e);
    }

    static @Nullable Node remove(Node n, long key, @Nullable Edit e, Editor<?> out) {
      if (!covers(n, key)) {
        return n;
      }
      long bit = 1L << pos(key, n.shift);
      if ((n.dataMap & bit) != 0) {
        int i = Long.bitCount(n.dataMap & (bit - 1));
        if (n.keys[i] != key) {
          return n;
        }
        out.old = n.vals[i];
        if (n.dataCount() == 1 && n.nodeMap == 0) {
          return null;
        }
        return n.editable(e).removeData(bit, i);
      }
      if ((n.nodeMap & bit) == 0) {
        return n;
      }
      int j = Long.bitCount(n.nodeMap & (bit - 1));
      Node child = n.nodes[j];
      Node changed = remove(child, key, e, out);
      if (changed == child) {
        return n;
      }
      if (changed == null) {
        if (n.nodeCount() == 1 && n.dataMap == 0) {
          return null;
        }
        return n.editable(e).removeNode(bit, j);
      }
      if (changed.nodeMap == 0 && changed.dataCount() == 1) {
        return n.editable(e).nodeToData(bit, j, changed.keys[0], changed.vals[0]);
      }
      Node m = n.editable(e);
      m.nodes[j] = changed;
      return m;
    }

    private Node insertData(long bit, long key, Object value, @Nullable Edit e) {
      int count = dataCount();
      int i = Long.bitCount(dataMap & (bit - 1));
      if (keys.length == count) {
        int cap = e == null ? count + 1 : Math.min(64, count + (count >> 1) + 2);
        keys = java.util.Arrays.copyOf(keys, cap);
        vals = java.util.Arrays.copyOf(vals, cap);
      }
      System.arraycopy(keys, i, keys, i + 1, count - i);
      System.arraycopy(vals, i, vals, i + 1, count - i);
      keys[i] = key;
      vals[i] = value;
      dataMap |= bit;
      return this;
    }

    private Node removeData(long bit, int i) {
      int count = dataCount();
      System.arraycopy(keys, i + 1, keys, i, count - i - 1);
      System.arraycopy(vals, i + 1, vals, i, count - i - 1);
      vals[count - 1] = null;
      dataMap &= ~bit;
      if (edit == null) {
        keys = count == 1 ? NO_KEYS : java.util.Arrays.copyOf(keys, count - 1);
        vals = count == 1 ? NO_VALS : java.util.Arrays.copyOf(vals, count - 1);
      }
      return this;
    }

    private Node insertNode(long bit, Node sub, @Nullable Edit e) {
      int count = nodeCount();
      int j = Long.bitCount(nodeMap & (bit - 1));
      if (nodes.length == count) {
        int cap = e == null ? count + 1 : Math.min(64, count + (count >> 1) + 2);
        nodes = java.util.Arrays.copyOf(nodes, cap);
      }
      System.arraycopy(nodes, j, nodes, j + 1, count - j);
      nodes[j] = sub;
      nodeMap |= bit;
      return this;
    }

    private Node removeNode(long bit, int j) {
      int count = nodeCount();
      System.arraycopy(nodes, j + 1, nodes, j, count - j - 1);
      nodes[count - 1] = null;
      nodeMap &= ~bit;
      if (edit == null) {
        nodes = count == 1 ? NO_NODES : java.util.Arrays.copyOf(nodes, count - 1);
      }
      return this;
    }

    private Node dataToNode(long bit, int i, Node sub, @Nullable Edit e) {
      return removeData(bit, i).insertNode(bit, sub, e);
    }

    private Node nodeToData(long bit, int j, long key, Object value) {
      return removeNode(bit, j).insertData(bit, key, value, edit);
    }
  }
}
