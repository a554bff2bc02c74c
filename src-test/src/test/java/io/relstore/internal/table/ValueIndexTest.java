package io.relstore.internal.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** {@link ValueIndex}: equal and normalised keys, hash collisions, null, key counts, persistence. */
class ValueIndexTest {

  /** A key whose hash code always collides with every other instance. */
  record Colliding(int id) {
    @Override
    public int hashCode() {
      return 7;
    }
  }

  private static List<Long> pks(LongTrie<Object> set) {
    assertNull(set.checkStructure());
    return Tries.cursorKeys(set, true);
  }

  private static List<Long> list(long... pks) {
    List<Long> out = new ArrayList<>();
    for (long pk : pks) {
      out.add(pk);
    }
    return out;
  }

  /** Every key the index reports through forEach, with its pks; null stands for the null key. */
  private static Map<Object, List<Long>> entries(ValueIndex index) {
    Map<Object, List<Long>> out = new HashMap<>();
    index.forEach((k, set) -> {
      Object key = k == null ? "<null>" : k;
      assertNull(out.put(key, pks(set)), "forEach reported a key twice: " + key);
      assertTrue(!set.isEmpty(), "forEach reported an empty set for " + key);
    });
    return out;
  }

  private static ValueIndex.Editor editor() {
    return ValueIndex.empty().editor(new LongTrie.Edit());
  }

  @Test
  void emptyIndexFindsNothing() {
    ValueIndex index = ValueIndex.empty();
    assertEquals(0, index.keyCount());
    assertTrue(index.get("x").isEmpty());
    assertTrue(index.get(null).isEmpty());
    assertEquals(Map.of(), entries(index));
    ValueIndex.Editor e = index.editor(null);
    e.remove("x", 1);
    e.remove(null, 1);
    assertEquals(0, e.freeze().keyCount());
  }

  @Test
  void add_equalKeysShareOneSet() {
    ValueIndex.Editor e = editor();
    e.add("abc", 1);
    e.add(new String("abc"), 2);
    e.add("abd", 3);
    ValueIndex index = e.freeze();
    assertEquals(2, index.keyCount());
    assertEquals(list(1, 2), pks(index.get(new String("abc"))));
    assertEquals(list(3), pks(index.get("abd")));
    assertTrue(index.get("ab").isEmpty());
    assertEquals(Map.of("abc", list(1, 2), "abd", list(3)), entries(index));
  }

  @Test
  void add_samePkTwiceKeepsOneEntryAndOneKey() {
    ValueIndex.Editor e = editor();
    e.add("a", 5);
    e.add("a", 5);
    assertEquals(1, e.freeze().keyCount());
    assertEquals(list(5), pks(e.get("a")));
  }

  @Test
  void remove_lastPkDropsTheKey() {
    ValueIndex.Editor e = editor();
    e.add("a", 1);
    e.add("a", 2);
    e.add("b", 3);
    e.remove("a", 1);
    assertEquals(2, e.freeze().keyCount());
    assertEquals(list(2), pks(e.get("a")));
    e.remove("a", 2);
    ValueIndex index = e.freeze();
    assertEquals(1, index.keyCount());
    assertTrue(index.get("a").isEmpty());
    assertEquals(Map.of("b", list(3)), entries(index));
  }

  @Test
  void remove_absentValueOrPkChangesNothing() {
    ValueIndex.Editor e = editor();
    e.add("a", 1);
    e.remove("a", 2);
    e.remove("zzz", 1);
    e.remove(null, 1);
    e.remove(new Colliding(1), 1);
    ValueIndex index = e.freeze();
    assertEquals(1, index.keyCount());
    assertEquals(Map.of("a", list(1)), entries(index));
  }

  @Test
  void hashCollisionsKeepTheirKeysApart() {
    // Colliding has one hash code; "Aa"/"BB" and 0L/0x1_0000_0001L collide as Java hash codes
    Object[] keys = {new Colliding(1), new Colliding(2), new Colliding(3), "Aa", "BB", 0L,
        0x1_0000_0001L};
    assertEquals("Aa".hashCode(), "BB".hashCode());
    assertEquals(Long.hashCode(0L), Long.hashCode(0x1_0000_0001L));
    ValueIndex.Editor e = editor();
    for (int i = 0; i < keys.length; i++) {
      e.add(keys[i], 10 + i);
      e.add(keys[i], 20 + i);
    }
    ValueIndex full = e.freeze();
    assertEquals(keys.length, full.keyCount());
    for (int i = 0; i < keys.length; i++) {
      assertEquals(list(10 + i, 20 + i), pks(full.get(keys[i])), "key " + keys[i]);
    }
    assertTrue(full.get(new Colliding(4)).isEmpty(), "a colliding key never added");
    assertEquals(keys.length, entries(full).size());

    // remove the middle key of the collision chain, then the others one pk at a time
    e.remove(new Colliding(2), 11);
    e.remove(new Colliding(2), 21);
    ValueIndex middleGone = e.freeze();
    assertEquals(keys.length - 1, middleGone.keyCount());
    assertTrue(middleGone.get(new Colliding(2)).isEmpty());
    assertEquals(list(10, 20), pks(middleGone.get(new Colliding(1))));
    assertEquals(list(12, 22), pks(middleGone.get(new Colliding(3))));
    e.remove(new Colliding(1), 10);
    assertEquals(list(20), pks(e.get(new Colliding(1))));
    e.remove(new Colliding(1), 20);
    e.remove("Aa", 13);
    e.remove("Aa", 23);
    e.remove(0L, 15);
    e.remove(0L, 25);
    ValueIndex rest = e.freeze();
    assertEquals(3, rest.keyCount());
    assertEquals(list(12, 22), pks(rest.get(new Colliding(3))));
    assertEquals(list(14, 24), pks(rest.get("BB")));
    assertEquals(list(16, 26), pks(rest.get(0x1_0000_0001L)));
    assertTrue(rest.get("Aa").isEmpty());
    assertTrue(rest.get(0L).isEmpty());
  }

  @Test
  void nullIsIndexedUnderItsOwnKey() {
    ValueIndex.Editor e = editor();
    e.add(null, 1);
    e.add(null, 2);
    e.add("NULL", 3);
    e.add("null", 4);
    ValueIndex index = e.freeze();
    assertEquals(3, index.keyCount());
    assertEquals(list(1, 2), pks(index.get(null)));
    assertEquals(list(3), pks(index.get("NULL")));
    Map<Object, List<Long>> seen = new HashMap<>();
    index.forEach((k, set) -> {
      if (k == null) {
        seen.put("<null>", pks(set));
      }
    });
    assertEquals(Map.of("<null>", list(1, 2)), seen, "forEach reports the null key as null");
    ValueIndex.Editor r = index.editor(new LongTrie.Edit());
    r.remove(null, 1);
    r.remove(null, 2);
    ValueIndex without = r.freeze();
    assertEquals(2, without.keyCount());
    assertTrue(without.get(null).isEmpty());
    assertEquals(list(1, 2), pks(index.get(null)), "the frozen version keeps its null key");
  }

  @Test
  void bigDecimalsMeetByNumericValue() {
    ValueIndex.Editor e = editor();
    e.add(new BigDecimal("1.0"), 1);
    e.add(new BigDecimal("1.00"), 2);
    e.add(BigDecimal.ONE, 3);
    e.add(new BigDecimal("100"), 4);
    e.add(new BigDecimal("1E+2"), 5);
    e.add(new BigDecimal("0.00"), 6);
    e.add(new BigDecimal("0E+3"), 7);
    e.add(new BigDecimal("1.01"), 8);
    ValueIndex index = e.freeze();
    assertEquals(4, index.keyCount());
    assertEquals(list(1, 2, 3), pks(index.get(new BigDecimal("1.000"))));
    assertEquals(list(4, 5), pks(index.get(new BigDecimal("100.0"))));
    assertEquals(list(6, 7), pks(index.get(BigDecimal.ZERO)));
    assertEquals(list(6, 7), pks(index.get(new BigDecimal("-0.0"))));
    assertEquals(list(8), pks(index.get(new BigDecimal("1.010"))));
    e.remove(new BigDecimal("1"), 1);
    e.remove(new BigDecimal("1.0000"), 2);
    e.remove(new BigDecimal("10E-1"), 3);
    assertEquals(3, e.freeze().keyCount());
    assertTrue(e.get(new BigDecimal("1.0")).isEmpty());
  }

  @Test
  void negativeZeroMeetsZero() {
    ValueIndex.Editor e = editor();
    e.add(-0.0d, 1);
    e.add(0.0d, 2);
    e.add(-0.0f, 3);
    e.add(0.0f, 4);
    e.add(1.5d, 5);
    ValueIndex index = e.freeze();
    assertEquals(3, index.keyCount(), "double zero, float zero, 1.5");
    assertEquals(list(1, 2), pks(index.get(0.0d)));
    assertEquals(list(1, 2), pks(index.get(-0.0d)));
    assertEquals(list(3, 4), pks(index.get(-0.0f)));
    e.remove(0.0d, 1);
    e.remove(-0.0d, 2);
    assertTrue(e.get(-0.0d).isEmpty());
    assertEquals(2, e.freeze().keyCount());
  }

  /** Groups of representations the index must treat as one key; groups differ from each other. */
  private static final Object[][] GROUPS = {
      {null},
      {new BigDecimal("1.0"), new BigDecimal("1.00"), BigDecimal.ONE, new BigDecimal("10E-1")},
      {new BigDecimal("100"), new BigDecimal("1E+2"), new BigDecimal("100.000")},
      {BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("0E+3")},
      {-0.0d, 0.0d},
      {-0.0f, 0.0f},
      {1.5d},
      {"Aa", new String("Aa")},
      {"BB"},
      {0L},
      {0x1_0000_0001L},
      {new Colliding(1)},
      {new Colliding(2)},
      {new Colliding(3)},
      {"x"},
      {42L},
  };

  /** Expected content: group index to pk set. */
  private static Map<Integer, TreeSet<Long>> copy(Map<Integer, TreeSet<Long>> model) {
    Map<Integer, TreeSet<Long>> out = new HashMap<>();
    for (Map.Entry<Integer, TreeSet<Long>> en : model.entrySet()) {
      out.put(en.getKey(), new TreeSet<>(en.getValue()));
    }
    return out;
  }

  private static void assertIndex(Map<Integer, TreeSet<Long>> model, ValueIndex index, String where) {
    int nonEmpty = 0;
    for (int g = 0; g < GROUPS.length; g++) {
      TreeSet<Long> expected = model.getOrDefault(g, new TreeSet<>());
      if (!expected.isEmpty()) {
        nonEmpty++;
      }
      for (Object rep : GROUPS[g]) {
        assertEquals(new ArrayList<>(expected), pks(index.get(rep)), where + ": get(" + rep + ")");
      }
    }
    assertEquals(nonEmpty, index.keyCount(), where + ": keyCount");
    assertEquals(nonEmpty, entries(index).size(), where + ": forEach entries");
  }

  @Test
  void valueIndexAgreesWithTheModelAndKeepsFrozenVersions(TestReporter reporter) {
    long operations = 0;
    int tries = Tries.tries();
    for (int t = 0; t < tries; t++) {
      long seed = 0xBEEF + t;
      SplittableRandom rnd = new SplittableRandom(seed);
      Map<Integer, TreeSet<Long>> model = new HashMap<>();
      ValueIndex index = ValueIndex.empty();
      List<ValueIndex> versions = new ArrayList<>();
      List<Map<Integer, TreeSet<Long>>> contents = new ArrayList<>();
      LongTrie.Edit shared = new LongTrie.Edit();
      for (int step = 0; step < Tries.steps(); step++) {
        String where = "seed=" + seed + " step=" + step;
        int mode = rnd.nextInt(3);
        LongTrie.Edit token = mode == 0 ? null : mode == 1 ? new LongTrie.Edit() : shared;
        if (token == shared) {
          // the shared token may change any version holding its nodes in place (allowed by
          // design): older versions are checked only against null and fresh-token batches
          versions.clear();
          contents.clear();
        }
        ValueIndex.Editor e = index.editor(token);
        int ops = 1 + rnd.nextInt(60);
        for (int i = 0; i < ops; i++) {
          operations++;
          int g = rnd.nextInt(GROUPS.length);
          Object rep = GROUPS[g][rnd.nextInt(GROUPS[g].length)];
          long pk = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 200);
          if (rnd.nextInt(100) < 60) {
            e.add(rep, pk);
            model.computeIfAbsent(g, x -> new TreeSet<>()).add(pk);
          } else {
            e.remove(rep, pk);
            TreeSet<Long> set = model.get(g);
            if (set != null) {
              set.remove(pk);
            }
          }
        }
        index = e.freeze();
        assertIndex(model, index, where);
        for (int v = 0; v < versions.size(); v++) {
          assertIndex(contents.get(v), versions.get(v), where + ": frozen version " + v);
        }
        versions.add(index);
        contents.add(copy(model));
      }
    }
    reporter.publishEntry("randomOperations", Long.toString(operations));
  }

  @Test
  void frozenVersionSurvivesNullAndNewTokenEdits() {
    ValueIndex.Editor build = editor();
    for (int g = 0; g < GROUPS.length; g++) {
      for (long pk = 1; pk <= g + 1; pk++) {
        build.add(GROUPS[g][0], pk * 10 + g);
      }
    }
    ValueIndex base = build.freeze();
    Map<Object, List<Long>> before = entries(base);
    List<LongTrie<Object>> sets = new ArrayList<>();
    List<List<Long>> setContents = new ArrayList<>();
    for (Object[] group : GROUPS) {
      LongTrie<Object> set = base.get(group[0]);
      sets.add(set);
      setContents.add(pks(set));
    }
    for (LongTrie.Edit token : new LongTrie.Edit[] {null, new LongTrie.Edit()}) {
      ValueIndex.Editor e = base.editor(token);
      SplittableRandom rnd = new SplittableRandom(3);
      for (int i = 0; i < 2000; i++) {
        Object[] group = GROUPS[rnd.nextInt(GROUPS.length)];
        Object rep = group[rnd.nextInt(group.length)];
        if (rnd.nextBoolean()) {
          e.add(rep, rnd.nextInt(300));
        } else {
          e.remove(rep, rnd.nextInt(300));
        }
      }
      e.freeze();
      assertEquals(GROUPS.length, base.keyCount());
      assertEquals(before, entries(base), "token " + token);
      for (int g = 0; g < GROUPS.length; g++) {
        assertEquals(setContents.get(g), pks(sets.get(g)), "pk set of group " + g);
        assertSame(sets.get(g), base.get(GROUPS[g][0]), "the frozen index hands out the same set");
      }
    }
  }
}
