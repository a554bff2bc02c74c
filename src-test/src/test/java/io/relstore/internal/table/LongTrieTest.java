package io.relstore.internal.table;

import static io.relstore.internal.table.Tries.assertAbsentNeighbours;
import static io.relstore.internal.table.Tries.assertContent;
import static io.relstore.internal.table.Tries.cursorEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Targeted cases of {@link LongTrie}: boundaries of the 6-bit levels, path compression, API contract. */
class LongTrieTest {

  /** A trie built with {@code with}, checked after every single step against a TreeMap. */
  private static LongTrie<String> build(long... keys) {
    LongTrie<String> t = LongTrie.empty();
    NavigableMap<Long, String> model = new TreeMap<>();
    for (long k : keys) {
      String v = "v" + k;
      t = t.with(k, v);
      model.put(k, v);
      assertContent(model, t, "after with(" + k + ")");
    }
    return t;
  }

  private static NavigableMap<Long, String> modelOf(long... keys) {
    NavigableMap<Long, String> model = new TreeMap<>();
    for (long k : keys) {
      model.put(k, "v" + k);
    }
    return model;
  }

  /** Removes the keys one at a time with {@code without}, checking every intermediate trie. */
  private static void removeAll(LongTrie<String> t, long... keys) {
    NavigableMap<Long, String> model = Tries.contents(t);
    for (long k : keys) {
      t = t.without(k);
      model.remove(k);
      assertContent(model, t, "after without(" + k + ")");
      assertAbsentNeighbours(model, t, "after without(" + k + ")");
      assertNull(t.get(k), "removed key " + k);
    }
  }

  @Test
  void emptyTrieHasNoEntries() {
    LongTrie<String> t = LongTrie.empty();
    assertContent(new TreeMap<>(), t, "empty");
    assertNull(t.get(0));
    assertNull(t.get(Long.MAX_VALUE));
    assertFalse(t.containsKey(0));
    assertFalse(t.cursor(true).next());
    assertFalse(t.cursor(false).next());
    assertSame(t, t.without(0));
    assertSame(t, t.without(Long.MAX_VALUE));
    LongTrie.Editor<String> e = t.editor(new LongTrie.Edit());
    assertNull(e.remove(5));
    assertEquals(0, e.size());
    assertTrue(e.freeze().isEmpty());
  }

  @Test
  void singleKeyIsFoundAndItsNeighboursAreNot() {
    for (long k : new long[] {0, 1, 42, 63, 64, 65, 4095, 4096, 1L << 40, Long.MAX_VALUE}) {
      LongTrie<String> t = build(k);
      assertEquals("v" + k, t.get(k));
      assertEquals(k, t.firstKey());
      assertEquals(k, t.lastKey());
      assertAbsentNeighbours(modelOf(k), t, "single key " + k);
      assertTrue(LongTrie.<String>empty().isEmpty(), "with must not change the empty trie");
      LongTrie<String> removed = t.without(k);
      assertContent(new TreeMap<>(), removed, "single key " + k + " removed");
    }
  }

  @Test
  void boundaryKeysInEveryInsertionOrder() {
    long[] keys = {0, 63, 64, Long.MAX_VALUE};
    List<long[]> orders = new ArrayList<>();
    permutations(keys, 0, orders);
    for (long[] order : orders) {
      LongTrie<String> t = build(order);
      assertContent(modelOf(keys), t, "order " + java.util.Arrays.toString(order));
      assertAbsentNeighbours(modelOf(keys), t, "order " + java.util.Arrays.toString(order));
      assertEquals(0, t.firstKey());
      assertEquals(Long.MAX_VALUE, t.lastKey());
      removeAll(t, order);
    }
  }

  private static void permutations(long[] a, int from, List<long[]> out) {
    if (from == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = from; i < a.length; i++) {
      long tmp = a[from];
      a[from] = a[i];
      a[i] = tmp;
      permutations(a, from + 1, out);
      a[i] = a[from];
      a[from] = tmp;
    }
  }

  @Test
  void keysDifferingOnlyInTheTopBitsJoinAboveTheRoot() {
    // each new key differs from the others only in a higher bit, so every put joins a new root
    long base = 5;
    long[] keys = {base, base | 1L << 6, base | 1L << 12, base | 1L << 35, base | 1L << 59,
        base | 1L << 60, base | 1L << 61, base | 1L << 62};
    LongTrie<String> t = build(keys);
    assertAbsentNeighbours(modelOf(keys), t, "top bits");
    assertNull(t.get(base | 1L << 62 | 1L << 61), "a key sharing two high bits is absent");
    assertNull(t.get(base | 1L << 18), "a key in a skipped level is absent");
    removeAll(t, keys);
  }

  @Test
  void keysDifferingOnlyInTheTopBitsInsertedFromTheTopDown() {
    long base = 0x0123_4567_89AB_CDEFL & Long.MAX_VALUE;
    long[] keys = new long[11];
    for (int level = 10; level >= 0; level--) {
      keys[10 - level] = base ^ (1L << (level * 6 + (level == 10 ? 2 : 5)));
    }
    LongTrie<String> t = build(keys);
    assertAbsentNeighbours(modelOf(keys), t, "one key per level");
    long[] reversed = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      reversed[i] = keys[keys.length - 1 - i];
    }
    removeAll(t, reversed);
  }

  @Test
  void pathCompressedSubNodeSplitsWhenAKeyLandsBetweenLevels() {
    // 0 and 1 pair at shift 0; 1<<30 joins at shift 30; 1<<12 must split the path 0..30
    long[] keys = {0, 1, 1L << 30, 1L << 12, (1L << 12) + 1, (1L << 30) + (1L << 12), 1L << 18};
    LongTrie<String> t = build(keys);
    assertAbsentNeighbours(modelOf(keys), t, "split paths");
    removeAll(t, 1L << 12, 0, (1L << 30) + (1L << 12), 1, 1L << 18, (1L << 12) + 1, 1L << 30);
  }

  @Test
  void fullLeafOf64KeysAndItsNeighbours() {
    long[] keys = new long[130];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = 64 + i;   // 64..127 is one full leaf, 128..193 spills into the next
    }
    LongTrie<String> t = build(keys);
    assertNull(t.get(63));
    assertNull(t.get(194));
    assertEquals(64, t.firstKey());
    assertEquals(193, t.lastKey());
    removeAll(t, keys);
  }

  @Test
  void put_existingKeyReplacesTheValueAndReturnsTheOldOne() {
    LongTrie<String> t = build(1, 64, 1L << 40);
    for (LongTrie.Edit token : new LongTrie.Edit[] {null, new LongTrie.Edit()}) {
      LongTrie.Editor<String> e = t.editor(token);
      assertEquals("v64", e.put(64, "new"));
      assertEquals("new", e.put(64, "newer"));
      assertEquals(3, e.size());
      assertNull(e.put(65, "v65"));
      assertEquals(4, e.size());
      LongTrie<String> next = e.freeze();
      NavigableMap<Long, String> expected = modelOf(1, 64, 65, 1L << 40);
      expected.put(64L, "newer");
      assertContent(expected, next, "after replacing");
      assertContent(modelOf(1, 64, 1L << 40), t, "the original after replacing");
    }
    LongTrie<String> replaced = t.with(1L << 40, "x");
    assertEquals("x", replaced.get(1L << 40));
    assertEquals(3, replaced.size());
    assertEquals("v" + (1L << 40), t.get(1L << 40));
  }

  @Test
  void without_absentKeyReturnsTheSameInstance() {
    long[] keys = {3, 64, 100, 1L << 20, (1L << 20) + 7, 1L << 50};
    LongTrie<String> t = build(keys);
    // 67 shares the inline slot of 3 one level up; 1<<21 is under the root but in no sub-node;
    // (1<<20)+8 is inside a sub-node's range; 1<<62 is beyond the root; -1 is not a valid key
    for (long absent : new long[] {0, 4, 65, 67, 101, 1L << 21, (1L << 20) + 8, (1L << 50) + 64,
        1L << 62, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
      assertSame(t, t.without(absent), "without(" + absent + ")");
      for (LongTrie.Edit token : new LongTrie.Edit[] {null, new LongTrie.Edit()}) {
        LongTrie.Editor<String> e = t.editor(token);
        assertNull(e.remove(absent), "remove(" + absent + ")");
        assertEquals(keys.length, e.size());
        assertContent(modelOf(keys), e.freeze(), "after removing absent " + absent);
      }
    }
    assertContent(modelOf(keys), t, "the trie after removing absent keys");
  }

  @Test
  void remove_returnsTheRemovedValue() {
    LongTrie<String> t = build(7, 70, 700);
    LongTrie.Editor<String> e = t.editor(new LongTrie.Edit());
    assertEquals("v70", e.remove(70));
    assertNull(e.remove(70));
    assertEquals(2, e.size());
    assertContent(modelOf(7, 700), e.freeze(), "after remove");
  }

  @Test
  void cursorVisitsKeysInAscendingAndDescendingOrderWithTheirValues() {
    long[] keys = {900, 0, Long.MAX_VALUE, 64, 63, 1L << 33, (1L << 33) + 1, 5000, 4999, 1L << 61};
    LongTrie<String> t = build(keys);
    NavigableMap<Long, String> model = modelOf(keys);
    List<Map.Entry<Long, Object>> expectedUp = new ArrayList<>();
    for (Map.Entry<Long, String> e : model.entrySet()) {
      expectedUp.add(Map.entry(e.getKey(), e.getValue()));
    }
    List<Map.Entry<Long, Object>> expectedDown = new ArrayList<>();
    for (Map.Entry<Long, String> e : model.descendingMap().entrySet()) {
      expectedDown.add(Map.entry(e.getKey(), e.getValue()));
    }
    assertEquals(expectedUp, cursorEntries(t, true));
    assertEquals(expectedDown, cursorEntries(t, false));
    LongTrie.Cursor c = t.cursor(true);
    while (c.next()) {
      assertTrue(model.containsKey(c.key()));
    }
    assertFalse(c.next(), "an exhausted cursor stays exhausted");
  }

  @Test
  void firstKeyAndLastKeyFollowRemovals() {
    LongTrie<String> t = build(10, 20, 1L << 45, 3);
    assertEquals(3, t.firstKey());
    assertEquals(1L << 45, t.lastKey());
    t = t.without(3);
    assertEquals(10, t.firstKey());
    t = t.without(1L << 45);
    assertEquals(20, t.lastKey());
    t = t.without(10);
    assertEquals(20, t.firstKey());
    assertEquals(20, t.lastKey());
  }

  @Test
  void negativeKeyIsRejectedAndChangesNothing() {
    LongTrie<String> t = build(1, 2);
    assertThrows(IllegalArgumentException.class, () -> t.with(-1, "x"));
    assertThrows(IllegalArgumentException.class, () -> t.with(Long.MIN_VALUE, "x"));
    LongTrie.Editor<String> e = t.editor(new LongTrie.Edit());
    assertThrows(IllegalArgumentException.class, () -> e.put(-64, "x"));
    assertEquals(2, e.size());
    assertContent(modelOf(1, 2), e.freeze(), "editor after a rejected put");
    assertContent(modelOf(1, 2), t, "trie after a rejected put");
    assertNull(t.get(-1));
    assertFalse(t.containsKey(Long.MIN_VALUE));
  }

  @Test
  void removingEveryKeyGivesAnEmptyTrie() {
    LongTrie<String> t = build(1, 1L << 40, 77);
    LongTrie.Editor<String> e = t.editor(new LongTrie.Edit());
    e.remove(77);
    e.remove(1);
    e.remove(1L << 40);
    assertEquals(0, e.size());
    assertContent(new TreeMap<>(), e.freeze(), "editor emptied");
    assertNull(e.put(9, "v9"), "an emptied editor accepts keys again");
    assertContent(modelOf(9), e.freeze(), "editor refilled");
  }

  @Test
  void denseTransientBuildOfTenThousandKeys() {
    LongTrie.Editor<String> e = LongTrie.<String>empty().editor(new LongTrie.Edit());
    NavigableMap<Long, String> model = new TreeMap<>();
    for (long k = 1; k <= 10_000; k++) {
      e.put(k, "v" + k);
      model.put(k, "v" + k);
    }
    LongTrie<String> t = e.freeze();
    assertContent(model, t, "dense 1..10000");
    LongTrie.Editor<String> r = t.editor(new LongTrie.Edit());
    for (long k = 2; k <= 10_000; k += 2) {
      assertEquals("v" + k, r.remove(k));
      model.remove(k);
    }
    assertContent(model, r.freeze(), "odd keys left");
    assertEquals(10_000, t.size(), "the source of a new-token editor keeps its size");
  }
}
