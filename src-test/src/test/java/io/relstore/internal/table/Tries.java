package io.relstore.internal.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/** Test helpers shared by the trie and index tests: content snapshots and a full-content check. */
final class Tries {
  private Tries() {
  }

  /** Scale of the randomized tests: {@code -Drelstore.tries} (the build's default is small). */
  static int tries() {
    return intProperty("relstore.tries", 25);
  }

  /** Steps (batches) per try: {@code -Drelstore.steps}. */
  static int steps() {
    return intProperty("relstore.steps", 60);
  }

  private static int intProperty(String name, int fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank() || value.startsWith("$")) {
      return fallback;
    }
    return Integer.parseInt(value.trim());
  }

  /** Every entry of the trie, read with {@code forEach}, in visiting order. */
  static <V> NavigableMap<Long, V> contents(LongTrie<V> trie) {
    TreeMap<Long, V> out = new TreeMap<>();
    List<Long> order = new ArrayList<>();
    trie.forEach((k, v) -> {
      order.add(k);
      out.put(k, v);
    });
    assertEquals(new ArrayList<>(out.keySet()), order, "forEach must visit keys in ascending order");
    return out;
  }

  /** The keys in cursor order. */
  static List<Long> cursorKeys(LongTrie<?> trie, boolean ascending) {
    List<Long> keys = new ArrayList<>();
    LongTrie.Cursor c = trie.cursor(ascending);
    while (c.next()) {
      keys.add(c.key());
    }
    return keys;
  }

  /** The entries in cursor order, as key/value pairs. */
  static List<Map.Entry<Long, Object>> cursorEntries(LongTrie<?> trie, boolean ascending) {
    List<Map.Entry<Long, Object>> out = new ArrayList<>();
    LongTrie.Cursor c = trie.cursor(ascending);
    while (c.next()) {
      out.add(Map.entry(c.key(), c.value()));
    }
    return out;
  }

  /** Asserts a well-formed trie whose content, through every read path, is exactly {@code expected}. */
  static <V> void assertContent(NavigableMap<Long, V> expected, LongTrie<V> trie, String context) {
    assertNull(trie.checkStructure(), () -> context + ": checkStructure");
    assertEquals(expected.size(), trie.size(), () -> context + ": size");
    assertEquals(expected.isEmpty(), trie.isEmpty(), () -> context + ": isEmpty");
    assertEquals(expected, contents(trie), () -> context + ": forEach content");
    List<Long> ascending = new ArrayList<>(expected.keySet());
    assertEquals(ascending, cursorKeys(trie, true), () -> context + ": ascending cursor");
    List<Long> descending = new ArrayList<>(ascending);
    Collections.reverse(descending);
    assertEquals(descending, cursorKeys(trie, false), () -> context + ": descending cursor");
    List<Long> viaForEachKey = new ArrayList<>();
    trie.forEachKey(viaForEachKey::add);
    assertEquals(ascending, viaForEachKey, () -> context + ": forEachKey");
    for (Map.Entry<Long, V> e : expected.entrySet()) {
      assertEquals(e.getValue(), trie.get(e.getKey()), () -> context + ": get(" + e.getKey() + ")");
      assertTrue(trie.containsKey(e.getKey()), () -> context + ": containsKey(" + e.getKey() + ")");
    }
    if (expected.isEmpty()) {
      assertThrows(NoSuchElementException.class, trie::firstKey, () -> context + ": firstKey");
      assertThrows(NoSuchElementException.class, trie::lastKey, () -> context + ": lastKey");
    } else {
      assertEquals(expected.firstKey(), trie.firstKey(), () -> context + ": firstKey");
      assertEquals(expected.lastKey(), trie.lastKey(), () -> context + ": lastKey");
    }
  }

  /** Asserts that no key near the stored ones (neighbours, other high bits) is found when absent. */
  static void assertAbsentNeighbours(NavigableMap<Long, ?> expected, LongTrie<?> trie, String context) {
    for (long k : expected.keySet()) {
      for (long probe : new long[] {k - 1, k + 1, k ^ 1, k ^ 64, k ^ (1L << 12), k ^ (1L << 30),
          k ^ (1L << 61), k ^ (1L << 62)}) {
        if (probe >= 0 && !expected.containsKey(probe)) {
          assertNull(trie.get(probe), () -> context + ": get(" + probe + ") of an absent key");
          assertFalse(trie.containsKey(probe), () -> context + ": containsKey(" + probe + ")");
        }
      }
    }
  }
}
