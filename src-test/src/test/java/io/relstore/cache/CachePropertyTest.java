package io.relstore.cache;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.CacheStats;
import io.relstore.DeletePlan;
import io.relstore.DeleteResult;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.RestrictedError;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.StoreInvariants;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.OnDelete;
import io.relstore.harness.Action;
import io.relstore.harness.Property;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A stateful property of bounded and expiring tables whose evictions obey on_delete, on the seeded
 * harness ({@link Property}). The schema: {@code Node}, bounded ({@value #BOUND} rows) and
 * expiring after write, a self-referencing table (a CASCADE tree and a SET_NULL reference), whose
 * children are {@code Kid} (CASCADE, itself expiring after access), {@code Orphan} (SET_NULL),
 * {@code Moved} (SET(1) and SET_DEFAULT to 1), {@code Guard} (PROTECT), {@code Fence} (RESTRICT on
 * a node, CASCADE from a kid: exempt when the same delete takes the kid), {@code Loose} (DO_NOTHING,
 * no constraint), {@code Ref} (DO_NOTHING with the constraint) and, on kids, {@code Stub}
 * (PROTECT, which holds a node through the cascade); node 1, the SET target, is anchored.
 *
 * <p>Random sequences mix creates, updates and deletes of every model, key reads ({@code get} by a
 * live or a gone key, forward {@code follow}s), read-modify-write transactions, time advances of a
 * {@link ManualTicker} and {@code cleanUp()}, with {@code cacheExecutor(Runnable::run)}. The
 * reference is deliberately simple: the rows the user wrote and did not delete, when each was
 * last written or read, and what each step read. The property, after every step:
 * <ol>
 *   <li>{@link StoreInvariants#check} passes (no foreign key dangles but the unconstrained one);
 *   <li>every step's outcome (the row created, updated, read or followed) is the reference's, and
 *       a user delete does what its {@code planDelete} said;
 *   <li>every row in the store is one the user wrote and did not delete, with the values written,
 *       except foreign keys set to their rule's value (null, 1); nothing appears from nowhere;
 *   <li>a row that disappeared without a user delete is explained by an eviction: an eviction root
 *       is a node, or a kid whose access expiry may have passed; every other disappeared row was
 *       cascaded from a disappeared row; a row left referencing a disappeared row was set to its
 *       rule's value, or is the unconstrained DO_NOTHING reference;
 *   <li>the statistics account for it: evictions of nodes between the number of roots and the
 *       number of nodes gone, evictions by expiry no more than the rows gone whose expiry may have
 *       passed (by their last write, including one in this very step), hits and misses exactly the
 *       key reads that found and missed;
 *   <li>an eviction's effect is exactly the delete planner's: when a step made no eviction, the
 *       store is exactly as the user's own operation left it; when it made exactly one, exactly
 *       as that operation followed by {@code planDelete(root)} leaves it;
 *   <li>pinned rows are exactly the ones PROTECT, RESTRICT or a constrained reference keeps alive:
 *       never more pinned rows than rows whose delete is refused; after {@code cleanUp()}, every
 *       row whose expiry passed (allowing for Caffeine's timer wheel) is gone or refused and
 *       pinned, the unpinned nodes are at most the bound, and each policy tracks exactly the rows
 *       of its table.
 * </ol>
 *
 * <p>CI runs {@code relstore.tries} × {@code relstore.steps} (25 × 60, about 1 ms a step);
 * {@code -Drelstore.tries=500 -Drelstore.steps=200} runs many, {@code -Drelstore.seed=...}
 * replays one (see {@link Property}); a failure prints the shrunk sequence as lines on
 * {@link Sut}, whose methods print and do the same as the actions.
 */
class CachePropertyTest {
  static final int BOUND = 4;
  static final Duration NODE_TTL = Duration.ofMinutes(5);
  static final Duration KID_TTL = Duration.ofMinutes(3);
  /** How late Caffeine's timer wheel may expire a row (its second level spans 2^36 ns). */
  static final Duration LATE = Duration.ofMinutes(3);

  record Node(@Id long id,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "subtree")
      @Nullable Long parent,
      @ForeignKey(to = Node.class, onDelete = SET_NULL, relatedName = "followers")
      @Nullable Long follows,
      int v) {
  }

  record Kid(@Id long id,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "kids") long node, int v) {
  }

  record Orphan(@Id long id,
      @ForeignKey(to = Node.class, onDelete = SET_NULL, relatedName = "orphans")
      @Nullable Long node) {
  }

  record Moved(@Id long id,
      @ForeignKey(to = Node.class, onDelete = SET, relatedName = "moved") @Nullable Long node,
      @ForeignKey(to = Node.class, onDelete = SET_DEFAULT, relatedName = "homed") @Default("1")
      @Nullable Long home) {
  }

  record Guard(@Id long id,
      @ForeignKey(to = Node.class, onDelete = PROTECT, relatedName = "guards")
      @Nullable Long node) {
  }

  record Fence(@Id long id,
      @ForeignKey(to = Node.class, onDelete = RESTRICT, relatedName = "fences")
      @Nullable Long node,
      @ForeignKey(to = Kid.class, onDelete = CASCADE, relatedName = "fences") @Nullable Long kid) {
  }

  record Stub(@Id long id,
      @ForeignKey(to = Kid.class, onDelete = PROTECT, relatedName = "stubs") @Nullable Long kid) {
  }

  record Loose(@Id long id,
      @ForeignKey(to = Node.class, onDelete = DO_NOTHING, dbConstraint = false,
          relatedName = "loose") @Nullable Long node) {
  }

  record Ref(@Id long id,
      @ForeignKey(to = Node.class, onDelete = DO_NOTHING, relatedName = "refs")
      @Nullable Long node) {
  }

  record Anchor(@Id long id,
      @ForeignKey(to = Node.class, onDelete = PROTECT, relatedName = "anchors") long node) {
  }

  /** A foreign key as the reference knows it. */
  record Fk(Class<? extends Record> model, String field, Class<? extends Record> target,
      OnDelete rule, boolean nullable, boolean constrained) {
    /** The value SET_NULL, SET and SET_DEFAULT give it. */
    @Nullable Long ruleValue() {
      return rule == SET_NULL ? null : Long.valueOf(1);
    }

    boolean setsValue() {
      return rule == SET_NULL || rule == SET || rule == SET_DEFAULT;
    }
  }

  static final List<Fk> FKS = List.of(
      new Fk(Node.class, "parent", Node.class, CASCADE, true, true),
      new Fk(Node.class, "follows", Node.class, SET_NULL, true, true),
      new Fk(Kid.class, "node", Node.class, CASCADE, false, true),
      new Fk(Orphan.class, "node", Node.class, SET_NULL, true, true),
      new Fk(Moved.class, "node", Node.class, SET, true, true),
      new Fk(Moved.class, "home", Node.class, SET_DEFAULT, true, true),
      new Fk(Guard.class, "node", Node.class, PROTECT, true, true),
      new Fk(Fence.class, "node", Node.class, RESTRICT, true, true),
      new Fk(Fence.class, "kid", Kid.class, CASCADE, true, true),
      new Fk(Stub.class, "kid", Kid.class, PROTECT, true, true),
      new Fk(Loose.class, "node", Node.class, DO_NOTHING, true, false),
      new Fk(Ref.class, "node", Node.class, DO_NOTHING, true, true),
      new Fk(Anchor.class, "node", Node.class, PROTECT, false, true));

  static final List<Class<? extends Record>> MODELS = List.of(Node.class, Kid.class, Orphan.class,
      Moved.class, Guard.class, Fence.class, Stub.class, Loose.class, Ref.class, Anchor.class);
  /** The models the actions write (the anchor stays). */
  static final List<Class<? extends Record>> WRITABLE = MODELS.subList(0, MODELS.size() - 1);
  /** The cached models and their expiry. */
  static final Map<Class<? extends Record>, Duration> TTL =
      Map.of(Node.class, NODE_TTL, Kid.class, KID_TTL);

  static Store newStore(ManualTicker ticker) {
    return Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(Node.class, m -> m.maximumSize(BOUND).expireAfterWrite(NODE_TTL))
        .add(Kid.class, m -> m.expireAfterAccess(KID_TTL))
        .add(Orphan.class)
        .add(Moved.class, m -> m.onDeleteSet("node", 1L))
        .add(Guard.class, Fence.class, Stub.class, Loose.class, Ref.class, Anchor.class)
        .build();
  }

  static Property<Sut, Reference> property() {
    return Property.of(CachePropertyTest.class, Sut::new, Reference::new,
            CachePropertyTest::randomAction)
        .invariant(CachePropertyTest::check)
        .setup("Sut sut = new Sut();")
        .shrinkRuns(400);
  }

  @Test
  void evictionsAreDeletesThroughTheRulesAndEveryMissingRowIsExplained() {
    property().check();
  }

  // ------------------------------------------------------------------ rows, reflectively

  static List<Fk> fks(Class<?> model) {
    List<Fk> out = new ArrayList<>();
    for (Fk f : FKS) {
      if (f.model() == model) {
        out.add(f);
      }
    }
    return out;
  }

  static Fk fk(Class<?> model, String field) {
    for (Fk f : fks(model)) {
      if (f.field().equals(field)) {
        return f;
      }
    }
    throw new IllegalArgumentException(model.getSimpleName() + "." + field);
  }

  static Class<? extends Record> model(String name) {
    for (Class<? extends Record> m : MODELS) {
      if (m.getSimpleName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  static @Nullable Object value(Record r, String field) {
    try {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        if (c.getName().equals(field)) {
          c.getAccessor().setAccessible(true);
          return c.getAccessor().invoke(r);
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalArgumentException(r.getClass().getSimpleName() + "." + field);
  }

  static long key(Record r) {
    return (Long) Objects.requireNonNull(value(r, "id"));
  }

  /** A record of {@code model} from its values by component name (missing ones: 0 or null). */
  static <T extends Record> T make(Class<T> model, Map<String, @Nullable Object> values) {
    RecordComponent[] cs = model.getRecordComponents();
    Class<?>[] types = new Class<?>[cs.length];
    Object[] args = new Object[cs.length];
    for (int i = 0; i < cs.length; i++) {
      types[i] = cs[i].getType();
      Object v = values.get(cs[i].getName());
      args[i] = v != null ? v : types[i] == long.class ? (Object) 0L
          : types[i] == int.class ? (Object) 0 : null;
    }
    try {
      Constructor<T> c = model.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static Record with(Record r, String field, @Nullable Object v) {
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      values.put(c.getName(), value(r, c.getName()));
    }
    values.put(field, v);
    return make(r.getClass(), values);
  }

  /** Every row of every model, by model and key. */
  static final class Rows {
    final Map<Class<? extends Record>, TreeMap<Long, Record>> byModel = new LinkedHashMap<>();

    static Rows of(Store s) {
      Rows out = new Rows();
      for (Class<? extends Record> m : MODELS) {
        TreeMap<Long, Record> rows = new TreeMap<>();
        for (Record r : s.all(m)) {
          rows.put(key(r), r);
        }
        out.byModel.put(m, rows);
      }
      return out;
    }

    TreeMap<Long, Record> of(Class<? extends Record> m) {
      return byModel.get(m);
    }

    @Nullable Record get(Class<? extends Record> m, long k) {
      return byModel.get(m).get(k);
    }

    Rows copy() {
      Rows out = new Rows();
      byModel.forEach((m, rows) -> out.byModel.put(m, new TreeMap<>(rows)));
      return out;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Rows r && byModel.equals(r.byModel);
    }

    @Override
    public int hashCode() {
      return byModel.hashCode();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      byModel.forEach((m, rows) -> sb.append("\n    ").append(m.getSimpleName()).append(": ")
          .append(rows.values()));
      return sb.toString();
    }
  }

  /** A row, by model and key. */
  record RowKey(Class<? extends Record> model, long id) {
    @Override
    public String toString() {
      return model.getSimpleName() + "#" + id;
    }
  }

  // ------------------------------------------------------------------ the system under test

  /**
   * The store under test with its ticker, and what the invariant needs of the last step: the
   * state it started from and the user's own operation (replayed on a copy of that state to see
   * what the store held before the evictions the operation set off).
   */
  public static final class Sut {
    final ManualTicker ticker = new ManualTicker();
    final Store store;
    final Map<Class<? extends Record>, Long> maxKey = new HashMap<>();
    Store start;
    @Nullable Function<Store, Object> op;
    boolean opFailed;
    boolean cleanedUp;

    public Sut() {
      store = newStore(ticker);
      Node home = store.create(new Node(0, null, null, 0));
      store.create(new Anchor(0, home.id()));
      maxKey.put(Node.class, 1L);
      maxKey.put(Anchor.class, 1L);
      start = store.copy();
    }

    private void begin() {
      start = store.copy();
      op = null;
      opFailed = false;
      cleanedUp = false;
    }

    /** The user's write: recorded for the replay, then run on the store. */
    private Object write(Function<Store, Object> write) {
      op = write;
      try {
        return write.apply(store);
      } catch (StoreException e) {
        opFailed = true;
        return "throws " + e.getClass().getSimpleName();
      }
    }

    private @Nullable Record kth(Class<? extends Record> m, int k) {
      List<? extends Record> all = store.all(m);
      return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
    }

    /** The smallest key of {@code m} once created and now gone, or one never used. */
    private long gone(Class<? extends Record> m) {
      long max = maxKey.getOrDefault(m, 0L);
      Set<Long> live = new HashSet<>();
      for (Record r : store.all(m)) {
        live.add(key(r));
      }
      for (long k = 1; k <= max; k++) {
        if (!live.contains(k)) {
          return k;
        }
      }
      return max + 100;
    }

    /** A foreign-key value: the k-th target (k >= 0), null (-1), or a gone key (-2). */
    private @Nullable Long resolve(Fk f, int code) {
      if (code == -2 && !f.constrained()) {
        return gone(f.target());
      }
      if (code < 0 && f.nullable()) {
        return null;
      }
      Record t = kth(f.target(), Math.max(code, 0));
      return t == null ? null : key(t);
    }

    public Object create(String model, int... refs) {
      begin();
      Class<? extends Record> m = model(model);
      Map<String, @Nullable Object> values = new LinkedHashMap<>();
      List<Fk> fks = fks(m);
      for (int i = 0; i < fks.size(); i++) {
        values.put(fks.get(i).field(), resolve(fks.get(i), refs[i]));
      }
      Record row = make(m, values);
      Object out = write(s -> s.create(row));
      if (out instanceof Record r) {
        maxKey.merge(m, key(r), Math::max);
      }
      return out;
    }

    public Object update(String model, int k, String field, int ref) {
      begin();
      Record row = kth(model(model), k);
      if (row == null) {
        return Action.SKIP;
      }
      Record changed = with(row, field, resolve(fk(row.getClass(), field), ref));
      return write(s -> s.update(changed));
    }

    public Object delete(String model, int k) {
      begin();
      Record row = kth(model(model), k);
      if (row == null) {
        return Action.SKIP;
      }
      DeletePlan plan = store.planDelete(row);
      Object out = write(s -> {
        DeleteResult r = s.delete(row);
        if (s == store && !plan.allowed()) {
          throw new AssertionError("the plan said blocked, the delete did " + r + ":\n" + plan);
        }
        if (s == store && !r.equals(plan.result())) {
          throw new AssertionError("delete did " + r + ", its plan said " + plan);
        }
        return key(row);
      });
      if (out instanceof String refused) {
        boolean blockedByRule = refused.endsWith(ProtectedError.class.getSimpleName())
            || refused.endsWith(RestrictedError.class.getSimpleName());
        if (blockedByRule == plan.allowed()
            || !blockedByRule && !refused.endsWith(IntegrityError.class.getSimpleName())) {
          throw new AssertionError("delete " + refused + ", its plan said " + plan);
        }
      }
      return key(row);
    }

    public @Nullable Object get(String model, int ref) {
      begin();
      Class<? extends Record> m = model(model);
      long k;
      if (ref == -2) {
        k = gone(m);
      } else {
        Record r = kth(m, ref);
        k = r == null ? gone(m) : key(r);
      }
      return store.getOrNull(m, k);
    }

    public @Nullable Object follow(String model, int k, String field) {
      begin();
      Record row = kth(model(model), k);
      if (row == null) {
        return Action.SKIP;
      }
      return store.follow(row, field);
    }

    /** A read-modify-write transaction: get the row by key, write it back with v + 1. */
    public Object touch(String model, int k) {
      begin();
      Class<? extends Record> m = model(model);
      Record row = kth(m, k);
      if (row == null) {
        return Action.SKIP;
      }
      long id = key(row);
      return write(s -> s.atomic(() -> {
        Record read = s.get(m, id);
        return s.update(with(read, "v", (Integer) value(read, "v") + 1));
      }));
    }

    public void advance(int seconds) {
      begin();
      ticker.advance(Duration.ofSeconds(seconds));
    }

    public void cleanUp() {
      begin();
      cleanedUp = true;
      store.cleanUp();
    }
  }

  // ------------------------------------------------------------------ the reference

  /**
   * What the user did: the rows written and not deleted (mirrored from the store once each
   * step's differences are explained), the last write and access of each cached row, and what the
   * current step wrote and read.
   */
  static final class Reference {
    long now;
    Rows rows;
    final Map<Class<? extends Record>, Long> nextKey = new HashMap<>();
    final Map<RowKey, Record> written = new HashMap<>();
    /** Lower bound of the start of each cached row's expiry: its last write. */
    final Map<RowKey, Long> lower = new HashMap<>();
    /** Upper bound: its last write, access, or possible release from a pin. */
    final Map<RowKey, Long> upper = new HashMap<>();
    Set<RowKey> refused = new HashSet<>();
    final Map<Class<? extends Record>, CacheStats> stats = new HashMap<>();
    // the current step
    final Set<RowKey> userWritten = new HashSet<>();
    final Map<Class<? extends Record>, int[]> reads = new HashMap<>();
    final Set<RowKey> accessed = new HashSet<>();

    Reference() {
      rows = new Rows();
      for (Class<? extends Record> m : MODELS) {
        rows.byModel.put(m, new TreeMap<>());
      }
      Node home = new Node(1, null, null, 0);
      Anchor anchor = new Anchor(1, 1);
      rows.of(Node.class).put(1L, home);
      rows.of(Anchor.class).put(1L, anchor);
      written.put(new RowKey(Node.class, 1), home);
      written.put(new RowKey(Anchor.class, 1), anchor);
      lower.put(new RowKey(Node.class, 1), 0L);
      upper.put(new RowKey(Node.class, 1), 0L);
      nextKey.put(Node.class, 2L);
      nextKey.put(Anchor.class, 2L);
      refused.add(new RowKey(Node.class, 1));
      for (Class<? extends Record> m : TTL.keySet()) {
        stats.put(m, new CacheStats(0, 0, 0, 0, 0, 0, 0, 0));
      }
    }

    private void begin() {
      userWritten.clear();
      reads.clear();
      accessed.clear();
    }

    private @Nullable Record kth(Class<? extends Record> m, int k) {
      List<Record> all = new ArrayList<>(rows.of(m).values());
      return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
    }

    private long gone(Class<? extends Record> m) {
      long next = nextKey.getOrDefault(m, 1L);
      for (long k = 1; k < next; k++) {
        if (!rows.of(m).containsKey(k)) {
          return k;
        }
      }
      return next - 1 + 100;
    }

    private @Nullable Long resolve(Fk f, int code) {
      if (code == -2 && !f.constrained()) {
        return gone(f.target());
      }
      if (code < 0 && f.nullable()) {
        return null;
      }
      Record t = kth(f.target(), Math.max(code, 0));
      return t == null ? null : key(t);
    }

    private Record wrote(Record r) {
      RowKey k = new RowKey(r.getClass(), key(r));
      written.put(k, r);
      userWritten.add(k);
      return r;
    }

    private void read(Class<? extends Record> m, long k, @Nullable Record found) {
      if (!TTL.containsKey(m)) {
        return;
      }
      reads.computeIfAbsent(m, x -> new int[2])[found != null ? 0 : 1]++;
      if (found != null) {
        accessed.add(new RowKey(m, k));
      }
    }

    Object create(String model, int... refs) {
      begin();
      Class<? extends Record> m = model(model);
      Map<String, @Nullable Object> values = new LinkedHashMap<>();
      long id = nextKey.getOrDefault(m, 1L);
      nextKey.put(m, id + 1);
      values.put("id", id);
      List<Fk> fks = fks(m);
      for (int i = 0; i < fks.size(); i++) {
        Object v = resolve(fks.get(i), refs[i]);
        values.put(fks.get(i).field(), v == null && fks.get(i).rule() == SET_DEFAULT ? 1L : v);
      }
      return wrote(make(m, values));
    }

    Object update(String model, int k, String field, int ref) {
      begin();
      Record row = kth(model(model), k);
      if (row == null) {
        return Action.SKIP;
      }
      return wrote(with(row, field, resolve(fk(row.getClass(), field), ref)));
    }

    Object delete(String model, int k) {
      begin();
      Record row = kth(model(model), k);
      return row == null ? Action.SKIP : key(row);
    }

    @Nullable Object get(String model, int ref) {
      begin();
      Class<? extends Record> m = model(model);
      Record r = ref == -2 ? null : kth(m, ref);
      long k = r == null ? gone(m) : key(r);
      Record found = rows.get(m, k);
      read(m, k, found);
      return found;
    }

    @Nullable Object follow(String model, int k, String field) {
      begin();
      Record row = kth(model(model), k);
      if (row == null) {
        return Action.SKIP;
      }
      Object v = value(row, field);
      if (v == null) {
        return null;
      }
      Fk f = fk(row.getClass(), field);
      Record found = rows.get(f.target(), (Long) v);
      read(f.target(), (Long) v, found);
      return found;
    }

    Object touch(String model, int k) {
      begin();
      Class<? extends Record> m = model(model);
      Record row = kth(m, k);
      if (row == null) {
        return Action.SKIP;
      }
      read(m, key(row), row);
      return wrote(with(row, "v", (Integer) value(row, "v") + 1));
    }

    void advance(int seconds) {
      begin();
      now += Duration.ofSeconds(seconds).toNanos();
    }

    void cleanUp() {
      begin();
    }
  }

  // ------------------------------------------------------------------ the invariant

  static final class Rollback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rollback() {
      super(null, null, false, false);
    }
  }

  /** The state after the user's own operation and, given the one eviction root, its plan. */
  private static Object[] replay(Sut s, Rows after, List<RowKey> roots, boolean planIt) {
    Store c = s.start.copy();
    Object[] out = new Object[2];
    try {
      c.atomic(() -> {
        if (s.op != null && !s.opFailed) {
          s.op.apply(c);
        }
        out[0] = Rows.of(c);
        if (planIt) {
          RowKey root = roots.get(0);
          out[1] = c.planDelete(Objects.requireNonNull(((Rows) out[0]).get(root.model(),
              root.id())));
        }
        throw new Rollback();
      });
    } catch (Rollback expected) {
      // the replay is thrown away
    }
    return out;
  }

  static void check(Sut s, Reference r) {
    StoreInvariants.check(s.store);
    Store store = s.store;
    Rows after = Rows.of(store);
    Rows start = Rows.of(s.start);
    long now = r.now;
    List<String> faults = new ArrayList<>();

    Rows mid = (Rows) replay(s, after, List.of(), false)[0];
    // what the step wrote: rows created, changed or written by the user, or by the rules
    Set<RowKey> writtenNow = new HashSet<>();
    if (!s.opFailed) {
      writtenNow.addAll(r.userWritten);
    }
    for (Class<? extends Record> m : MODELS) {
      for (Record row : mid.of(m).values()) {
        if (!row.equals(start.get(m, key(row)))) {
          writtenNow.add(new RowKey(m, key(row)));
        }
      }
    }
    for (RowKey k : r.userWritten) {
      if (!s.opFailed && mid.get(k.model(), k.id()) == null) {
        faults.add("the user's write of " + k + " is not in the replayed state");
      }
    }
    for (Class<? extends Record> m : MODELS) {
      for (long k : mid.of(m).keySet()) {
        if (!start.of(m).containsKey(k) && !r.userWritten.contains(new RowKey(m, k))) {
          faults.add(m.getSimpleName() + "#" + k + " appeared without a create");
        }
      }
    }

    // 1. what the evictions did, mid -> after
    Set<RowKey> vanished = new HashSet<>();
    for (Class<? extends Record> m : MODELS) {
      for (long k : mid.of(m).keySet()) {
        if (!after.of(m).containsKey(k)) {
          vanished.add(new RowKey(m, k));
        }
      }
      for (long k : after.of(m).keySet()) {
        if (!mid.of(m).containsKey(k)) {
          faults.add(m.getSimpleName() + "#" + k + " appeared after the user's operation");
        }
      }
    }
    List<RowKey> roots = new ArrayList<>();
    for (RowKey v : vanished) {
      Record row = mid.get(v.model(), v.id());
      boolean cascaded = false;
      for (Fk f : fks(v.model())) {
        Object target = value(Objects.requireNonNull(row), f.field());
        if (f.rule() == CASCADE && target != null
            && vanished.contains(new RowKey(f.target(), (Long) target))) {
          cascaded = true;
        }
      }
      if (!cascaded) {
        roots.add(v);
        boolean evictable = v.model() == Node.class
            || v.model() == Kid.class && possiblyExpired(r, v, writtenNow, now);
        if (!evictable) {
          faults.add(v + " disappeared without a user delete, an eviction or a cascade: " + row);
        }
      }
    }
    for (Class<? extends Record> m : MODELS) {
      for (Record row : after.of(m).values()) {
        Record was = mid.get(m, key(row));
        if (was == null) {
          continue;
        }
        for (RecordComponent c : m.getRecordComponents()) {
          String field = c.getName();
          Object before = value(was, field);
          Object now2 = value(row, field);
          if (Objects.equals(before, now2)) {
            continue;
          }
          Fk f = fks(m).stream().filter(x -> x.field().equals(field)).findFirst().orElse(null);
          if (f == null || !f.setsValue() || before == null
              || !vanished.contains(new RowKey(f.target(), (Long) before))
              || !Objects.equals(f.ruleValue(), now2)) {
            faults.add(m.getSimpleName() + "." + field + " of " + was + " became " + now2
                + " though no eviction explains it");
          }
        }
        for (Fk f : fks(m)) {
          Object target = value(row, f.field());
          if (target != null && vanished.contains(new RowKey(f.target(), (Long) target))
              && !(f.rule() == DO_NOTHING && !f.constrained())) {
            faults.add(row + " still references the evicted " + f.target().getSimpleName() + "#"
                + target + " through " + f.rule());
          }
        }
      }
    }

    // 2. the statistics account for the evictions and the reads
    Map<Class<? extends Record>, CacheStats> stats = new HashMap<>();
    long evictions = 0;
    for (Class<? extends Record> m : TTL.keySet()) {
      CacheStats now1 = store.cacheStats(m);
      CacheStats was = r.stats.get(m);
      stats.put(m, now1);
      long bySize = now1.evictionsBySize() - was.evictionsBySize();
      long byExpiry = now1.evictionsByExpiry() - was.evictionsByExpiry();
      evictions += bySize + byExpiry;
      int gone = 0;
      int rootsOf = 0;
      int mayHaveExpired = 0;
      for (RowKey v : vanished) {
        if (v.model() == m) {
          gone++;
          rootsOf += roots.contains(v) ? 1 : 0;
          mayHaveExpired += possiblyExpired(r, v, writtenNow, now) ? 1 : 0;
        }
      }
      String label = m.getSimpleName() + ": " + was + " -> " + now1 + "; gone " + gone + ", roots "
          + rootsOf + ", possibly expired " + mayHaveExpired;
      if (bySize + byExpiry < Math.max(rootsOf, gone > 0 && m == Node.class ? 1 : 0)
          || bySize + byExpiry > gone) {
        faults.add("evictions do not account for the rows gone: " + label);
      }
      if (byExpiry > mayHaveExpired) {
        faults.add("more evictions by expiry than rows whose expiry may have passed: " + label);
      }
      if (m == Kid.class && bySize != 0) {
        faults.add("a table without a size bound evicted by size: " + label);
      }
      int[] reads = r.reads.getOrDefault(m, new int[2]);
      if (now1.hits() - was.hits() != reads[0] || now1.misses() - was.misses() != reads[1]) {
        faults.add("hits and misses are not the key reads (" + reads[0] + " found, " + reads[1]
            + " missed): " + label);
      }
      if (now1.loads() != 0 || now1.loadFailures() != 0) {
        faults.add("loads without a loader: " + label);
      }
    }

    // 3. an eviction's effect is the delete planner's
    if (evictions == 0 && !after.equals(mid)) {
      faults.add("no eviction, yet the store is not as the user's operation left it:\n  expected"
          + mid + "\n  actual" + after);
    }
    if (evictions == 1 && roots.size() == 1) {
      DeletePlan plan = (DeletePlan) replay(s, after, roots, true)[1];
      Rows expected = apply(mid, plan);
      if (!expected.equals(after)) {
        faults.add("the eviction of " + roots.get(0) + " did not do what its plan says:\n  " + plan
            + "\n  expected" + expected + "\n  actual" + after);
      }
    }

    // 4. every row is one the user wrote and did not delete, as written or as a rule set it
    for (Class<? extends Record> m : MODELS) {
      for (Record row : after.of(m).values()) {
        RowKey k = new RowKey(m, key(row));
        Record w = r.written.get(k);
        if (w == null) {
          faults.add(k + " is in the store but the user did not write it (or deleted it)");
          continue;
        }
        for (RecordComponent c : m.getRecordComponents()) {
          Object wrote = value(w, c.getName());
          Object is = value(row, c.getName());
          if (Objects.equals(wrote, is)) {
            continue;
          }
          Fk f = fks(m).stream().filter(x -> x.field().equals(c.getName())).findFirst()
              .orElse(null);
          if (f == null || !f.setsValue() || !Objects.equals(f.ruleValue(), is)) {
            faults.add(row + ": " + c.getName() + " is " + is + ", the user wrote " + wrote);
          }
        }
      }
    }

    // 5. pins and bounds
    Set<RowKey> refused = refused(store, after);
    // A row is released (unpinned, its expiry restarted) at a commit that lets it be deleted; it
    // was pinned, so refused at the step's start or after the user's commit (evictions only make
    // rows more deletable after it).
    Set<RowKey> refusedAtMid = r.refused;
    if (!mid.equals(start)) {
      Store c = s.start.copy();
      Objects.requireNonNull(s.op).apply(c);
      refusedAtMid = Rows.of(c).equals(mid) ? refused(c, mid) : null;
    }
    // what may have restarted each cached row's expiry in this step
    for (Class<? extends Record> m : TTL.keySet()) {
      for (Record row : after.of(m).values()) {
        RowKey k = new RowKey(m, key(row));
        boolean wroteIt = writtenNow.contains(k) || !row.equals(mid.get(m, key(row)));
        boolean released = !refused.contains(k) && (r.refused.contains(k)
            || refusedAtMid == null || refusedAtMid.contains(k));
        if (wroteIt) {
          r.lower.put(k, now);
        }
        if (wroteIt || released || m == Kid.class && r.accessed.contains(k)) {
          r.upper.put(k, now);
        }
      }
    }
    for (Class<? extends Record> m : TTL.keySet()) {
      CacheStats st = stats.get(m);
      int refusedHere = 0;
      int due = 0;
      for (Record row : after.of(m).values()) {
        RowKey k = new RowKey(m, key(row));
        refusedHere += refused.contains(k) ? 1 : 0;
        long dueAt = r.upper.get(k) + TTL.get(m).plus(LATE).toNanos();
        if (s.cleanedUp && now >= dueAt) {
          due++;
          if (!refused.contains(k)) {
            faults.add(k + " expired long ago and nothing holds it, but it is still there: " + row);
          }
        }
      }
      if (st.pinned() > refusedHere) {
        faults.add(m.getSimpleName() + ": " + st.pinned() + " pinned rows, but only " + refusedHere
            + " whose delete is refused: " + st);
      }
      if (st.pinned() < due) {
        faults.add(m.getSimpleName() + ": " + due + " rows expired and are held, but only "
            + st.pinned() + " pinned: " + st);
      }
      if (s.cleanedUp) {
        if (m == Node.class && after.of(m).size() - st.pinned() > BOUND) {
          faults.add("Node: " + after.of(m).size() + " rows, " + st.pinned()
              + " pinned, over the bound " + BOUND + ": " + st);
        }
        if (st.policySize() != after.of(m).size()) {
          faults.add(m.getSimpleName() + ": the policy tracks " + st.policySize() + " rows, the"
              + " table holds " + after.of(m).size() + ": " + st);
        }
      }
    }

    if (!faults.isEmpty()) {
      throw new AssertionError("at t=" + Duration.ofNanos(now) + ":\n  "
          + String.join("\n  ", faults));
    }

    // reconcile the reference with the store, every difference explained
    r.rows = after.copy();
    r.written.keySet().removeIf(k -> after.get(k.model(), k.id()) == null);
    r.lower.keySet().removeIf(k -> after.get(k.model(), k.id()) == null);
    r.upper.keySet().removeIf(k -> after.get(k.model(), k.id()) == null);
    r.refused = refused;
    r.stats.putAll(stats);
  }

  /** The cached rows of {@code rows} whose delete {@code store} refuses (tried on copies). */
  private static Set<RowKey> refused(Store store, Rows rows) {
    Set<RowKey> out = new HashSet<>();
    for (Class<? extends Record> m : TTL.keySet()) {
      for (Record row : rows.of(m).values()) {
        try {
          store.copy().delete(row);
        } catch (StoreException e) {
          out.add(new RowKey(m, key(row)));
        }
      }
    }
    return out;
  }

  /** Whether the row's expiry may have passed: its last write (this step's included) is old. */
  private static boolean possiblyExpired(Reference r, RowKey k, Set<RowKey> writtenNow,
      long now) {
    Long last = writtenNow.contains(k) ? Long.valueOf(now) : r.lower.get(k);
    return last == null || now - last >= TTL.get(k.model()).toNanos();
  }

  /** {@code rows} after the plan: its field updates, then its deletions. */
  private static Rows apply(Rows rows, DeletePlan plan) {
    Rows out = rows.copy();
    for (DeletePlan.FieldUpdate u : plan.updates()) {
      String[] parts = u.field().split("\\.");
      Class<? extends Record> m = model(parts[parts.length - 2]);
      for (Object row : u.rows()) {
        long k = key((Record) row);
        Record now = out.get(m, k);
        if (now != null) {
          out.of(m).put(k, with(now, parts[parts.length - 1], u.value()));
        }
      }
    }
    plan.deletions().forEach((label, list) -> {
      for (Object row : list) {
        out.of(((Record) row).getClass()).remove(key((Record) row));
      }
    });
    return out;
  }

  // ------------------------------------------------------------------ actions

  interface Step extends Action<Sut, Reference> {
  }

  private static String args(List<Integer> refs) {
    StringBuilder sb = new StringBuilder();
    for (int ref : refs) {
      sb.append(", ").append(ref);
    }
    return sb.toString();
  }

  record Create(String model, List<Integer> refs) implements Step {
    private int[] codes() {
      return refs.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Object onSystem(Sut s) {
      return s.create(model, codes());
    }

    @Override
    public Object onModel(Reference r) {
      return r.create(model, codes());
    }

    @Override
    public List<Create> shrink() {
      List<Create> out = new ArrayList<>();
      for (int i = 0; i < refs.size(); i++) {
        if (refs.get(i) > 0) {
          List<Integer> simpler = new ArrayList<>(refs);
          simpler.set(i, 0);
          out.add(new Create(model, simpler));
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return "sut.create(\"" + model + "\"" + args(refs) + ");";
    }
  }

  record Update(String model, int k, String field, int ref) implements Step {
    @Override
    public Object onSystem(Sut s) {
      return s.update(model, k, field, ref);
    }

    @Override
    public Object onModel(Reference r) {
      return r.update(model, k, field, ref);
    }

    @Override
    public List<Update> shrink() {
      return k > 0 ? List.of(new Update(model, 0, field, ref)) : List.of();
    }

    @Override
    public String toString() {
      return "sut.update(\"" + model + "\", " + k + ", \"" + field + "\", " + ref + ");";
    }
  }

  record Delete(String model, int k) implements Step {
    @Override
    public Object onSystem(Sut s) {
      return s.delete(model, k);
    }

    @Override
    public Object onModel(Reference r) {
      return r.delete(model, k);
    }

    @Override
    public List<Delete> shrink() {
      return k > 0 ? List.of(new Delete(model, 0)) : List.of();
    }

    @Override
    public String toString() {
      return "sut.delete(\"" + model + "\", " + k + ");";
    }
  }

  record Get(String model, int ref) implements Step {
    @Override
    public @Nullable Object onSystem(Sut s) {
      return s.get(model, ref);
    }

    @Override
    public @Nullable Object onModel(Reference r) {
      return r.get(model, ref);
    }

    @Override
    public List<Get> shrink() {
      return ref > 0 ? List.of(new Get(model, 0)) : List.of();
    }

    @Override
    public String toString() {
      return "sut.get(\"" + model + "\", " + ref + ");";
    }
  }

  record Follow(String model, int k, String field) implements Step {
    @Override
    public @Nullable Object onSystem(Sut s) {
      return s.follow(model, k, field);
    }

    @Override
    public @Nullable Object onModel(Reference r) {
      return r.follow(model, k, field);
    }

    @Override
    public List<Follow> shrink() {
      return k > 0 ? List.of(new Follow(model, 0, field)) : List.of();
    }

    @Override
    public String toString() {
      return "sut.follow(\"" + model + "\", " + k + ", \"" + field + "\");";
    }
  }

  record Touch(String model, int k) implements Step {
    @Override
    public Object onSystem(Sut s) {
      return s.touch(model, k);
    }

    @Override
    public Object onModel(Reference r) {
      return r.touch(model, k);
    }

    @Override
    public List<Touch> shrink() {
      return k > 0 ? List.of(new Touch(model, 0)) : List.of();
    }

    @Override
    public String toString() {
      return "sut.touch(\"" + model + "\", " + k + ");";
    }
  }

  record Advance(int seconds) implements Step {
    @Override
    public @Nullable Object onSystem(Sut s) {
      s.advance(seconds);
      return null;
    }

    @Override
    public @Nullable Object onModel(Reference r) {
      r.advance(seconds);
      return null;
    }

    @Override
    public String toString() {
      return "sut.advance(" + seconds + ");";
    }
  }

  record CleanUp() implements Step {
    @Override
    public @Nullable Object onSystem(Sut s) {
      s.cleanUp();
      return null;
    }

    @Override
    public @Nullable Object onModel(Reference r) {
      r.cleanUp();
      return null;
    }

    @Override
    public String toString() {
      return "sut.cleanUp();";
    }
  }

  static final int[] ADVANCES = {10, 30, 60, 100, 200, 400, 700};

  private static int ref(SplittableRandom rnd) {
    int p = rnd.nextInt(10);
    return p < 7 ? rnd.nextInt(8) : p < 9 ? -1 : -2;
  }

  /** Children to create, blockers (which pin) weighted up. */
  static final List<Class<? extends Record>> CHILDREN = List.of(Kid.class, Kid.class, Kid.class,
      Orphan.class, Moved.class, Guard.class, Guard.class, Fence.class, Fence.class, Stub.class,
      Stub.class, Stub.class, Loose.class, Ref.class, Ref.class);
  /** Rows to delete: nodes, and blockers (whose delete releases a pin) weighted up. */
  static final List<Class<? extends Record>> DELETED = List.of(Node.class, Node.class, Node.class,
      Kid.class, Kid.class, Guard.class, Guard.class, Fence.class, Fence.class, Stub.class,
      Stub.class, Ref.class, Ref.class, Orphan.class, Moved.class, Loose.class);

  static Step randomAction(SplittableRandom rnd) {
    int w = rnd.nextInt(100);
    if (w < 14) {
      return new Create("Node", List.of(ref(rnd), ref(rnd)));
    }
    if (w < 36) {
      Class<? extends Record> m = CHILDREN.get(rnd.nextInt(CHILDREN.size()));
      List<Integer> refs = new ArrayList<>();
      for (int i = 0; i < fks(m).size(); i++) {
        refs.add(ref(rnd));
      }
      return new Create(m.getSimpleName(), refs);
    }
    if (w < 44) {
      Class<? extends Record> m = WRITABLE.get(rnd.nextInt(WRITABLE.size()));
      List<Fk> fks = fks(m);
      return new Update(m.getSimpleName(), rnd.nextInt(8),
          fks.get(rnd.nextInt(fks.size())).field(), ref(rnd));
    }
    if (w < 54) {
      return new Delete(DELETED.get(rnd.nextInt(DELETED.size())).getSimpleName(), rnd.nextInt(8));
    }
    if (w < 64) {
      return new Get(rnd.nextBoolean() ? "Node" : "Kid", rnd.nextInt(5) == 0 ? -2 : rnd.nextInt(8));
    }
    if (w < 72) {
      Fk f = FKS.get(rnd.nextInt(FKS.size() - 1));
      return new Follow(f.model().getSimpleName(), rnd.nextInt(8), f.field());
    }
    if (w < 77) {
      return new Touch(rnd.nextBoolean() ? "Node" : "Kid", rnd.nextInt(8));
    }
    if (w < 89) {
      return new Advance(ADVANCES[rnd.nextInt(ADVANCES.length)]);
    }
    return new CleanUp();
  }
}
