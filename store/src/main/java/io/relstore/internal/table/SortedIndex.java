package io.relstore.internal.table;

import io.relstore.internal.schema.ValueOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A persistent sorted index: the entries {@code (value, pk)} of a field, ordered by value
 * ({@link ValueOrder}) then key, for ranges, {@code orderBy(field)[:k]} and range counts. Null
 * values are kept apart, in a key set, so that a query can put them first or last.
 *
 * <p>Design: a copy-on-write B+tree with up to 32 entries a leaf and 32 children an inner node;
 * each inner node keeps its children's sizes and first entries, so descending compares separators
 * held in the node itself and the rank of a value (and the number of entries in a range, for the
 * planner's estimates) costs O(log n). A change copies the nodes on one path (about three for a
 * million entries) and shares the rest; an {@link Editor} changes in place the nodes made under
 * its own {@link LongTrie.Edit} token, as {@link LongTrie}'s editor does, so a transaction copies
 * each node at most once. Nodes have room for 32 entries whoever made them. Deletion removes empty
 * nodes but does not merge half-empty ones (a relaxed B-tree): the height never exceeds that of
 * the largest size the index had.
 */
public final class SortedIndex {
  private static final int MAX = 32;
  private static final SortedIndex EMPTY = new SortedIndex(null, LongTrie.empty());

  private final @Nullable Node root;
  private final LongTrie<Object> nulls;

  private SortedIndex(@Nullable Node root, LongTrie<Object> nulls) {
    this.root = root;
    this.nulls = nulls;
  }

  public static SortedIndex empty() {
    return EMPTY;
  }

  /** Entries with a non-null value. */
  public int size() {
    return root == null ? 0 : root.size();
  }

  /** Keys of the rows whose value is null. */
  public LongTrie<Object> nulls() {
    return nulls;
  }

  /** An index with the entry added (this index when it was there). */
  public SortedIndex with(@Nullable Object value, long pk) {
    Editor e = editor(null);
    e.add(value, pk);
    return e.freeze();
  }

  /** An index without the entry (this index when it was absent). */
  public SortedIndex without(@Nullable Object value, long pk) {
    Editor e = editor(null);
    e.remove(value, pk);
    return e.freeze();
  }

  /** An editor starting from this index; with a null token every change copies. */
  public Editor editor(LongTrie.@Nullable Edit edit) {
    return new Editor(this, edit);
  }

  /** Number of non-null entries with value below {@code value} (strictly, or up to it inclusive). */
  public int rank(Object value, boolean inclusive) {
    return root == null ? 0 : root.rank(value, inclusive);
  }

  /** Number of entries equal to {@code value} (null: the null entries), in O(log n). */
  public int count(@Nullable Object value) {
    return value == null ? nulls.size() : rank(value, true) - rank(value, false);
  }

  /** Calls {@code action} with the key of every entry equal to {@code value}, null included. */
  public void forEachEqual(@Nullable Object value, java.util.function.LongConsumer action) {
    if (value == null) {
      nulls.forEachKey(action);
      return;
    }
    Cursor c = cursorFrom(value, true);
    while (c.next() && ValueOrder.compare(c.value(), value) == 0) {
      action.accept(c.pk());
    }
  }

  /** A cursor over the non-null entries in value order. */
  public Cursor cursor(boolean ascending) {
    return new Cursor(root, ascending, null, false);
  }

  /** An ascending cursor starting at the first entry at or above {@code low} (above if exclusive). */
  public Cursor cursorFrom(Object low, boolean inclusive) {
    return new Cursor(root, true, low, inclusive);
  }

  /**
   * The first broken rule of the tree's shape, or null: every node within its capacity and not
   * empty, every inner node's sizes, total and first entries equal to its children's, entries in
   * strict order. For the invariant checker; O(n).
   */
  public @Nullable String structureFault() {
    return root == null ? null : root.fault();
  }

  static int compare(Object v1, long p1, Object v2, long p2) {
    int c = ValueOrder.compare(v1, v2);
    return c != 0 ? c : Long.compare(p1, p2);
  }

  /**
   * A mutable view for one writer: changes nodes of its own token in place and copies the rest
   * (see {@link LongTrie.Editor}). A frozen index shares the nodes, so it is read at once, before
   * the next change, unless the caller changed the token since.
   */
  public static final class Editor {
    private @Nullable Node root;
    private final LongTrie.Editor<Object> nulls;
    private final LongTrie.@Nullable Edit edit;
    private @Nullable Node split;
    private boolean changed;

    Editor(SortedIndex from, LongTrie.@Nullable Edit edit) {
      this.root = from.root;
      this.nulls = from.nulls.editor(edit);
      this.edit = edit;
    }

    /** Adds the entry; nothing when it is there. */
    public void add(@Nullable Object value, long pk) {
      if (value == null) {
        nulls.put(pk, ValueIndex.PRESENT);
        return;
      }
      if (root == null) {
        Leaf leaf = new Leaf(edit);
        leaf.values[0] = value;
        leaf.pks[0] = pk;
        leaf.n = 1;
        root = leaf;
        return;
      }
      split = null;
      Node left = insert(root, value, pk);
      Node right = split;
      if (right == null) {
        root = left;
        return;
      }
      split = null;
      Inner top = new Inner(edit);
      top.put(0, left);
      top.put(1, right);
      top.n = 2;
      top.total = left.size() + right.size();
      root = top;
    }

    /** Removes the entry; nothing when it is absent. */
    public void remove(@Nullable Object value, long pk) {
      if (value == null) {
        nulls.remove(pk);
        return;
      }
      if (root == null) {
        return;
      }
      changed = false;
      Node next = delete(root, value, pk);
      while (next instanceof Inner in && in.n == 1) {
        next = in.children[0];
      }
      root = next;
    }

    public SortedIndex freeze() {
      return new SortedIndex(root, nulls.freeze());
    }

    /** Inserts below {@code node}; returns its replacement and leaves a right sibling in split. */
    private Node insert(Node node, Object value, long pk) {
      if (node instanceof Leaf leaf) {
        int i = leaf.search(value, pk);
        if (i < leaf.n && compare(leaf.values[i], leaf.pks[i], value, pk) == 0) {
          return leaf;
        }
        Leaf m = leaf.editable(edit);
        if (m.n < MAX) {
          m.insertAt(i, value, pk);
          return m;
        }
        Leaf right = m.splitOff(edit);
        if (i <= m.n) {
          m.insertAt(i, value, pk);
        } else {
          right.insertAt(i - m.n, value, pk);
        }
        split = right;
        return m;
      }
      Inner in = (Inner) node;
      int i = in.child(value, pk);
      Node child = in.children[i];
      int before = child.size();
      Node changedChild = insert(child, value, pk);
      Node sibling = split;
      split = null;
      if (changedChild == child && sibling == null && child.size() == before) {
        return in;
      }
      Inner m = in.editable(edit);
      m.total++;
      m.put(i, changedChild);
      if (sibling == null) {
        return m;
      }
      if (m.n < MAX) {
        m.insertAt(i + 1, sibling);
        return m;
      }
      Inner right = m.splitOff(edit);
      if (i + 1 <= m.n) {
        m.insertAt(i + 1, sibling);
      } else {
        right.insertAt(i + 1 - m.n, sibling);
      }
      m.recount();
      right.recount();
      split = right;
      return m;
    }

    /** Deletes below {@code node}; returns its replacement, null when it became empty. */
    private @Nullable Node delete(Node node, Object value, long pk) {
      if (node instanceof Leaf leaf) {
        int i = leaf.search(value, pk);
        if (i == leaf.n || compare(leaf.values[i], leaf.pks[i], value, pk) != 0) {
          return leaf;
        }
        changed = true;
        if (leaf.n == 1) {
          return null;
        }
        Leaf m = leaf.editable(edit);
        m.removeAt(i);
        return m;
      }
      Inner in = (Inner) node;
      int i = in.child(value, pk);
      Node child = in.children[i];
      Node next = delete(child, value, pk);
      if (!changed) {
        return in;
      }
      if (next == null && in.n == 1) {
        return null;
      }
      Inner m = in.editable(edit);
      m.total--;
      if (next == null) {
        m.removeAt(i);
      } else {
        m.put(i, next);
      }
      return m;
    }
  }

  private abstract static class Node {
    final LongTrie.@Nullable Edit edit;
    int n;

    Node(LongTrie.@Nullable Edit edit) {
      this.edit = edit;
    }

    abstract int size();

    abstract int rank(Object value, boolean inclusive);

    abstract Object firstValue();

    abstract long firstPk();

    abstract @Nullable String fault();
  }

  private static final class Leaf extends Node {
    final Object[] values;
    final long[] pks;

    Leaf(LongTrie.@Nullable Edit edit) {
      super(edit);
      this.values = new Object[MAX];
      this.pks = new long[MAX];
    }

    @Override
    int size() {
      return n;
    }

    @Override
    Object firstValue() {
      return values[0];
    }

    @Override
    long firstPk() {
      return pks[0];
    }

    Leaf editable(LongTrie.@Nullable Edit e) {
      if (e != null && edit == e) {
        return this;
      }
      Leaf copy = new Leaf(e);
      System.arraycopy(values, 0, copy.values, 0, n);
      System.arraycopy(pks, 0, copy.pks, 0, n);
      copy.n = n;
      return copy;
    }

    /** Index of the first entry not below (value, pk). */
    int search(Object value, long pk) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(values[mid], pks[mid], value, pk) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    void insertAt(int i, Object value, long pk) {
      System.arraycopy(values, i, values, i + 1, n - i);
      System.arraycopy(pks, i, pks, i + 1, n - i);
      values[i] = value;
      pks[i] = pk;
      n++;
    }

    void removeAt(int i) {
      System.arraycopy(values, i + 1, values, i, n - i - 1);
      System.arraycopy(pks, i + 1, pks, i, n - i - 1);
      n--;
      values[n] = null;
    }

    /** Moves the upper half into a new leaf and returns it. */
    Leaf splitOff(LongTrie.@Nullable Edit e) {
      Leaf right = new Leaf(e);
      int half = n / 2;
      int moved = n - half;
      System.arraycopy(values, half, right.values, 0, moved);
      System.arraycopy(pks, half, right.pks, 0, moved);
      java.util.Arrays.fill(values, half, n, null);
      right.n = moved;
      n = half;
      return right;
    }

    @Override
    int rank(Object value, boolean inclusive) {
      int r = 0;
      while (r < n) {
        int c = ValueOrder.compare(values[r], value);
        if (c < 0 || inclusive && c == 0) {
          r++;
        } else {
          break;
        }
      }
      return r;
    }

    @Override
    @Nullable String fault() {
      if (n < 1 || n > MAX) {
        return "a leaf holds " + n + " entries";
      }
      for (int i = 1; i < n; i++) {
        if (compare(values[i - 1], pks[i - 1], values[i], pks[i]) >= 0) {
          return "entries out of order at " + values[i];
        }
      }
      return null;
    }
  }

  private static final class Inner extends Node {
    final Node[] children;
    final int[] sizes;
    final Object[] firsts;
    final long[] firstPks;
    int total;

    Inner(LongTrie.@Nullable Edit edit) {
      super(edit);
      this.children = new Node[MAX];
      this.sizes = new int[MAX];
      this.firsts = new Object[MAX];
      this.firstPks = new long[MAX];
    }

    @Override
    int size() {
      return total;
    }

    @Override
    Object firstValue() {
      return firsts[0];
    }

    @Override
    long firstPk() {
      return firstPks[0];
    }

    Inner editable(LongTrie.@Nullable Edit e) {
      if (e != null && edit == e) {
        return this;
      }
      Inner copy = new Inner(e);
      System.arraycopy(children, 0, copy.children, 0, n);
      System.arraycopy(sizes, 0, copy.sizes, 0, n);
      System.arraycopy(firsts, 0, copy.firsts, 0, n);
      System.arraycopy(firstPks, 0, copy.firstPks, 0, n);
      copy.n = n;
      copy.total = total;
      return copy;
    }

    /** Sets slot i to the child and its summary (size, first entry); the total is the caller's. */
    void put(int i, Node child) {
      children[i] = child;
      sizes[i] = child.size();
      firsts[i] = child.firstValue();
      firstPks[i] = child.firstPk();
    }

    void insertAt(int i, Node child) {
      System.arraycopy(children, i, children, i + 1, n - i);
      System.arraycopy(sizes, i, sizes, i + 1, n - i);
      System.arraycopy(firsts, i, firsts, i + 1, n - i);
      System.arraycopy(firstPks, i, firstPks, i + 1, n - i);
      put(i, child);
      n++;
    }

    void removeAt(int i) {
      System.arraycopy(children, i + 1, children, i, n - i - 1);
      System.arraycopy(sizes, i + 1, sizes, i, n - i - 1);
      System.arraycopy(firsts, i + 1, firsts, i, n - i - 1);
      System.arraycopy(firstPks, i + 1, firstPks, i, n - i - 1);
      n--;
      children[n] = null;
      firsts[n] = null;
    }

    /** Moves the upper half into a new node and returns it; both totals are left to recount. */
    Inner splitOff(LongTrie.@Nullable Edit e) {
      Inner right = new Inner(e);
      int half = n / 2;
      int moved = n - half;
      System.arraycopy(children, half, right.children, 0, moved);
      System.arraycopy(sizes, half, right.sizes, 0, moved);
      System.arraycopy(firsts, half, right.firsts, 0, moved);
      System.arraycopy(firstPks, half, right.firstPks, 0, moved);
      java.util.Arrays.fill(children, half, n, null);
      java.util.Arrays.fill(firsts, half, n, null);
      right.n = moved;
      n = half;
      return right;
    }

    /** Sets the total from the children's sizes (after a split). */
    void recount() {
      int t = 0;
      for (int i = 0; i < n; i++) {
        t += sizes[i];
      }
      total = t;
    }

    /** The child whose range holds (value, pk): the last child starting at or below it. */
    int child(Object value, long pk) {
      int lo = 1;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(firsts[mid], firstPks[mid], value, pk) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo - 1;
    }

    @Override
    int rank(Object value, boolean inclusive) {
      int r = 0;
      for (int i = 0; i < n; i++) {
        boolean nextStartsAfter = i + 1 == n || startsAfter(firsts[i + 1], value, inclusive);
        if (nextStartsAfter) {
          return r + children[i].rank(value, inclusive);
        }
        r += sizes[i];
      }
      return r;
    }

    /** Whether a first value lies beyond the bound (so the bound's rank is before it). */
    private static boolean startsAfter(Object first, Object value, boolean inclusive) {
      int c = ValueOrder.compare(first, value);
      return inclusive ? c > 0 : c >= 0;
    }

    @Override
    @Nullable String fault() {
      if (n < 1 || n > MAX) {
        return "an inner node holds " + n + " children";
      }
      int t = 0;
      for (int i = 0; i < n; i++) {
        Node c = children[i];
        String f = c.fault();
        if (f != null) {
          return f;
        }
        if (sizes[i] != c.size() || firsts[i] != c.firstValue() || firstPks[i] != c.firstPk()) {
          return "an inner node's summary of child " + i + " is stale";
        }
        if (i > 0 && compare(firsts[i - 1], firstPks[i - 1], firsts[i], firstPks[i]) >= 0) {
          return "children out of order at " + firsts[i];
        }
        t += sizes[i];
      }
      return t == total ? null : "an inner node's total " + total + " is not the sum " + t;
    }
  }

  /** In-order iteration with an explicit stack; holds no lock. */
  public static final class Cursor {
    private final Node[] stack = new Node[16];
    private final int[] index = new int[16];
    private final boolean ascending;
    private int depth = -1;
    private @Nullable Object value;
    private long pk;

    Cursor(@Nullable Node root, boolean ascending, @Nullable Object low, boolean inclusive) {
      this.ascending = ascending;
      if (root != null && low == null) {
        descend(root);
      } else if (root != null) {
        seek(root, low, inclusive);
      }
    }

    /** Positions before the first entry at or above the bound, on the path down to it. */
    private void seek(Node n, Object low, boolean inclusive) {
      Node cur = n;
      while (true) {
        depth++;
        stack[depth] = cur;
        if (cur instanceof Inner in) {
          int i = 0;
          while (i + 1 < in.n && startsBelow(in.firsts[i + 1], low, inclusive)) {
            i++;
          }
          index[depth] = i;
          cur = in.children[i];
        } else {
          Leaf l = (Leaf) cur;
          int i = 0;
          while (i < l.n) {
            int c = ValueOrder.compare(l.values[i], low);
            if (c > 0 || inclusive && c == 0) {
              break;
            }
            i++;
          }
          index[depth] = i;
          return;
        }
      }
    }

    private void descend(Node n) {
      Node cur = n;
      while (true) {
        depth++;
        stack[depth] = cur;
        int size = cur.n;
        index[depth] = ascending ? 0 : size - 1;
        if (cur instanceof Inner in) {
          cur = in.children[index[depth]];
        } else {
          return;
        }
      }
    }

    /** Whether every entry of the node's left neighbour lies before the cursor's start. */
    private static boolean startsBelow(Object nextFirst, Object low, boolean inclusive) {
      int c = ValueOrder.compare(nextFirst, low);
      return inclusive ? c < 0 : c <= 0;
    }

    /** Advances; false at the end. */
    public boolean next() {
      while (depth >= 0) {
        Node top = stack[depth];
        if (top instanceof Leaf l) {
          int i = index[depth];
          if (i >= 0 && i < l.n) {
            value = l.values[i];
            pk = l.pks[i];
            index[depth] = ascending ? i + 1 : i - 1;
            return true;
          }
          depth--;
          advanceParent();
          continue;
        }
        return false;
      }
      return false;
    }

    private void advanceParent() {
      while (depth >= 0) {
        Inner in = (Inner) stack[depth];
        int i = index[depth] + (ascending ? 1 : -1);
        if (i >= 0 && i < in.n) {
          index[depth] = i;
          descend(in.children[i]);
          return;
        }
        depth--;
      }
    }

    public Object value() {
      if (value == null) {
        throw new IllegalStateException("no current entry");
      }
      return value;
    }

    public long pk() {
      return pk;
    }
  }
}
