package io.relstore.harness;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relstore.DeletePlan;
import io.relstore.DeleteResult;
import io.relstore.ProtectedError;
import io.relstore.RestrictedError;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.StoreInvariants;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.OnDelete;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import io.relstore.harness.NaiveStore.Fk;
import io.relstore.harness.NaiveStore.Int;
import io.relstore.harness.NaiveStore.Row;
import io.relstore.harness.NaiveStore.Str;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A stateful property of the store against a naive reference ({@link NaiveStore}): for every random
 * sequence of creates, updates, saves, bulk creates, deletes of one row, deletes of a subset of one
 * model, and delete plans followed by the delete (valid values and invalid ones: a taken unique
 * value or key, a foreign key to no row, a negative or zero key, a string too long, not a slug or
 * null), on a schema that mixes CASCADE, PROTECT, RESTRICT, SET_NULL, SET_DEFAULT, SET (a constant
 * and a supplier that creates a sentinel row), two self-references (a CASCADE tree and a SET_NULL
 * one), DO_NOTHING with and without a database constraint, and a {@code @Unique} field,
 *
 * <ul>
 *   <li>after every step {@link StoreInvariants#check} passes, and the store holds exactly the rows
 *       of the reference, model by model, field by field;
 *   <li>every step has the same outcome in both: the same stored row(s); the same delete result
 *       (total and count per label); or the same exception type, and for {@link ProtectedError} and
 *       {@link RestrictedError} the same model, the same keys in the same order, the same set of
 *       blocking rows and a message that starts with Django's;
 *   <li>an operation that throws changes nothing (the reference puts its state back, and the
 *       stores must then still agree), including the sentinel a SET supplier created;
 *   <li>a delete plan predicts its delete: the rows deleted per label, the fields set, the PROTECT
 *       and RESTRICT blockers, and the result; the delete then does exactly that (or, when the plan
 *       allows it, fails only at the commit's foreign-key check).
 * </ul>
 *
 * <p>CI runs {@code relstore.tries} × {@code relstore.steps} (25 × 60) actions; a long run is
 * {@code mvn -B verify -pl src-test -am -Dtest=StatefulStoreTest -Drelstore.tries=2000
 * -Drelstore.steps=200 -Dsurefire.failIfNoSpecifiedTests=false}. See {@link Property} for the
 * settings and the replay of a reported seed; a failure prints the shrunk sequence as Java lines to
 * paste into a test of this class (they use {@link #kth}, {@link #kthOrNull}, {@link #kthRow},
 * {@link #pick}, {@link #twice}, {@link #plus}, {@link #phantom} and {@link #attempt}).
 */
class StatefulStoreTest {

  /** The SET supplier's sentinel name (8 letters: the longest name an owner may have). */
  static final String SENTINEL = "sentinel";

  @Model(app = "acc")
  record Owner(@Id long id, @Char(maxLength = 8) @Unique String name,
      @ForeignKey(to = Owner.class, onDelete = SET_NULL, relatedName = "reports")
      @Nullable Long boss) {
  }

  @Model(app = "tree")
  record Node(@Id long id, @Char(maxLength = 6) String label,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "children")
      @Nullable Long parent,
      @ForeignKey(to = Owner.class, onDelete = SET_NULL, relatedName = "nodes")
      @Nullable Long owner) {
  }

  record Item(@Id long id,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "items") long node,
      @ForeignKey(to = Owner.class, onDelete = PROTECT, relatedName = "items") @Nullable Long owner,
      int qty) {
  }

  record Tag(@Id long id,
      @ForeignKey(to = Item.class, onDelete = RESTRICT, relatedName = "tags") long item,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "tags") @Nullable Long node,
      @ForeignKey(to = Stamp.class, onDelete = RESTRICT, relatedName = "tags") @Nullable Long stamp,
      @Slug(maxLength = 10) String slug) {
  }

  record Stamp(@Id long id,
      @ForeignKey(to = Item.class, onDelete = PROTECT, relatedName = "stamps") long item,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "stamps") @Nullable Long node) {
  }

  /**
   * {@code owner}: SET(sentinel supplier); {@code backup}: SET(1). With {@code Tag.item} and
   * {@code Tag.stamp}, {@code item} gives RESTRICT blockers in two models, whose keys Django orders
   * by model, then field.
   */
  record Link(@Id long id,
      @ForeignKey(to = Node.class, onDelete = SET_DEFAULT, relatedName = "links") @Default("1")
      @Nullable Long node,
      @ForeignKey(to = Owner.class, onDelete = SET, relatedName = "links") @Nullable Long owner,
      @ForeignKey(to = Owner.class, onDelete = SET, relatedName = "backupLinks")
      @Nullable Long backup,
      @ForeignKey(to = Item.class, onDelete = RESTRICT, relatedName = "links") @Nullable Long item) {
  }

  record Note(@Id long id,
      @ForeignKey(to = Node.class, onDelete = DO_NOTHING, dbConstraint = false,
          relatedName = "notes") @Nullable Long node,
      @ForeignKey(to = Owner.class, onDelete = DO_NOTHING, relatedName = "notes")
      @Nullable Long owner,
      @Text String text) {
  }

  /** The models in registration order. */
  static final List<Class<? extends Record>> MODELS =
      List.of(Owner.class, Node.class, Item.class, Tag.class, Stamp.class, Link.class, Note.class);

  /** The store under test. */
  static Store newStore() {
    return Store.builder()
        .add(Owner.class, Node.class, Item.class, Tag.class, Stamp.class)
        .add(Link.class, m -> m.onDeleteSetFrom("owner", StatefulStoreTest::sentinel)
            .onDeleteSet("backup", 1L))
        .add(Note.class)
        .build();
  }

  /** Django's {@code get_sentinel_user}: the owner named "sentinel", created when missing. */
  static Owner sentinel(Store store) {
    for (Owner o : store.all(Owner.class)) {
      if (o.name().equals(SENTINEL)) {
        return o;
      }
    }
    return store.create(new Owner(0, SENTINEL, null));
  }

  /** The same schema, described by hand for the reference (nothing is read from the store). */
  static final List<NaiveStore.Model> REFERENCE_SCHEMA = List.of(
      new NaiveStore.Model("Owner", "acc.Owner", List.of(
          new Str("name", 8, true, false),
          fk("boss", "Owner", SET_NULL, true))),
      new NaiveStore.Model("Node", "tree.Node", List.of(
          new Str("label", 6, false, false),
          fk("parent", "Node", CASCADE, true),
          fk("owner", "Owner", SET_NULL, true))),
      new NaiveStore.Model("Item", "Item", List.of(
          fk("node", "Node", CASCADE, false),
          fk("owner", "Owner", PROTECT, true),
          new Int("qty"))),
      new NaiveStore.Model("Tag", "Tag", List.of(
          fk("item", "Item", RESTRICT, false),
          fk("node", "Node", CASCADE, true),
          fk("stamp", "Stamp", RESTRICT, true),
          new Str("slug", 10, false, true))),
      new NaiveStore.Model("Stamp", "Stamp", List.of(
          fk("item", "Item", PROTECT, false),
          fk("node", "Node", CASCADE, true))),
      new NaiveStore.Model("Link", "Link", List.of(
          new Fk("node", "Node", SET_DEFAULT, true, true, 1L, null),
          new Fk("owner", "Owner", SET, true, true, null, StatefulStoreTest::referenceSentinel),
          new Fk("backup", "Owner", SET, true, true, null, reference -> 1L),
          fk("item", "Item", RESTRICT, true))),
      new NaiveStore.Model("Note", "Note", List.of(
          new Fk("node", "Node", DO_NOTHING, true, false, null, null),
          fk("owner", "Owner", DO_NOTHING, true),
          new Str("text", 0, false, false))));

  private static Fk fk(String name, String target, OnDelete rule, boolean nullable) {
    return new Fk(name, target, rule, nullable, true, null, null);
  }

  /** The reference's sentinel supplier. */
  static long referenceSentinel(NaiveStore reference) {
    Map<String, @Nullable Object> fresh = new LinkedHashMap<>();
    fresh.put("id", 0L);
    fresh.put("name", SENTINEL);
    fresh.put("boss", null);
    return reference.getOrCreate("Owner", "name", SENTINEL, fresh);
  }

  static NaiveStore newReference() {
    return new NaiveStore(REFERENCE_SCHEMA);
  }

  static Property<Store, NaiveStore> property() {
    return Property.of(StatefulStoreTest.class, StatefulStoreTest::newStore,
            StatefulStoreTest::newReference, StoreActions::random)
        .invariant(StatefulStoreTest::sameRows)
        .errorView(StatefulStoreTest::errorView)
        .setup("Store store = newStore();");
  }

  @Test
  void theStoreBehavesAsTheNaiveReference() {
    property().check();
  }

  // ------------------------------------------------------------------ comparison

  /** The invariant after every step: the store is sound and holds the reference's rows. */
  static void sameRows(Store store, NaiveStore reference) {
    StoreInvariants.check(store);
    for (Class<? extends Record> model : MODELS) {
      List<Row> rows = new ArrayList<>();
      for (Record r : store.all(model)) {
        rows.add(row(r));
      }
      assertEquals(reference.rows(model.getSimpleName()), rows, model.getSimpleName() + " rows");
      assertEquals(rows.size(), store.count(model), model.getSimpleName() + " count");
    }
  }

  /** A stored record as the reference's row: its model name and component values. */
  static Row row(Object record) {
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    try {
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        c.getAccessor().setAccessible(true);
        values.put(c.getName(), c.getAccessor().invoke(record));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return new Row(record.getClass().getSimpleName(), values);
  }

  static Set<Row> rows(Iterable<?> records) {
    Set<Row> out = new LinkedHashSet<>();
    for (Object r : records) {
      out.add(row(r));
    }
    return out;
  }

  /**
   * An exception as both sides must agree on it: its type and, for a blocked delete, the model,
   * Django's keys in order, the blocking rows, and whether the message starts with Django's.
   */
  record ErrorView(String type, String model, List<String> keys, Set<Row> objects,
      boolean djangoMessage) {
    @Override
    public String toString() {
      return keys.isEmpty() ? type : type + "(" + model + ", " + keys + ", " + objects
          + (djangoMessage ? "" : ", NOT Django's message") + ")";
    }
  }

  static Object errorView(RuntimeException e) {
    if (e instanceof ProtectedError p) {
      return new ErrorView("ProtectedError", p.model(), p.keys(), rows(p.protectedObjects()),
          p.getMessage().startsWith(djangoMessage("protected", p.model(), p.keys())));
    }
    if (e instanceof RestrictedError r) {
      return new ErrorView("RestrictedError", r.model(), r.keys(), rows(r.restrictedObjects()),
          r.getMessage().startsWith(djangoMessage("restricted", r.model(), r.keys())));
    }
    if (e instanceof NaiveStore.Refusal r) {
      return new ErrorView(r.kind.getSimpleName(), r.model, r.keys, r.objects, true);
    }
    if (e instanceof StoreException) {
      return new ErrorView(e.getClass().getSimpleName(), "", List.of(), Set.of(), true);
    }
    return "unexpected " + e;
  }

  private static String djangoMessage(String kind, String model, List<String> keys) {
    return "Cannot delete some instances of model '" + model + "' because they are referenced"
        + " through " + kind + " foreign keys: " + String.join(", ", keys) + ".";
  }

  /** What the store's plan says, in the reference's terms. */
  static NaiveStore.Plan plan(DeletePlan plan) {
    List<Long> roots = new ArrayList<>();
    for (Object r : plan.roots()) {
      roots.add((Long) row(r).values().get("id"));
    }
    Map<String, List<Row>> deletions = new HashMap<>();
    plan.deletions().forEach((label, list) -> deletions.put(label, new ArrayList<>(rows(list))));
    Map<String, Set<Long>> updates = new HashMap<>();
    for (DeletePlan.FieldUpdate u : plan.updates()) {
      Set<Long> keys = updates.computeIfAbsent(u.field() + "=" + u.value(),
          k -> new LinkedHashSet<>());
      for (Object r : u.rows()) {
        keys.add((Long) row(r).values().get("id"));
      }
    }
    return new NaiveStore.Plan(plan.model(), roots, deletions, updates,
        blockers(plan.protectedBy()), blockers(plan.restrictedBy()));
  }

  private static List<NaiveStore.Blocker> blockers(List<DeletePlan.Blocker> list) {
    List<NaiveStore.Blocker> out = new ArrayList<>();
    for (DeletePlan.Blocker b : list) {
      out.add(new NaiveStore.Blocker(b.key(), rows(b.rows())));
    }
    return out;
  }

  static NaiveStore.Deleted deleted(DeleteResult result) {
    return new NaiveStore.Deleted(result.total(), new HashMap<>(result.counts()));
  }

  // ------------------------------------------------------------------ helpers of the printed lines

  static Class<? extends Record> type(String model) {
    for (Class<? extends Record> m : MODELS) {
      if (m.getSimpleName().equals(model)) {
        return m;
      }
    }
    throw new IllegalArgumentException(model);
  }

  /** The key of the {@code k mod count}-th row of {@code model} in key order, or NO_ROW if none. */
  static long kth(Store store, Class<? extends Record> model, int k) {
    Record row = kthRow(store, model, k);
    return row == null ? NaiveStore.NO_ROW : (Long) row(row).values().get("id");
  }

  /** The key of the {@code k mod count}-th row of {@code model} in key order, or null if none. */
  static @Nullable Long kthOrNull(Store store, Class<? extends Record> model, int k) {
    Record row = kthRow(store, model, k);
    return row == null ? null : (Long) row(row).values().get("id");
  }

  /** The {@code k mod count}-th row of {@code model} in key order, or null if it has none. */
  static <T extends Record> @Nullable T kthRow(Store store, Class<T> model, int k) {
    List<T> all = store.all(model);
    return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
  }

  /** The keys of the rows whose position i in key order has bit {@code i mod 64} set in mask. */
  static long[] pick(Store store, Class<? extends Record> model, long mask) {
    List<? extends Record> all = store.all(model);
    List<Long> chosen = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if ((mask >>> (i % 64) & 1) != 0) {
        chosen.add((Long) row(all.get(i)).values().get("id"));
      }
    }
    return chosen.stream().mapToLong(Long::longValue).toArray();
  }

  /** Every key of {@code keys} twice. */
  static long[] twice(long[] keys) {
    long[] out = new long[keys.length * 2];
    System.arraycopy(keys, 0, out, 0, keys.length);
    System.arraycopy(keys, 0, out, keys.length, keys.length);
    return out;
  }

  /** {@code keys} and one more. */
  static long[] plus(long[] keys, long key) {
    long[] out = java.util.Arrays.copyOf(keys, keys.length + 1);
    out[keys.length] = key;
    return out;
  }

  /** A record of {@code model} with key {@code pk} and every other field zero or null. */
  static <T extends Record> T phantom(Class<T> model, long pk) {
    RecordComponent[] components = model.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = i == 0 ? (Object) pk : types[i] == long.class ? (Object) 0L
          : types[i] == int.class ? (Object) 0 : null;
    }
    return construct(model, types, args);
  }

  /** A record of {@code model} from its component values, in declaration order. */
  static <T extends Record> T construct(Class<T> model, Class<?>[] types, @Nullable Object[] args) {
    try {
      Constructor<T> c = model.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a store call that may throw: its result, or the store's exception. */
  static Object attempt(Supplier<?> call) {
    try {
      return call.get();
    } catch (StoreException e) {
      return e;
    }
  }
}
