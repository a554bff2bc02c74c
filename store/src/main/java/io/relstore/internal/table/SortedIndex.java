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
 * each inner node keeps its children's sizes, so the rank of a value (and the number of entries
 * in a range, for the planner's estimates) costs O(log n). A change copies the nodes on one path
 * (about three for a million entries) and shares the rest. Deletion removes empty nodes but does
 * not merge half-empty ones (a relaxed B-tree): the height never exceeds that of the largest size
 * the index had.
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

  public SortedIndex with(@Nullable Object value, long pk) {
    if (value == null) {
      return new SortedIndex(root, nulls.with(pk, ValueIndex.PRESENT));
    }
    if (root == null) {
      return new SortedIndex(new Leaf(new Object[] {value}, new long[] {pk}), nulls);
    }
    Node[] parts = root.insert(value, pk);
    Node next = parts.length == 1 ? parts[0] : Inner.of(parts);
    return new SortedIndex(next, nulls);
  }

  public SortedIndex without(@Nullable Object value, long pk) {
    if (value == null) {
      return new SortedIndex(root, nulls.without(pk));
    }
    if (root == null) {
      return this;
    }
    Node next = root.remove(value, pk);
    while (next instanceof Inner in && in.children.length == 1) {
      next = in.children[0];
    }
    return next == root ? this : new SortedIndex(next, nulls);
  }

  /** Number of non-null entries with value below {@code value} (strictly, or up to it inclusive). */
  public int rank(Object value, boolean inclusive) {
    return root == null ? 0 : root.rank(value, inclusive);
  }

  /** A cursor over the non-null entries in value order. */
  public Cursor cursor(boolean ascending) {
    return new Cursor(root, ascending, null, false);
  }

  /** An ascending cursor starting at the first entry at or above {@code low} (above if exclusive). */
  public Cursor cursorFrom(Object low, boolean inclusive) {
    return new Cursor(root, true, low, inclusive);
  }

  static int compare(Object v1, long p1, Object v2, long p2) {
    int c = ValueOrder.compare(v1, v2);
    return c != 0 ? c : Long.compare(p1, p2);
  }

  private abstract static class Node {
    abstract int size();

    abstract Node[] insert(Object value, long pk);

    abstract @Nullable Node remove(Object value, long pk);

    abstract int rank(Object value, boolean inclusive);

    abstract Object firstValue();

    abstract long firstPk();
  }

  private static final class Leaf extends Node {
    final Object[] values;
    final long[] pks;

    Leaf(Object[] values, long[] pks) {
      this.values = values;
      this.pks = pks;
    }

    @Override
    int size() {
      return values.length;
    }

    @Override
    Object firstValue() {
      return values[0];
    }

    @Override
    long firstPk() {
      return pks[0];
    }

    /** Index of the first entry not below (value, pk). */
    private int search(Object value, long pk) {
      int lo = 0;
      int hi = values.length;
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

    @Override
    Node[] insert(Object value, long pk) {
      int i = search(value, pk);
      if (i < values.length && compare(values[i], pks[i], value, pk) == 0) {
        return new Node[] {this};
      }
      int n = values.length + 1;
      Object[] v = new Object[n];
      long[] p = new long[n];
      System.arraycopy(values, 0, v, 0, i);
      System.arraycopy(pks, 0, p, 0, i);
      v[i] = value;
      p[i] = pk;
      System.arraycopy(values, i, v, i + 1, values.length - i);
      System.arraycopy(pks, i, p, i + 1, pks.length - i);
      if (n <= MAX) {
        return new Node[] {new Leaf(v, p)};
      }
      int half = n / 2;
      return new Node[] {
          new Leaf(Arrays.copyOfRange(v, 0, half), Arrays.copyOfRange(p, 0, half)),
          new Leaf(Arrays.copyOfRange(v, half, n), Arrays.copyOfRange(p, half, n))};
    }

    @Override
    @Nullable Node remove(Object value, long pk) {
      int i = search(value, pk);
      if (i == values.length || compare(values[i], pks[i], value, pk) != 0) {
        return this;
      }
      if (values.length == 1) {
        return null;
      }
      Object[] v = new Object[values.length - 1];
      long[] p = new long[values.length - 1];
      System.arraycopy(values, 0, v, 0, i);
      System.arraycopy(pks, 0, p, 0, i);
      System.arraycopy(values, i + 1, v, i, values.length - i - 1);
      System.arraycopy(pks, i + 1, p, i, pks.length - i - 1);
      return new Leaf(v, p);
    }

    @Override
    int rank(Object value, boolean inclusive) {
      int n = 0;
      for (Object v : values) {
        int c = ValueOrder.compare(v, value);
        if (c < 0 || inclusive && c == 0) {
          n++;
        } else {
          break;
        }
      }
      return n;
    }
  }

  private static final class Inner extends Node {
    final Node[] children;
    final int[] sizes;
    final int total;

    Inner(Node[] children) {
      this.children = children;
      this.sizes = new int[children.length];
      int t = 0;
      for (int i = 0; i < children.length; i++) {
        sizes[i] = children[i].size();
        t += sizes[i];
      }
      this.total = t;
    }

    static Inner of(Node[] children) {
      return new Inner(children);
    }

    @Override
    int size() {
      return total;
    }

    @Override
    Object firstValue() {
      return children[0].firstValue();
    }

    @Override
    long firstPk() {
      return children[0].firstPk();
    }

    /** The child whose range holds (value, pk): the last child starting at or below it. */
    private int child(Object value, long pk) {
      int lo = 1;
      int hi = children.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(children[mid].firstValue(), children[mid].firstPk(), value, pk) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo - 1;
    }

    @Override
    Node[] insert(Object value, long pk) {
      int i = child(value, pk);
      Node[] parts = children[i].insert(value, pk);
      if (parts.length == 1 && parts[0] == children[i]) {
        return new Node[] {this};
      }
      Node[] next = new Node[children.length + parts.length - 1];
      System.arraycopy(children, 0, next, 0, i);
      System.arraycopy(parts, 0, next, i, parts.length);
      System.arraycopy(children, i + 1, next, i + parts.length, children.length - i - 1);
      if (next.length <= MAX) {
        return new Node[] {new Inner(next)};
      }
      int half = next.length / 2;
      return new Node[] {new Inner(Arrays.copyOfRange(next, 0, half)),
          new Inner(Arrays.copyOfRange(next, half, next.length))};
    }

    @Override
    @Nullable Node remove(Object value, long pk) {
      int i = child(value, pk);
      Node changed = children[i].remove(value, pk);
      if (changed == children[i]) {
        return this;
      }
      if (changed != null) {
        Node[] next = children.clone();
        next[i] = changed;
        return new Inner(next);
      }
      if (children.length == 1) {
        return null;
      }
      Node[] next = new Node[children.length - 1];
      System.arraycopy(children, 0, next, 0, i);
      System.arraycopy(children, i + 1, next, i, children.length - i - 1);
      return new Inner(next);
    }

    @Override
    int rank(Object value, boolean inclusive) {
      int n = 0;
      for (int i = 0; i < children.length; i++) {
        boolean nextStartsAfter = i + 1 == children.length
            || cmpFirst(children[i + 1], value, inclusive);
        if (nextStartsAfter) {
          return n + children[i].rank(value, inclusive);
        }
        n += sizes[i];
      }
      return n;
    }

    /** Whether the node's first value lies beyond the bound (so the bound's rank is before it). */
    private static boolean cmpFirst(Node node, Object value, boolean inclusive) {
      int c = ValueOrder.compare(node.firstValue(), value);
      return inclusive ? c > 0 : c >= 0;
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
          while (i + 1 < in.children.length && startsBelow(in.children[i + 1], low, inclusive)) {
            i++;
          }
          index[depth] = i;
          cur = in.children[i];
        } else {
          Leaf l = (Leaf) cur;
          int i = 0;
          while (i < l.values.length) {
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
        int size = cur instanceof Leaf l ? l.values.length : ((Inner) cur).children.length;
        index[depth] = ascending ? 0 : size - 1;
        if (cur instanceof Inner in) {
          cur = in.children[index[depth]];
        } else {
          return;
        }
      }
    }

    /** Whether every entry of the node's left neighbour lies before the cursor's start. */
    private static boolean startsBelow(Node next, Object low, boolean inclusive) {
      int c = ValueOrder.compare(next.firstValue(), low);
      return inclusive ? c < 0 : c <= 0;
    }

    /** Advances; false at the end. */
    public boolean next() {
      while (depth >= 0) {
        Node top = stack[depth];
        if (top instanceof Leaf l) {
          int i = index[depth];
          if (i >= 0 && i < l.values.length) {
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
        if (i >= 0 && i < in.children.length) {
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
