package io.relstore.internal.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * SortedIndex against a TreeSet of (value, pk) pairs: after every batch of random inserts and
 * removals, both iterate the same entries in both directions, ranks agree for every probe, range
 * cursors start where they should, and older versions are unchanged (persistence). The same
 * through an {@link SortedIndex.Editor} that changes its own token's nodes in place: a version
 * frozen before the token changes (a transaction's snapshot) never changes afterwards, and the
 * tree keeps its shape (sizes, first entries, capacities) after every change.
 */
class SortedIndexTest {
  private record E(int value, long pk) implements Comparable<E> {
    @Override
    public int compareTo(E o) {
      int c = Integer.compare(value, o.value);
      return c != 0 ? c : Long.compare(pk, o.pk);
    }
  }

  private static List<E> contents(SortedIndex index, boolean ascending) {
    List<E> out = new ArrayList<>();
    SortedIndex.Cursor c = index.cursor(ascending);
    while (c.next()) {
      out.add(new E((Integer) c.value(), c.pk()));
    }
    return out;
  }

  @Test
  void randomEditsMatchATreeSetInEveryDirectionRankAndRange() {
    int tries = Integer.getInteger("relstore.tries", 25);
    for (int t = 0; t < tries; t++) {
      SplittableRandom random = new SplittableRandom(1000 + t);
      SortedIndex index = SortedIndex.empty();
      TreeSet<E> model = new TreeSet<>();
      int values = 1 + random.nextInt(200);
      for (int step = 0; step < 3000; step++) {
        E e = new E(random.nextInt(values), 1 + random.nextInt(400));
        if (random.nextInt(3) == 0) {
          index = index.without(e.value(), e.pk());
          model.remove(e);
        } else {
          index = index.with(e.value(), e.pk());
          model.add(e);
        }
        if (step % 500 == 499) {
          SortedIndex frozen = index;
          List<E> before = contents(frozen, true);
          assertEquals(new ArrayList<>(model), before, "seed " + t);
          assertEquals(new ArrayList<>(model.descendingSet()), contents(index, false));
          assertEquals(model.size(), index.size());
          for (int v = -1; v <= values; v++) {
            int below = model.headSet(new E(v, Long.MIN_VALUE)).size();
            int upTo = model.headSet(new E(v, Long.MAX_VALUE)).size();
            assertEquals(below, index.rank(v, false), "rank below " + v);
            assertEquals(upTo, index.rank(v, true), "rank up to " + v);
            SortedIndex.Cursor c = index.cursorFrom(v, true);
            E expected = model.ceiling(new E(v, Long.MIN_VALUE));
            assertEquals(expected != null, c.next());
            if (expected != null) {
              assertEquals(expected, new E((Integer) c.value(), c.pk()));
            }
          }
          index = index.with(-5, 1).with(values + 5, 2);
          assertEquals(before, contents(frozen, true), "an old version never changes");
          index = index.without(-5, 1).without(values + 5, 2);
        }
      }
    }
  }

  @Test
  void inPlaceEditsMatchATreeSetAndNeverChangeASealedVersion() {
    int tries = Integer.getInteger("relstore.tries", 25);
    for (int t = 0; t < tries; t++) {
      SplittableRandom random = new SplittableRandom(5000 + t);
      SortedIndex.Editor editor = SortedIndex.empty().editor(new LongTrie.Edit());
      TreeSet<E> model = new TreeSet<>();
      List<SortedIndex> sealed = new ArrayList<>();
      List<List<E>> sealedContents = new ArrayList<>();
      int values = 1 + random.nextInt(300);
      int steps = 2000 + random.nextInt(4000);
      for (int step = 0; step < steps; step++) {
        E e = new E(random.nextInt(values), 1 + random.nextInt(3000));
        if (random.nextInt(3) == 0) {
          editor.remove(e.value(), e.pk());
          model.remove(e);
        } else {
          editor.add(e.value(), e.pk());
          model.add(e);
        }
        if (random.nextInt(400) == 0) {
          SortedIndex frozen = editor.freeze();
          sealed.add(frozen);
          sealedContents.add(new ArrayList<>(model));
          editor = frozen.editor(new LongTrie.Edit());
        }
      }
      SortedIndex index = editor.freeze();
      assertEquals(null, index.structureFault(), "seed " + t);
      assertEquals(new ArrayList<>(model), contents(index, true), "seed " + t);
      assertEquals(model.size(), index.size());
      for (int v = 0; v < values; v++) {
        int equal = model.subSet(new E(v, Long.MIN_VALUE), new E(v, Long.MAX_VALUE)).size();
        assertEquals(equal, index.count(v), "count of " + v);
        List<Long> keys = new ArrayList<>();
        index.forEachEqual(v, keys::add);
        assertEquals(equal, keys.size(), "keys equal to " + v);
      }
      for (int i = 0; i < sealed.size(); i++) {
        assertEquals(null, sealed.get(i).structureFault());
        assertEquals(sealedContents.get(i), contents(sealed.get(i), true),
            "seed " + t + ": sealed version " + i + " changed");
      }
    }
  }

  @Test
  void nullsAreKeptApartInKeyOrder() {
    SortedIndex index = SortedIndex.empty().with(null, 7).with(3, 1).with(null, 2);
    assertEquals(1, index.size());
    List<Long> nulls = new ArrayList<>();
    index.nulls().forEachKey(nulls::add);
    assertEquals(List.of(2L, 7L), nulls);
    assertEquals(List.of(7L), keys(index.without(null, 2)));
  }

  private static List<Long> keys(SortedIndex index) {
    List<Long> out = new ArrayList<>();
    index.nulls().forEachKey(out::add);
    return out;
  }
}
