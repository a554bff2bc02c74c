package io.relstore.cache;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.CacheStats;
import io.relstore.ModelConfig;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.StoreInvariants;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Size-bounded and expiring tables with each on_delete rule on their children: an eviction is a
 * delete through the planner, so it cascades, nulls, sets defaults, constants and supplier values,
 * leaves an unconstrained DO_NOTHING reference dangling, and is refused, the row pinned, by PROTECT,
 * by RESTRICT (unless the restricting row goes with the same eviction, Django's exemption), and by a
 * DO_NOTHING reference with a database constraint, which would dangle at the eviction's commit.
 *
 * <p>Deterministic: a {@link ManualTicker} and {@code cacheExecutor(Runnable::run)}, no sleeps. Which
 * key W-TinyLFU evicts is Caffeine's business: under a size bound the tests assert what must hold
 * for whichever parents went (their children per the rule, the bound up to the pinned rows, the
 * statistics), and they force the choice with expiry where the exact outcome matters.
 * {@link StoreInvariants#check} runs after every step: no foreign key ever dangles.
 */
class CacheRulesTest {
  /** The value of {@code Parent.v} that marks the SET supplier's sentinel. */
  static final int SENTINEL = -1;
  static final int BOUND = 3;
  static final Duration TTL = Duration.ofMinutes(1);

  record Parent(@Id long id, int v) {
  }

  record Kid(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE, relatedName = "kids") long parent) {
  }

  record Orphan(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_NULL, relatedName = "orphans")
      @Nullable Long parent) {
  }

  /** SET_DEFAULT to the home parent, key 1. */
  record Defaulted(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_DEFAULT, relatedName = "defaulted")
      @Default("1") @Nullable Long parent) {
  }

  /** SET(1): the home parent, a constant. */
  record Moved(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET, relatedName = "moved") @Nullable Long parent) {
  }

  /** SET(sentinel): Django's {@code get_sentinel_user}, the sentinel a row of the bounded table. */
  record Sentineled(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET, relatedName = "sentineled")
      @Nullable Long parent) {
  }

  record Guard(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = PROTECT, relatedName = "guards")
      @Nullable Long parent) {
  }

  record Fence(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = RESTRICT, relatedName = "fences")
      @Nullable Long parent) {
  }

  /** RESTRICT on the parent, but CASCADE from a kid of the same parent: Django's exemption. */
  record Exempt(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = RESTRICT, relatedName = "exempts") long parent,
      @ForeignKey(to = Kid.class, onDelete = CASCADE, relatedName = "exempts") long kid) {
  }

  /** DO_NOTHING with the database constraint: the reference must not dangle at a commit. */
  record Held(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = DO_NOTHING, relatedName = "held")
      @Nullable Long parent) {
  }

  /** DO_NOTHING without a constraint: the reference may dangle, by design. */
  record Loose(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = DO_NOTHING, dbConstraint = false,
          relatedName = "loose") @Nullable Long parent) {
  }

  /** Keeps the home parent (the SET_DEFAULT and SET target) alive. */
  record Anchor(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = PROTECT, relatedName = "anchors") long parent) {
  }

  /** PROTECT on a kid: holds the kid's parent through the cascade. */
  record KidGuard(@Id long id,
      @ForeignKey(to = Kid.class, onDelete = PROTECT, relatedName = "kidGuards") long kid) {
  }

  /** A self-referencing tree whose subtrees go with their root. */
  record Node(@Id long id,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "children")
      @Nullable Long parent) {
  }

  /** A self-referencing hierarchy whose reports outlive their boss. */
  record Member(@Id long id,
      @ForeignKey(to = Member.class, onDelete = SET_NULL, relatedName = "reports")
      @Nullable Long boss) {
  }

  /** How the parent table is bounded. */
  enum Bound {
    SIZE {
      @Override
      void configure(ModelConfig<Parent> m) {
        m.maximumSize(BOUND);
      }
    },
    EXPIRY {
      @Override
      void configure(ModelConfig<Parent> m) {
        m.expireAfterWrite(TTL);
      }
    };

    abstract void configure(ModelConfig<Parent> m);
  }

  /** One on_delete rule on the parent: how a child is made, released, and what eviction does. */
  enum Rule {
    CASCADE, SET_NULL, SET_DEFAULT, SET_CONSTANT, SET_SUPPLIER, PROTECT, RESTRICT,
    RESTRICT_CASCADED, DO_NOTHING_CONSTRAINED, DO_NOTHING_UNCONSTRAINED;

    boolean blocks() {
      return this == PROTECT || this == RESTRICT || this == DO_NOTHING_CONSTRAINED;
    }

    /** Creates the child (and what it needs) of parent {@code p}; returns the row to watch. */
    Record child(Store s, long p) {
      return switch (this) {
        case CASCADE -> s.create(new Kid(0, p));
        case SET_NULL -> s.create(new Orphan(0, p));
        case SET_DEFAULT -> s.create(new Defaulted(0, p));
        case SET_CONSTANT -> s.create(new Moved(0, p));
        case SET_SUPPLIER -> s.create(new Sentineled(0, p));
        case PROTECT -> s.create(new Guard(0, p));
        case RESTRICT -> s.create(new Fence(0, p));
        case RESTRICT_CASCADED -> s.create(new Exempt(0, p, s.create(new Kid(0, p)).id()));
        case DO_NOTHING_CONSTRAINED -> s.create(new Held(0, p));
        case DO_NOTHING_UNCONSTRAINED -> s.create(new Loose(0, p));
      };
    }

    /** The watched child after its parent was evicted: gone, or as the rule left it. */
    @Nullable Record afterEviction(Record child, long home, long sentinel) {
      return switch (this) {
        case CASCADE, RESTRICT_CASCADED -> null;
        case SET_NULL -> new Orphan(((Orphan) child).id(), null);
        case SET_DEFAULT -> new Defaulted(((Defaulted) child).id(), home);
        case SET_CONSTANT -> new Moved(((Moved) child).id(), home);
        case SET_SUPPLIER -> new Sentineled(((Sentineled) child).id(), sentinel);
        case DO_NOTHING_UNCONSTRAINED -> child;
        case PROTECT, RESTRICT, DO_NOTHING_CONSTRAINED ->
            throw new AssertionError(this + " never lets its parent be evicted");
      };
    }
  }

  static Stream<Arguments> rulesAndBounds() {
    List<Arguments> out = new ArrayList<>();
    for (Rule r : Rule.values()) {
      for (Bound b : Bound.values()) {
        out.add(Arguments.of(r, b));
      }
    }
    return out.stream();
  }

  final ManualTicker ticker = new ManualTicker();
  Store store;
  Parent home;

  // ------------------------------------------------------------------ helpers, each step checked

  private Store.Builder builder() {
    return Store.builder().ticker(ticker).cacheExecutor(Runnable::run);
  }

  /** The rules schema, the parent bounded as given, with the home parent (key 1) anchored. */
  private void build(java.util.function.Consumer<ModelConfig<Parent>> parent) {
    store = builder()
        .add(Parent.class, parent)
        .add(Kid.class, Orphan.class, Defaulted.class)
        .add(Moved.class, m -> m.onDeleteSet("parent", 1L))
        .add(Sentineled.class, m -> m.onDeleteSetFrom("parent", CacheRulesTest::sentinel))
        .add(Guard.class, Fence.class, Exempt.class, Held.class, Loose.class, Anchor.class,
            KidGuard.class)
        .build();
    home = step(() -> store.create(new Parent(0, 0)));
    assertEquals(1, home.id());
    step(() -> store.create(new Anchor(0, home.id())));
  }

  /** The sentinel parent, created on first use (by the eviction's transaction). */
  static Parent sentinel(Store s) {
    for (Parent p : s.all(Parent.class)) {
      if (p.v() == SENTINEL) {
        return p;
      }
    }
    return s.create(new Parent(0, SENTINEL));
  }

  private <T> T step(Supplier<T> op) {
    T out = op.get();
    StoreInvariants.check(store);
    return out;
  }

  private void run(Runnable op) {
    op.run();
    StoreInvariants.check(store);
  }

  private void advance(Duration d) {
    ticker.advance(d);
    run(store::cleanUp);
  }

  /** Evicts what the bound asks for: a clean-up, after the TTL for an expiring table. */
  private void evict(Bound bound) {
    if (bound == Bound.EXPIRY) {
      ticker.advance(TTL.multipliedBy(2));
    }
    run(store::cleanUp);
  }

  private Set<Long> parentKeys() {
    Set<Long> out = new HashSet<>();
    for (Parent p : store.all(Parent.class)) {
      out.add(p.id());
    }
    return out;
  }

  private static long evictions(CacheStats s) {
    return s.evictionsBySize() + s.evictionsByExpiry();
  }

  /** Rows of {@code model} present whose delete would be refused (tried on a copy). */
  static <T extends Record> int undeletable(Store s, Class<T> model) {
    int n = 0;
    for (T row : s.all(model)) {
      try {
        s.copy().delete(row);
      } catch (StoreException refused) {
        n++;
      }
    }
    return n;
  }

  /** What a size bound promises after a clean-up: at most the bound, plus the pinned rows. */
  private void assertBounded(Class<? extends Record> model, long bound) {
    CacheStats s = store.cacheStats(model);
    assertTrue(store.count(model) - s.pinned() <= bound,
        model.getSimpleName() + ": " + store.count(model) + " rows, " + s);
    assertTrue(s.pinned() <= undeletable(store, model),
        "every pinned row is one whose delete is refused: " + s + ", refused "
            + undeletable(store, model));
  }

  /** The stored row with the key of {@code row}, or null (not a key read: no access recorded). */
  @SuppressWarnings("unchecked")
  private static <T extends Record> @Nullable T reread(Store s, T row) {
    for (Record r : s.all(row.getClass())) {
      if (key(r) == key(row)) {
        return (T) r;
      }
    }
    return null;
  }

  private static long key(Record r) {
    try {
      return (Long) r.getClass().getRecordComponents()[0].getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ each rule, each bound

  @ParameterizedTest(name = "{0} child of a {1}-bounded parent")
  @MethodSource("rulesAndBounds")
  void anEvictionAppliesTheRuleOfEachChild(Rule rule, Bound bound) {
    build(bound::configure);
    Map<Long, Record> childOf = new LinkedHashMap<>();
    for (int i = 1; i <= 12; i++) {
      int v = i;
      Record[] made = new Record[2];
      run(() -> store.atomic(() -> {
        Parent p = store.create(new Parent(0, v));
        made[0] = p;
        made[1] = rule.child(store, p.id());
      }));
      childOf.put(((Parent) made[0]).id(), made[1]);
    }
    evict(bound);
    Set<Long> present = parentKeys();
    List<Long> evicted = childOf.keySet().stream().filter(k -> !present.contains(k)).toList();
    CacheStats stats = store.cacheStats(Parent.class);
    if (bound == Bound.SIZE) {
      assertBounded(Parent.class, BOUND);
      assertEquals(0, stats.evictionsByExpiry());
    } else {
      assertEquals(0, stats.evictionsBySize());
    }
    assertTrue(present.contains(home.id()), "the anchored home parent stays");

    if (rule.blocks()) {
      assertEquals(List.of(), evicted, "no parent held by " + rule + " goes");
      assertEquals(0, evictions(stats), stats.toString());
      if (bound == Bound.EXPIRY) {
        assertEquals(13, stats.pinned(), "every expired parent is held, home included");
      }
      List<Record> children = new ArrayList<>(childOf.values());
      for (Record c : children.subList(0, 6)) {
        run(() -> store.delete(c));
      }
      CacheStats half = store.cacheStats(Parent.class);
      if (bound == Bound.EXPIRY) {
        assertEquals(7, half.pinned(),
            "the six parents still held and home stay pinned; the six released are not: " + half);
        assertEquals(13, store.count(Parent.class), "released rows restart their expiry");
      } else {
        assertBounded(Parent.class, BOUND);
      }
      for (Record c : children.subList(6, 12)) {
        run(() -> store.delete(c));
      }
      evict(bound);
      CacheStats after = store.cacheStats(Parent.class);
      assertTrue(after.pinned() <= 1, "only home may stay pinned: " + after);
      if (bound == Bound.EXPIRY) {
        assertEquals(Set.of(home.id()), parentKeys());
        assertEquals(12, after.evictionsByExpiry());
      } else {
        assertBounded(Parent.class, BOUND);
        assertEquals(13 - store.count(Parent.class), after.evictionsBySize());
      }
      return;
    }

    if (bound == Bound.EXPIRY) {
      assertEquals(new ArrayList<>(childOf.keySet()), evicted, "every parent expired");
      assertEquals(1, stats.pinned(), "home, held by its anchor: " + stats);
    } else {
      assertTrue(evicted.size() >= 12 + 1 - BOUND - (int) stats.pinned(), evicted.toString());
    }
    assertEquals(evicted.size(), evictions(stats), "one eviction per parent gone: " + stats);
    Parent sentinel = store.all(Parent.class).stream().filter(p -> p.v() == SENTINEL)
        .findFirst().orElse(null);
    if (rule == Rule.SET_SUPPLIER) {
      assertNotNull(sentinel, "the supplier made the sentinel in the eviction's transaction");
    } else {
      assertNull(sentinel);
    }
    for (Map.Entry<Long, Record> e : childOf.entrySet()) {
      Record child = e.getValue();
      Record expected = present.contains(e.getKey()) ? child
          : rule.afterEviction(child, home.id(), sentinel == null ? -1 : sentinel.id());
      assertEquals(expected, reread(store, child), "child of parent " + e.getKey()
          + (present.contains(e.getKey()) ? " (kept)" : " (evicted)"));
    }
    if (rule == Rule.RESTRICT_CASCADED) {
      assertEquals(12 - evicted.size(), store.count(Kid.class), "kids went with their parents");
    }
  }

  // ------------------------------------------------------------------ pins: what holds, and when it lets go

  @Test
  void aParentHeldThroughACascadedChildIsReleasedWhenTheGrandchildGoes() {
    build(m -> m.expireAfterWrite(TTL));
    Parent p = step(() -> store.create(new Parent(0, 1)));
    Kid kid = step(() -> store.create(new Kid(0, p.id())));
    KidGuard guard = step(() -> store.create(new KidGuard(0, kid.id())));
    advance(TTL.multipliedBy(2));
    assertEquals(p, store.all(Parent.class).get(1), "PROTECT on its kid holds the parent");
    assertEquals(2, store.cacheStats(Parent.class).pinned(), "the parent and home");
    run(() -> store.delete(guard));
    assertEquals(1, store.cacheStats(Parent.class).pinned(),
        "nothing holds the parent any more: only home stays pinned");
    advance(TTL.multipliedBy(2));
    assertEquals(List.of(home), store.all(Parent.class), "the parent expired, its kid with it");
    assertEquals(0, store.count(Kid.class));
  }

  @Test
  void aDoNothingReferenceKeepsItsParentPinnedWhileOtherRowsOfItsModelAreWritten() {
    build(m -> m.expireAfterWrite(TTL));
    Parent p = step(() -> store.create(new Parent(0, 1)));
    Held held = step(() -> store.create(new Held(0, p.id())));
    advance(TTL.multipliedBy(2));
    assertEquals(2, store.cacheStats(Parent.class).pinned(), "the held parent and home");
    step(() -> store.create(new Held(0, null)));
    assertEquals(2, store.cacheStats(Parent.class).pinned(),
        "an unrelated Held row does not release a parent its reference still holds");
    advance(TTL.multipliedBy(2));
    assertEquals(2, store.cacheStats(Parent.class).pinned());
    run(() -> store.delete(held));
    assertEquals(1, store.cacheStats(Parent.class).pinned());
    advance(TTL.multipliedBy(2));
    assertEquals(List.of(home), store.all(Parent.class));
  }

  @Test
  void aRestrictingRowCascadedFromAnotherParentPinsUntilThatParentsEvictionTakesIt() {
    build(m -> m.expireAfterWrite(TTL));
    Parent a = step(() -> store.create(new Parent(0, 1)));
    Parent b = step(() -> store.create(new Parent(0, 2)));
    ticker.advance(Duration.ofSeconds(40));
    run(() -> store.update(b));
    Kid bKid = step(() -> store.create(new Kid(0, b.id())));
    Exempt restricting = step(() -> store.create(new Exempt(0, a.id(), bKid.id())));
    advance(Duration.ofSeconds(25));
    assertEquals(List.of(home, a, b), store.all(Parent.class),
        "a expired, but the row restricting it is b's, not cascaded by a's eviction");
    assertEquals(2, store.cacheStats(Parent.class).pinned(), "a and home");
    assertEquals(restricting, reread(store, restricting));
    advance(Duration.ofSeconds(40));
    assertEquals(List.of(home, a), store.all(Parent.class),
        "b expired and took its kid and the restricting row with it");
    assertNull(reread(store, restricting));
    assertEquals(1, store.cacheStats(Parent.class).pinned(), "a is released");
    advance(Duration.ofSeconds(65));
    assertEquals(List.of(home), store.all(Parent.class));
    assertEquals(2, store.cacheStats(Parent.class).evictionsByExpiry());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setToHome")
  void aSetTargetThatIsGonePinsTheParentInsteadOfDangling(Rule rule) {
    store = builder()
        .add(Parent.class, m -> m.expireAfterWrite(TTL))
        .add(Kid.class, Orphan.class, Defaulted.class)
        .add(Moved.class, m -> m.onDeleteSet("parent", 1L))
        .add(Sentineled.class, m -> m.onDeleteSetFrom("parent", CacheRulesTest::sentinel))
        .add(Guard.class, Fence.class, Exempt.class, Held.class, Loose.class, Anchor.class,
            KidGuard.class)
        .build();
    Parent first = step(() -> store.create(new Parent(0, 0)));
    assertEquals(1, first.id(), "the SET target, with no anchor this time");
    Parent p = step(() -> store.create(new Parent(0, 1)));
    Record child = step(() -> rule.child(store, p.id()));
    advance(TTL.multipliedBy(2));
    List<Parent> left = store.all(Parent.class);
    assertEquals(1, left.size(),
        "whichever went first, the other is refused: its children would point at a gone row");
    assertEquals(1, store.cacheStats(Parent.class).pinned());
    assertEquals(1, store.cacheStats(Parent.class).evictionsByExpiry());
    Record now = reread(store, child);
    assertNotNull(now);
    long target = now instanceof Defaulted d ? d.parent() : ((Moved) now).parent();
    assertEquals(left.get(0).id(), target, "the child points at the parent that stayed");
  }

  static Stream<Rule> setToHome() {
    return Stream.of(Rule.SET_DEFAULT, Rule.SET_CONSTANT);
  }

  @Test
  void aSentinelInTheBoundedTableIsPinnedWhileChildrenPointAtIt() {
    build(m -> m.expireAfterWrite(TTL));
    List<Sentineled> children = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int v = i;
      Parent p = step(() -> store.create(new Parent(0, v)));
      children.add(step(() -> store.create(new Sentineled(0, p.id()))));
    }
    advance(TTL.multipliedBy(2));
    Parent sentinel = sentinel(store);
    assertEquals(List.of(home, sentinel), store.all(Parent.class));
    for (Sentineled c : children) {
      assertEquals(new Sentineled(c.id(), sentinel.id()), reread(store, c));
    }
    advance(TTL.multipliedBy(2));
    assertEquals(List.of(home, sentinel), store.all(Parent.class),
        "the sentinel expired too, but its children would be set to itself");
    assertEquals(2, store.cacheStats(Parent.class).pinned());
    for (Sentineled c : children) {
      run(() -> store.delete(c));
    }
    assertEquals(1, store.cacheStats(Parent.class).pinned());
    advance(TTL.multipliedBy(2));
    assertEquals(List.of(home), store.all(Parent.class));
  }

  @Test
  void aSizeBoundCountsPinnedRowsApart() {
    build(m -> m.maximumSize(BOUND));
    List<Guard> guards = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      int v = i;
      Parent p = step(() -> store.create(new Parent(0, v)));
      if (i % 4 == 0) {
        guards.add(step(() -> store.create(new Guard(0, p.id()))));
      }
      step(() -> store.getOrNull(Parent.class, p.id()));
    }
    run(store::cleanUp);
    assertBounded(Parent.class, BOUND);
    for (Guard g : guards) {
      assertNotNull(store.getOrNull(Parent.class, g.parent()), "guarded parents all stay");
    }
    CacheStats s = store.cacheStats(Parent.class);
    assertEquals(21 - store.count(Parent.class), s.evictionsBySize());
    assertEquals(store.count(Parent.class), s.policySize(),
        "the policy tracks every row, pinned ones included: " + s);
    for (Guard g : guards) {
      run(() -> store.delete(g));
    }
    run(store::cleanUp);
    assertBounded(Parent.class, BOUND);
    assertTrue(store.cacheStats(Parent.class).pinned() <= 1, "only home may stay pinned");
  }

  // ------------------------------------------------------------------ bounded children, trees

  @Test
  void aBoundedChildTableUnderABoundedParentKeepsBothBoundsAndEveryReference() {
    store = builder()
        .add(Parent.class, m -> m.maximumSize(BOUND))
        .add(Kid.class, m -> m.maximumSize(5))
        .build();
    int kids = 0;
    for (int i = 1; i <= 40; i++) {
      int v = i;
      Parent p = step(() -> store.atomic(() -> {
        Parent made = store.create(new Parent(0, v));
        for (int k = 0; k < 3; k++) {
          store.create(new Kid(0, made.id()));
        }
        return made;
      }));
      kids += 3;
      if (i % 3 == 0) {
        step(() -> store.getOrNull(Parent.class, p.id()));
      }
    }
    run(store::cleanUp);
    assertBounded(Parent.class, BOUND);
    assertBounded(Kid.class, 5);
    CacheStats parents = store.cacheStats(Parent.class);
    CacheStats kidStats = store.cacheStats(Kid.class);
    assertEquals(40 - store.count(Parent.class), parents.evictionsBySize());
    long kidsGone = kids - store.count(Kid.class);
    long cascaded = kidsGone - kidStats.evictionsBySize();
    assertTrue(cascaded >= 0 && cascaded <= 3 * parents.evictionsBySize(),
        kidsGone + " kids gone, " + kidStats);
    Map<Long, Integer> kidsOf = new LinkedHashMap<>();
    for (long p : parentKeys()) {
      kidsOf.put(p, 0);
    }
    for (Kid k : store.all(Kid.class)) {
      kidsOf.merge(k.parent(), 1, Integer::sum);
    }
    int missingUnderPresent = 0;
    for (int n : kidsOf.values()) {
      missingUnderPresent += 3 - n;
    }
    assertTrue(missingUnderPresent <= kidStats.evictionsBySize(),
        "kids of a parent still there went by their own eviction");
  }

  @Test
  void aParentsExpiryTakesTheRowsOfABoundedChildTableAsCascadesNotEvictions() {
    store = builder()
        .add(Parent.class, m -> m.expireAfterWrite(TTL))
        .add(Kid.class, m -> m.expireAfterWrite(TTL.multipliedBy(3)).maximumSize(100))
        .build();
    for (int i = 1; i <= 5; i++) {
      int v = i;
      run(() -> store.atomic(() -> {
        Parent p = store.create(new Parent(0, v));
        store.create(new Kid(0, p.id()));
        store.create(new Kid(0, p.id()));
      }));
    }
    advance(TTL.multipliedBy(2));
    assertEquals(0, store.count(Parent.class));
    assertEquals(0, store.count(Kid.class));
    assertEquals(5, store.cacheStats(Parent.class).evictionsByExpiry());
    CacheStats kids = store.cacheStats(Kid.class);
    assertEquals(0, evictions(kids), "the kids were cascaded, not evicted: " + kids);
    assertEquals(0, kids.policySize(), "and the kid policy forgot them");
  }

  @Test
  void anExpiredRootTakesItsWholeSubtreeEvenTheYoungerRows() {
    store = builder().add(Node.class, m -> m.expireAfterWrite(TTL)).build();
    Node root = step(() -> store.create(new Node(0, null)));
    ticker.advance(Duration.ofSeconds(50));
    List<Long> level = List.of(root.id());
    for (int depth = 0; depth < 3; depth++) {
      List<Long> next = new ArrayList<>();
      for (long parent : level) {
        for (int k = 0; k < 2; k++) {
          next.add(step(() -> store.create(new Node(0, parent))).id());
        }
      }
      level = next;
    }
    assertEquals(15, store.count(Node.class));
    advance(Duration.ofSeconds(20));
    assertEquals(0, store.count(Node.class), "the root expired; its subtree went with it");
    assertEquals(1, store.cacheStats(Node.class).evictionsByExpiry(), "one eviction");
    assertEquals(0, store.cacheStats(Node.class).policySize());
  }

  @Test
  void aSizeBoundedTreeNeverLeavesAChildWithoutItsParent() {
    store = builder().add(Node.class, m -> m.maximumSize(5)).build();
    List<Long> keys = new ArrayList<>();
    int created = 0;
    for (int i = 0; i < 60; i++) {
      Long parent = keys.isEmpty() ? null : keys.get((i * 7) % keys.size());
      Node n = step(() -> store.create(new Node(0, parent)));
      created++;
      keys.clear();
      for (Node live : store.all(Node.class)) {
        keys.add(live.id());
      }
      if (!keys.contains(n.id())) {
        continue;
      }
      step(() -> store.getOrNull(Node.class, n.id()));
    }
    run(store::cleanUp);
    assertBounded(Node.class, 5);
    CacheStats s = store.cacheStats(Node.class);
    long gone = created - store.count(Node.class);
    assertTrue(s.evictionsBySize() >= 1 && s.evictionsBySize() <= gone,
        "each eviction deletes a subtree of at least one row: " + gone + " gone, " + s);
  }

  @Test
  void anExpiredBossLeavesItsReportsWithoutABoss() {
    store = builder().add(Member.class, m -> m.expireAfterWrite(TTL)).build();
    Member boss = step(() -> store.create(new Member(0, null)));
    ticker.advance(Duration.ofSeconds(50));
    Member a = step(() -> store.create(new Member(0, boss.id())));
    Member b = step(() -> store.create(new Member(0, a.id())));
    advance(Duration.ofSeconds(20));
    assertEquals(List.of(new Member(a.id(), null), b), store.all(Member.class),
        "the boss expired; its report stays, without a boss");
    advance(TTL.multipliedBy(3));
    advance(TTL.multipliedBy(3));
    assertEquals(List.of(), store.all(Member.class),
        "(a SET_NULL by an eviction is a write: a report may outlive its boss by one TTL)");
    assertEquals(3, store.cacheStats(Member.class).evictionsByExpiry());
  }

  @Test
  void aSizeBoundedHierarchyNullsTheBossOfEveryReportOfAnEvictedMember() {
    store = builder().add(Member.class, m -> m.maximumSize(4)).build();
    Map<Long, @Nullable Long> bossOf = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      List<Member> live = store.all(Member.class);
      Long boss = live.isEmpty() ? null : live.get((i * 5) % live.size()).id();
      Member m = step(() -> store.create(new Member(0, boss)));
      bossOf.put(m.id(), boss);
    }
    run(store::cleanUp);
    assertBounded(Member.class, 4);
    Set<Long> present = new HashSet<>();
    for (Member m : store.all(Member.class)) {
      present.add(m.id());
    }
    for (Member m : store.all(Member.class)) {
      Long written = bossOf.get(m.id());
      if (written != null && !present.contains(written)) {
        assertNull(m.boss(), m + ": its boss was evicted");
      } else {
        assertEquals(written, m.boss(), m + ": its boss is still there");
      }
    }
    assertEquals(40 - store.count(Member.class),
        store.cacheStats(Member.class).evictionsBySize(), "SET_NULL: every gone row was evicted");
  }

  // ------------------------------------------------------------------ the policy knows every row

  @Test
  void aRowRewrittenInTheTransactionDuringWhichItExpiredIsKept() {
    build(m -> m.expireAfterWrite(TTL));
    Parent p = step(() -> store.create(new Parent(0, 1)));
    ticker.advance(TTL.plusSeconds(10));
    run(() -> store.atomic(() -> {
      Parent read = store.get(Parent.class, p.id());
      store.update(new Parent(read.id(), read.v() + 1));
    }));
    assertEquals(new Parent(p.id(), 2), store.getOrNull(Parent.class, p.id()),
        "written at this commit: it expires a TTL from now, not at once");
    assertEquals(0, store.cacheStats(Parent.class).evictionsByExpiry());
    advance(TTL.plusSeconds(10));
    assertNull(store.getOrNull(Parent.class, p.id()));
  }

  @Test
  void anUpdateOfARowWhoseExpiryPassedUnnoticedKeepsTheRowItWrote() {
    build(m -> m.expireAfterWrite(TTL));
    Parent p = step(() -> store.create(new Parent(0, 1)));
    Orphan orphan = step(() -> store.create(new Orphan(0, p.id())));
    ticker.advance(TTL.plusSeconds(10));
    Parent updated = step(() -> store.update(new Parent(p.id(), 2)));
    assertEquals(List.of(home, updated), store.all(Parent.class),
        "no clean-up ran since it expired; the update is its last write");
    assertEquals(orphan, reread(store, orphan));
    assertEquals(0, store.cacheStats(Parent.class).evictionsByExpiry());
  }

  @Test
  void restoringASnapshotKeepsTheRestoredRowsExpiring() {
    store = builder().add(Parent.class, m -> m.expireAfterWrite(TTL)).build();
    Parent p = step(() -> store.create(new Parent(0, 1)));
    Store before = store.snapshot();
    advance(TTL.multipliedBy(2));
    assertEquals(0, store.count(Parent.class));
    run(() -> store.restore(before));
    assertEquals(List.of(p), store.all(Parent.class));
    advance(TTL.multipliedBy(2));
    assertEquals(List.of(), store.all(Parent.class), "the restored row expires like any other");
  }

  @Test
  void restoringASnapshotKeepsTheTableBounded() {
    store = builder().add(Parent.class, m -> m.maximumSize(BOUND)).build();
    for (int i = 0; i < BOUND; i++) {
      int v = i;
      step(() -> store.create(new Parent(0, v)));
    }
    Store full = store.snapshot();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 2 * BOUND; i++) {
        int v = i;
        step(() -> store.create(new Parent(0, v)));
      }
      run(() -> store.restore(full));
      for (int i = 0; i < 2 * BOUND; i++) {
        int v = i;
        step(() -> store.create(new Parent(0, v)));
      }
      run(store::cleanUp);
      assertBounded(Parent.class, BOUND);
    }
  }

  @Test
  void aCopyOfAnExpiringTableKeepsExpiring() {
    store = builder().add(Parent.class, m -> m.expireAfterWrite(TTL)).build();
    step(() -> store.create(new Parent(0, 1)));
    Store copy = io.relstore.testing.InvariantsExtension.track(store.copy());
    ticker.advance(TTL.multipliedBy(2));
    copy.cleanUp();
    assertEquals(List.of(), copy.all(Parent.class), "the copied row expires in the copy too");
  }
}
