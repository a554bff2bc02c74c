package io.relstore.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: it must find a planted bug, shrink it to the minimal sequence, print a
 * reproduction that reproduces, run a passing property as often as asked, and replay a seed exactly.
 */
class HarnessTest {

  /** A growable int list; {@code buggy} plants a bug: growing drops the last element's value. */
  static final class IntList {
    private final boolean buggy;
    private int[] items = new int[2];
    private int size;

    IntList(boolean buggy) {
      this.buggy = buggy;
    }

    void add(int value) {
      if (size == items.length) {
        int[] bigger = new int[size * 2];
        System.arraycopy(items, 0, bigger, 0, buggy ? size - 1 : size);
        items = bigger;
      }
      items[size++] = value;
    }

    int removeAt(int index) {
      int removed = get(index);
      System.arraycopy(items, index + 1, items, index, size - index - 1);
      size--;
      return removed;
    }

    int get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return items[index];
    }

    int size() {
      return size;
    }

    List<Integer> toList() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        out.add(items[i]);
      }
      return out;
    }
  }

  record Add(int value) implements Action<IntList, List<Integer>> {
    @Override
    public @Nullable Object onSystem(IntList list) {
      list.add(value);
      return null;
    }

    @Override
    public @Nullable Object onModel(List<Integer> list) {
      list.add(value);
      return null;
    }

    @Override
    public List<Add> shrink() {
      List<Add> out = new ArrayList<>();
      for (int v : new int[] {0, Math.abs(value), value / 2, value - Integer.signum(value)}) {
        if (Math.abs(v) < Math.abs(value) || (v > 0 && v == -value)) {
          Add candidate = new Add(v);
          if (!out.contains(candidate)) {
            out.add(candidate);
          }
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return "list.add(" + value + ");";
    }
  }

  record RemoveAt(int k) implements Action<IntList, List<Integer>> {
    @Override
    public Object onSystem(IntList list) {
      return list.size() == 0 ? SKIP : list.removeAt(k % list.size());
    }

    @Override
    public Object onModel(List<Integer> list) {
      return list.isEmpty() ? SKIP : list.remove(k % list.size());
    }

    @Override
    public String toString() {
      return "list.removeAt(" + k + " % list.size());";
    }
  }

  record Get(int index) implements Action<IntList, List<Integer>> {
    @Override
    public Object onSystem(IntList list) {
      return list.get(index);
    }

    @Override
    public Object onModel(List<Integer> list) {
      return list.get(index);
    }

    @Override
    public String toString() {
      return "list.get(" + index + ");";
    }
  }

  static Action<IntList, List<Integer>> randomAction(SplittableRandom random) {
    int roll = random.nextInt(10);
    if (roll < 5) {
      return new Add(random.nextInt(-100, 101));
    }
    return roll < 8 ? new RemoveAt(random.nextInt(100)) : new Get(random.nextInt(-1, 4));
  }

  /** The CI scale, whatever {@code relstore.*} properties this JVM was given. */
  static final Property.Settings UNSEEDED = new Property.Settings(25, 60, null);

  static Property<IntList, List<Integer>> listProperty(boolean buggy) {
    return Property.<IntList, List<Integer>>of(HarnessTest.class, () -> new IntList(buggy),
            ArrayList::new, HarnessTest::randomAction)
        .invariant((list, model) -> assertEquals(model, list.toList(), "list contents"))
        .setup("IntList list = new IntList(" + buggy + ");")
        .settings(UNSEEDED);
  }

  @Test
  void findsAPlantedBugAndShrinksItToTheThreeAddsThatExposeIt() {
    for (long seed = 1; seed <= 20; seed++) {
      PropertyFailure failure = assertThrows(PropertyFailure.class,
          listProperty(true).seed(seed)::check);

      assertEquals(seed, failure.seed());
      assertEquals(60, failure.drawn().size());
      assertEquals(List.of(new Add(0), new Add(1), new Add(0)), failure.shrunk(), "seed " + seed);
      assertTrue(failure.getMessage().contains(String.join("\n",
          "    IntList list = new IntList(true);",
          "    list.add(0);",
          "    list.add(1);",
          "    list.add(0);")), failure.getMessage());
      assertTrue(failure.getMessage().contains("seed " + seed + " "), failure.getMessage());
      assertInstanceOf(AssertionError.class, failure.getCause());
    }
  }

  @Test
  void thePrintedReproductionReproducesTheBug() {
    IntList list = new IntList(true);
    list.add(0);
    list.add(1);
    list.add(0);

    assertNotEquals(List.of(0, 1, 0), list.toList());
  }

  @Test
  void findsThePlantedBugFromFreshSeeds() {
    PropertyFailure failure = assertThrows(PropertyFailure.class, listProperty(true)::check);

    assertEquals(3, failure.shrunk().size(), failure.getMessage());
    assertTrue(failure.getMessage().contains(" -Drelstore.seed=" + failure.seed() + " "),
        failure.getMessage());
  }

  @Test
  void theMessageNamesTheSeedTheReplayCommandAndTheFailure() {
    PropertyFailure failure = assertThrows(PropertyFailure.class,
        listProperty(true).seed(7)::check);

    String message = failure.getMessage();
    assertTrue(message.startsWith("Property HarnessTest failed on try 1 of 1, seed 7 (60 steps);"
        + " shrunk to 3 actions in "), message);
    assertTrue(message.contains("Replay: mvn -B verify -pl src-test -am -Dtest=HarnessTest"
        + " -Drelstore.seed=7 -Dsurefire.failIfNoSpecifiedTests=false\n"), message);
    assertTrue(message.contains("list.add(0);") && message.contains("// <- fails here"), message);
    assertTrue(message.contains("Failure: org.opentest4j.AssertionFailedError: list contents"
        + " ==> expected: <[0, 1, 0]> but was: <[0, 0, 0]>"), message);
  }

  @Test
  void theReplayCommandNamesTheStepsWhenTheyAreNotTheDefault() {
    Property<IntList, List<Integer>> property = listProperty(true).steps(200);

    assertEquals("mvn -B verify -pl src-test -am -Dtest=HarnessTest -Drelstore.seed=-5"
        + " -Drelstore.steps=200 -Dsurefire.failIfNoSpecifiedTests=false",
        property.replayCommand(-5));
  }

  @Test
  void aPassingPropertyRunsEveryTryAndEveryStep() {
    AtomicInteger systems = new AtomicInteger();
    AtomicInteger steps = new AtomicInteger();
    Property<IntList, List<Integer>> property = Property.<IntList, List<Integer>>of(
            HarnessTest.class,
            () -> {
              systems.incrementAndGet();
              return new IntList(false);
            },
            ArrayList::new, HarnessTest::randomAction)
        .invariant((list, model) -> {
          steps.incrementAndGet();
          assertEquals(model, list.toList());
        })
        .settings(new Property.Settings(7, 13, null));

    Property.Report report = property.check();

    assertEquals(new Property.Report(7, 13), report);
    assertEquals(7, systems.get());
    assertEquals(7 * (13 + 1), steps.get(), "the invariant runs before the first step and after each");
  }

  @Test
  void theSameSeedDrawsTheSameSequenceAndShrinksItTheSameWay() {
    Property<IntList, List<Integer>> property = listProperty(true);

    assertEquals(property.actions(42), property.actions(42));
    assertNotEquals(property.actions(42), property.actions(43));
    PropertyFailure first = assertThrows(PropertyFailure.class, listProperty(true).seed(42)::check);
    PropertyFailure again = assertThrows(PropertyFailure.class, listProperty(true).seed(42)::check);
    assertEquals(first.getMessage(), again.getMessage());
    assertEquals(property.actions(42), first.drawn());
  }

  @Test
  void aLongerRunStartsWithTheSequenceOfAShorterOne() {
    List<Action<IntList, List<Integer>>> longer = listProperty(true).steps(100).actions(9);

    assertEquals(listProperty(true).steps(60).actions(9), longer.subList(0, 60));
  }

  @Test
  void aSeedRunsOnlyThatSeed() {
    Property.Report report = listProperty(false).seed(3).check();

    assertEquals(1, report.tries());
  }

  @Test
  void outcomesThatDifferFailTheProperty() {
    Property<IntList, List<Integer>> property = Property.<IntList, List<Integer>>of(
            HarnessTest.class, () -> new IntList(false), () -> new ArrayList<>(List.of(7)),
            random -> new Get(random.nextInt(-1, 3)))
        .errorView(e -> e instanceof IndexOutOfBoundsException ? "out of bounds" : e.getClass());

    PropertyFailure failure = assertThrows(PropertyFailure.class, property.seed(1)::check);

    assertEquals(List.of(new Get(0)), failure.shrunk());
    String cause = failure.getCause().getMessage();
    assertTrue(cause.contains("system: throws out of bounds\n  model:  7"), cause);
  }

  @Test
  void theErrorViewDecidesWhichExceptionsAgree() {
    // IntList throws IndexOutOfBoundsException, Arrays.asList its subclass ArrayIndexOutOfBounds...
    Property<IntList, List<Integer>> byClass = Property.<IntList, List<Integer>>of(
        HarnessTest.class, () -> new IntList(false), () -> Arrays.asList(new Integer[0]),
        random -> new Get(random.nextInt(0, 3)));
    Property<IntList, List<Integer>> byKind = Property.<IntList, List<Integer>>of(
            HarnessTest.class, () -> new IntList(false), () -> Arrays.asList(new Integer[0]),
            random -> new Get(random.nextInt(0, 3)))
        .errorView(e -> e instanceof IndexOutOfBoundsException ? "out of bounds" : e.getClass());

    assertThrows(PropertyFailure.class, byClass.seed(1)::check);
    assertEquals(new Property.Report(25, 60), byKind.settings(UNSEEDED).check());
  }

  @Test
  void anActionThatFailsItsOwnCheckFailsTheProperty() {
    record Checked(int value) implements Action<IntList, List<Integer>> {
      @Override
      public @Nullable Object onSystem(IntList list) {
        list.add(value);
        assertTrue(value < 50, "too big: " + value);
        return null;
      }

      @Override
      public @Nullable Object onModel(List<Integer> list) {
        list.add(value);
        return null;
      }

      @Override
      public List<Checked> shrink() {
        return value > 50 ? List.of(new Checked(50), new Checked(value - 1)) : List.of();
      }
    }
    Property<IntList, List<Integer>> property = Property.<IntList, List<Integer>>of(
        HarnessTest.class, () -> new IntList(false), ArrayList::new,
        random -> new Checked(random.nextInt(100)));

    PropertyFailure failure = assertThrows(PropertyFailure.class, property.seed(5)::check);

    assertEquals(List.of(new Checked(50)), failure.shrunk());
  }

  @Test
  void settingsIgnoreEmptyAndUnresolvedValues() {
    assertEquals(new Property.Settings(25, 60, null),
        Property.Settings.parse("", "${relstore.steps}", "${relstore.seed}"));
    assertEquals(new Property.Settings(25, 60, null), Property.Settings.parse(null, " ", null));
    assertEquals(new Property.Settings(7, 9, -42L), Property.Settings.parse("7", "9", "-42"));
    assertThrows(IllegalArgumentException.class, () -> Property.Settings.parse("0", "", ""));
  }

  @Test
  void theSettingsComeFromTheSystemProperties() {
    Property.Settings settings = Property.Settings.fromSystemProperties();

    assertEquals(Integer.getInteger("relstore.tries", 25), settings.tries());
    assertEquals(Integer.getInteger("relstore.steps", 60), settings.steps());
    String seed = System.getProperty("relstore.seed", "");
    if (seed.isBlank()) {
      assertNull(settings.seed());
    } else {
      assertEquals(Long.parseLong(seed.strip()), settings.seed());
    }
  }
}
