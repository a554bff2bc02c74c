package io.relstore.harness;

import static io.relstore.harness.StatefulStoreTest.deleted;
import static io.relstore.harness.StatefulStoreTest.errorView;
import static io.relstore.harness.StatefulStoreTest.kthRow;
import static io.relstore.harness.StatefulStoreTest.row;
import static io.relstore.harness.StatefulStoreTest.rows;
import static io.relstore.harness.StatefulStoreTest.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.DeletePlan;
import io.relstore.DeleteResult;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.RestrictedError;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.harness.NaiveStore.Field;
import io.relstore.harness.NaiveStore.Fk;
import io.relstore.harness.NaiveStore.Row;
import io.relstore.harness.NaiveStore.Str;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The actions of {@link StatefulStoreTest} and their generator. Rows are never named by key: a value
 * is a literal, "the key of the k-th row of M" ({@code kth}) or "the current value" of the row being
 * updated, all resolved when the action runs, against each side's own state, so that shrinking away
 * earlier actions leaves later ones meaningful. Each action prints as the Java statement it runs on
 * the store.
 */
final class StoreActions {
  private StoreActions() {
  }

  /** Shorthand for the actions of this property. */
  interface StoreAction extends Action<Store, NaiveStore> {
  }

  // ------------------------------------------------------------------ values

  /** A field value, resolved when the action runs. */
  sealed interface Val permits Lit, Live, Keep {
    /** The Java expression; {@code current} is the expression of the row being updated. */
    String java(String current);

    @Nullable Object resolve(Store store, @Nullable Row current);

    @Nullable Object resolve(NaiveStore reference, @Nullable Row current);

    default List<Val> shrink() {
      return List.of();
    }
  }

  /** A literal: a String, an Integer, a Long, or null. */
  record Lit(@Nullable Object value) implements Val {
    @Override
    public String java(String current) {
      if (value instanceof String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      }
      return value instanceof Long l ? l + "L" : String.valueOf(value);
    }

    @Override
    public @Nullable Object resolve(Store store, @Nullable Row current) {
      return value;
    }

    @Override
    public @Nullable Object resolve(NaiveStore reference, @Nullable Row current) {
      return value;
    }

    @Override
    public List<Val> shrink() {
      if (value instanceof String s) {
        Set<Val> out = new LinkedHashSet<>();
        if (s.length() > 1) {
          out.add(new Lit(s.substring(0, 1)));
          out.add(new Lit(s.substring(0, s.length() - 1)));
        } else if (!s.equals("a")) {
          out.add(new Lit("a"));
        }
        return List.copyOf(out);
      }
      if (value instanceof Long l && l != 0) {
        return List.of(new Lit(0L));
      }
      if (value instanceof Integer i && i != 0) {
        return List.of(new Lit(0));
      }
      return List.of();
    }
  }

  /**
   * The key of the {@code k mod count}-th row of {@code model}; when it has none, null for a
   * nullable field ({@code orNull}), else a key no row holds ({@code NO_ROW}).
   */
  record Live(String model, int k, boolean orNull) implements Val {
    @Override
    public String java(String current) {
      return (orNull ? "kthOrNull" : "kth") + "(store, " + model + ".class, " + k + ")";
    }

    @Override
    public @Nullable Object resolve(Store store, @Nullable Row current) {
      return orNull ? StatefulStoreTest.kthOrNull(store, type(model), k)
          : (Object) StatefulStoreTest.kth(store, type(model), k);
    }

    @Override
    public @Nullable Object resolve(NaiveStore reference, @Nullable Row current) {
      return orNull && reference.rows(model).isEmpty() ? null : (Object) reference.kth(model, k);
    }

    @Override
    public List<Val> shrink() {
      List<Val> out = new ArrayList<>();
      if (orNull) {
        out.add(new Lit(null));
      }
      if (k != 0) {
        out.add(new Live(model, 0, orNull));
      }
      return out;
    }
  }

  /** The current value of a field of the row being updated. */
  record Keep(String field) implements Val {
    @Override
    public String java(String current) {
      return current + "." + field + "()";
    }

    @Override
    public @Nullable Object resolve(Store store, @Nullable Row current) {
      return Objects.requireNonNull(current, "Keep outside an update").values().get(field);
    }

    @Override
    public @Nullable Object resolve(NaiveStore reference, @Nullable Row current) {
      return Objects.requireNonNull(current, "Keep outside an update").values().get(field);
    }
  }

  /** A record of {@code model} with one value per component, the key first. */
  record RowSpec(String model, List<Val> vals) {
    String java(String current) {
      List<String> args = new ArrayList<>();
      for (Val v : vals) {
        args.add(v.java(current));
      }
      return "new " + model + "(" + String.join(", ", args) + ")";
    }

    Record build(Store store, @Nullable Row current) {
      Class<? extends Record> type = type(model);
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        args[i] = vals.get(i).resolve(store, current);
      }
      return StatefulStoreTest.construct(type, types, args);
    }

    Row build(NaiveStore reference, @Nullable Row current) {
      Map<String, @Nullable Object> values = new LinkedHashMap<>();
      values.put("id", vals.get(0).resolve(reference, current));
      List<Field> fields = reference.model(model).fields();
      for (int i = 0; i < fields.size(); i++) {
        values.put(fields.get(i).name(), vals.get(i + 1).resolve(reference, current));
      }
      return new Row(model, values);
    }

    List<RowSpec> shrink() {
      List<RowSpec> out = new ArrayList<>();
      for (int i = 0; i < vals.size(); i++) {
        for (Val simpler : vals.get(i).shrink()) {
          out.add(with(i, simpler));
        }
      }
      return out;
    }

    RowSpec with(int i, Val v) {
      List<Val> copy = new ArrayList<>(vals);
      copy.set(i, v);
      return new RowSpec(model, copy);
    }
  }

  /** Simpler rows: first the same row with the key left to the store, then simpler values. */
  private static List<RowSpec> withAssignedKey(RowSpec spec) {
    List<RowSpec> out = new ArrayList<>();
    if (!(spec.vals().get(0) instanceof Lit)) {
      out.add(spec.with(0, new Lit(0L)));
    }
    out.addAll(spec.shrink());
    return out;
  }

  private static String rowExpression(String model, int k) {
    return "kthRow(store, " + model + ".class, " + k + ")";
  }

  private static @Nullable Row kthReferenceRow(NaiveStore reference, String model, int k) {
    List<Row> all = reference.rows(model);
    return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
  }

  // ------------------------------------------------------------------ actions

  record Create(RowSpec spec) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      return row(store.create(spec.build(store, null)));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      return reference.create(spec.model(), spec.build(reference, null).values());
    }

    @Override
    public List<Create> shrink() {
      return withAssignedKey(spec).stream().map(Create::new).toList();
    }

    @Override
    public String toString() {
      return "store.create(" + spec.java("") + ");";
    }
  }

  /** Replaces the k-th row of the model: its key and the {@link Keep} fields stay. */
  record Update(int k, RowSpec spec) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      Record current = kthRow(store, type(spec.model()), k);
      return current == null ? SKIP : row(store.update(spec.build(store, row(current))));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      Row current = kthReferenceRow(reference, spec.model(), k);
      return current == null ? SKIP
          : reference.update(spec.model(), spec.build(reference, current).values());
    }

    @Override
    public List<Update> shrink() {
      List<Update> out = new ArrayList<>();
      List<Field> fields = StatefulStoreTest.REFERENCE_SCHEMA.stream()
          .filter(m -> m.name().equals(spec.model())).findFirst().orElseThrow().fields();
      for (int i = 1; i < spec.vals().size(); i++) {
        if (!(spec.vals().get(i) instanceof Keep)) {
          out.add(new Update(k, spec.with(i, new Keep(fields.get(i - 1).name()))));
        }
      }
      for (RowSpec simpler : spec.shrink()) {
        out.add(new Update(k, simpler));
      }
      if (k != 0) {
        out.add(new Update(0, spec));
      }
      return out;
    }

    @Override
    public String toString() {
      return "store.update(" + spec.java(rowExpression(spec.model(), k)) + ");";
    }
  }

  record Save(RowSpec spec) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      return row(store.save(spec.build(store, null)));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      return reference.save(spec.model(), spec.build(reference, null).values());
    }

    @Override
    public List<Save> shrink() {
      return withAssignedKey(spec).stream().map(Save::new).toList();
    }

    @Override
    public String toString() {
      return "store.save(" + spec.java("") + ");";
    }
  }

  /** Creates rows of several models in one atomic call. */
  record BulkCreate(List<RowSpec> rows) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      List<Record> records = new ArrayList<>();
      for (RowSpec r : rows) {
        records.add(r.build(store, null));
      }
      List<Row> stored = new ArrayList<>();
      for (Record r : store.bulkCreate(records)) {
        stored.add(row(r));
      }
      return stored;
    }

    @Override
    public Object onModel(NaiveStore reference) {
      List<Row> built = new ArrayList<>();
      for (RowSpec r : rows) {
        built.add(r.build(reference, null));
      }
      return reference.bulkCreate(built);
    }

    @Override
    public List<BulkCreate> shrink() {
      List<BulkCreate> out = new ArrayList<>();
      for (int i = 0; rows.size() > 1 && i < rows.size(); i++) {
        List<RowSpec> fewer = new ArrayList<>(rows);
        fewer.remove(i);
        out.add(new BulkCreate(fewer));
      }
      for (int i = 0; i < rows.size(); i++) {
        for (RowSpec simpler : rows.get(i).shrink()) {
          List<RowSpec> copy = new ArrayList<>(rows);
          copy.set(i, simpler);
          out.add(new BulkCreate(copy));
        }
      }
      return out;
    }

    @Override
    public String toString() {
      List<String> records = new ArrayList<>();
      for (RowSpec r : rows) {
        records.add(r.java(""));
      }
      return "store.bulkCreate(List.<Record>of(" + String.join(", ", records) + "));";
    }
  }

  record Delete(String model, int k) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      Record current = kthRow(store, type(model), k);
      return current == null ? SKIP : deleted(store.delete(current));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      Row current = kthReferenceRow(reference, model, k);
      return current == null ? SKIP : reference.delete(model, key(current));
    }

    @Override
    public List<Delete> shrink() {
      return k == 0 ? List.of() : List.of(new Delete(model, 0));
    }

    @Override
    public String toString() {
      return "store.delete(" + rowExpression(model, k) + ");";
    }
  }

  /** Deletes a record whose key is not stored (or 0, which is refused). */
  record DeleteGone(String model, long pk) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      return deleted(store.delete(StatefulStoreTest.phantom(type(model), pk)));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      return reference.deleteRecord(model, pk);
    }

    @Override
    public String toString() {
      return "store.delete(phantom(" + model + ".class, " + pk + "L));";
    }
  }

  /**
   * Keys for a delete of many rows: those whose position i in key order has bit {@code i mod 64}
   * set in {@code mask}; {@code extra} 1 lists each twice, 2 adds a key no row holds.
   */
  record Keys(String model, long mask, int extra) {
    long[] resolve(Store store) {
      return with(StatefulStoreTest.pick(store, type(model), mask));
    }

    long[] resolve(NaiveStore reference) {
      return with(reference.pick(model, mask));
    }

    private long[] with(long[] picked) {
      return switch (extra) {
        case 1 -> StatefulStoreTest.twice(picked);
        case 2 -> StatefulStoreTest.plus(picked, MISSING);
        default -> picked;
      };
    }

    List<Keys> shrink() {
      List<Keys> out = new ArrayList<>();
      if (extra != 0) {
        out.add(new Keys(model, mask, 0));
      }
      for (long fewer : fewerBits(mask)) {
        out.add(new Keys(model, fewer, extra));
      }
      return out;
    }

    String java() {
      String pick = "pick(store, " + model + ".class, " + hex(mask) + ")";
      return switch (extra) {
        case 1 -> "twice(" + pick + ")";
        case 2 -> "plus(" + pick + ", " + MISSING + "L)";
        default -> pick;
      };
    }
  }

  /** A key that no row holds (explicit keys stay below 200, assigned ones count up from 1). */
  static final long MISSING = 1_000_000L;

  /** Deletes a subset of the rows of one model in one collection (Django's QuerySet.delete()). */
  record DeleteAll(Keys keys) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      return deleted(store.deleteAll(type(keys.model()), keys.resolve(store)));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      return reference.delete(keys.model(), keys.resolve(reference));
    }

    @Override
    public List<DeleteAll> shrink() {
      return keys.shrink().stream().map(DeleteAll::new).toList();
    }

    @Override
    public String toString() {
      return "store.deleteAll(" + keys.model() + ".class, " + keys.java() + ");";
    }
  }

  /** What a plan says and what the delete after it did. */
  record Planned(NaiveStore.Plan plan, Object delete) {
  }

  /** Plans the delete of the k-th row, then deletes it: the plan must predict the delete. */
  record PlanDelete(String model, int k) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      Record current = kthRow(store, type(model), k);
      if (current == null) {
        return SKIP;
      }
      DeletePlan plan = store.planDelete(current);
      return new Planned(StatefulStoreTest.plan(plan),
          deleteAfter(store, plan, () -> store.delete(current)));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      Row current = kthReferenceRow(reference, model, k);
      if (current == null) {
        return SKIP;
      }
      return new Planned(reference.plan(model, key(current)),
          modelOutcome(() -> reference.delete(model, key(current))));
    }

    @Override
    public List<PlanDelete> shrink() {
      return k == 0 ? List.of() : List.of(new PlanDelete(model, 0));
    }

    @Override
    public String toString() {
      String row = rowExpression(model, k);
      return "store.planDelete(" + row + "); attempt(() -> store.delete(" + row + "));";
    }
  }

  /** Plans the delete of a subset of one model, then deletes it. */
  record PlanDeleteAll(Keys keys) implements StoreAction {
    @Override
    public Object onSystem(Store store) {
      Class<? extends Record> type = type(keys.model());
      long[] pks = keys.resolve(store);
      DeletePlan plan = store.planDeleteAll(type, pks);
      return new Planned(StatefulStoreTest.plan(plan),
          deleteAfter(store, plan, () -> store.deleteAll(type, pks)));
    }

    @Override
    public Object onModel(NaiveStore reference) {
      long[] pks = keys.resolve(reference);
      return new Planned(reference.plan(keys.model(), pks),
          modelOutcome(() -> reference.delete(keys.model(), pks)));
    }

    @Override
    public List<PlanDeleteAll> shrink() {
      return keys.shrink().stream().map(PlanDeleteAll::new).toList();
    }

    @Override
    public String toString() {
      String m = keys.model() + ".class, " + keys.java();
      return "store.planDeleteAll(" + m + "); attempt(() -> store.deleteAll(" + m + "));";
    }
  }

  private static long key(Row row) {
    return (Long) Objects.requireNonNull(row.values().get("id"));
  }

  private static String hex(long mask) {
    return "0x" + Long.toHexString(mask) + "L";
  }

  private static List<Long> fewerBits(long mask) {
    if (Long.bitCount(mask) <= 1) {
      return List.of();
    }
    return List.of(Long.lowestOneBit(mask), mask & ~Long.highestOneBit(mask));
  }

  private static Object modelOutcome(Supplier<NaiveStore.Deleted> delete) {
    try {
      return delete.get();
    } catch (NaiveStore.Refusal e) {
      return errorView(e);
    }
  }

  /**
   * Runs the delete a plan was made for and checks, on the store alone, that the plan predicted
   * it: a blocked plan throws the error of its blockers (same keys, same rows); an allowed plan
   * deletes exactly its rows, sets its fields and returns its result, or fails at the commit's
   * foreign-key check, which a plan does not run.
   */
  static Object deleteAfter(Store store, DeletePlan plan, Supplier<DeleteResult> delete) {
    DeleteResult result;
    try {
      result = delete.get();
    } catch (ProtectedError e) {
      assertFalse(plan.protectedBy().isEmpty(), () -> "the plan had no PROTECT blocker: " + plan);
      assertEquals(keys(plan.protectedBy()), e.keys(), () -> "PROTECT keys of " + plan);
      assertEquals(blockingRows(plan.protectedBy()), rows(e.protectedObjects()));
      return errorView(e);
    } catch (RestrictedError e) {
      assertTrue(plan.protectedBy().isEmpty(), () -> "the plan had PROTECT blockers: " + plan);
      assertFalse(plan.restrictedBy().isEmpty(), () -> "the plan had no RESTRICT blocker: " + plan);
      assertEquals(keys(plan.restrictedBy()), e.keys(), () -> "RESTRICT keys of " + plan);
      assertEquals(blockingRows(plan.restrictedBy()), rows(e.restrictedObjects()));
      return errorView(e);
    } catch (StoreException e) {
      assertTrue(plan.allowed(), () -> "a blocked plan, but the delete threw " + e + ": " + plan);
      assertInstanceOf(IntegrityError.class, e, () -> "after the plan " + plan);
      return errorView(e);
    }
    assertTrue(plan.allowed(), () -> "the delete succeeded but the plan was blocked: " + plan);
    assertEquals(plan.result(), result, () -> "the result of " + plan);
    for (List<Object> list : plan.deletions().values()) {
      for (Object r : list) {
        assertNull(store.getOrNull(type(r.getClass().getSimpleName()), key(row(r))),
            () -> "planned for deletion but still stored: " + r);
      }
    }
    for (DeletePlan.FieldUpdate u : plan.updates()) {
      String field = u.field().substring(u.field().indexOf('.') + 1);
      for (Object r : u.rows()) {
        Record now = store.getOrNull(type(r.getClass().getSimpleName()), key(row(r)));
        if (now != null) {
          assertEquals(u.value(), row(now).values().get(field), () -> "planned " + u + " on " + now);
        }
      }
    }
    return deleted(result);
  }

  private static List<String> keys(List<DeletePlan.Blocker> blockers) {
    return blockers.stream().map(DeletePlan.Blocker::key).toList();
  }

  private static Set<Row> blockingRows(List<DeletePlan.Blocker> blockers) {
    Set<Row> out = new LinkedHashSet<>();
    for (DeletePlan.Blocker b : blockers) {
      out.addAll(rows(b.rows()));
    }
    return out;
  }

  // ------------------------------------------------------------------ generator

  private static final String[] CREATED = {"Owner", "Node", "Item", "Tag", "Stamp", "Link", "Note"};
  private static final int[] CREATE_WEIGHTS = {3, 5, 4, 3, 2, 2, 2};
  private static final int[] DELETE_WEIGHTS = {3, 4, 3, 1, 1, 1, 1};

  /** One random action; weights favour creates and deletes, values are mostly valid. */
  static StoreAction random(SplittableRandom r) {
    int roll = r.nextInt(100);
    if (roll < 32) {
      String model = choose(r, CREATE_WEIGHTS);
      return new Create(randomRow(r, model, createKey(r, model)));
    }
    if (roll < 42) {
      return randomUpdate(r, choose(r, CREATE_WEIGHTS));
    }
    if (roll < 48) {
      String model = choose(r, CREATE_WEIGHTS);
      Val key = r.nextInt(3) == 0 ? createKey(r, model) : new Live(model, r.nextInt(1000), false);
      return new Save(randomRow(r, model, key));
    }
    if (roll < 56) {
      List<RowSpec> rows = new ArrayList<>();
      for (int i = r.nextInt(1, 5); i > 0; i--) {
        String model = choose(r, CREATE_WEIGHTS);
        rows.add(randomRow(r, model, createKey(r, model)));
      }
      return new BulkCreate(rows);
    }
    String model = choose(r, DELETE_WEIGHTS);
    if (roll < 68) {
      return new Delete(model, r.nextInt(1000));
    }
    if (roll < 70) {
      return new DeleteGone(model, r.nextInt(4) == 0 ? 0 : MISSING + r.nextInt(100));
    }
    if (roll < 79) {
      return new DeleteAll(randomKeys(r, model));
    }
    if (roll < 90) {
      return new PlanDelete(model, r.nextInt(1000));
    }
    return new PlanDeleteAll(randomKeys(r, model));
  }

  private static String choose(SplittableRandom r, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return CREATED[i];
      }
    }
    throw new IllegalStateException();
  }

  private static Keys randomKeys(SplittableRandom r, String model) {
    long mask = r.nextBoolean() ? r.nextLong() : r.nextLong() & r.nextLong();
    int roll = r.nextInt(10);
    return new Keys(model, mask, roll == 0 ? 1 : roll == 1 ? 2 : 0);
  }

  /** Mostly 0 (assign a key); sometimes a taken key, an explicit new one, or a negative one. */
  private static Val createKey(SplittableRandom r, String model) {
    int roll = r.nextInt(100);
    if (roll < 86) {
      return new Lit(0L);
    }
    if (roll < 91) {
      return new Live(model, r.nextInt(1000), false);
    }
    return roll < 96 ? new Lit(100L + r.nextInt(8)) : new Lit(-1L);
  }

  private static Update randomUpdate(SplittableRandom r, String model) {
    List<Val> vals = new ArrayList<>();
    vals.add(r.nextInt(20) == 0 ? new Lit(MISSING + r.nextInt(100)) : new Keep("id"));
    for (Field f : fieldsOf(model)) {
      vals.add(r.nextBoolean() ? new Keep(f.name()) : randomValue(r, f));
    }
    return new Update(r.nextInt(1000), new RowSpec(model, vals));
  }

  private static RowSpec randomRow(SplittableRandom r, String model, Val key) {
    List<Val> vals = new ArrayList<>();
    vals.add(key);
    for (Field f : fieldsOf(model)) {
      vals.add(randomValue(r, f));
    }
    return new RowSpec(model, vals);
  }

  private static List<Field> fieldsOf(String model) {
    for (NaiveStore.Model m : StatefulStoreTest.REFERENCE_SCHEMA) {
      if (m.name().equals(model)) {
        return m.fields();
      }
    }
    throw new IllegalArgumentException(model);
  }

  private static Val randomValue(SplittableRandom r, Field f) {
    int roll = r.nextInt(100);
    if (f instanceof Str s) {
      if (roll < 88 || roll < 94 && s.maxLength() == 0) {
        return new Lit(word(r, 1 + r.nextInt(Math.min(3, s.maxLength() == 0 ? 3 : s.maxLength()))));
      }
      if (roll < 94) {
        return new Lit(word(r, s.maxLength() + 1 + r.nextInt(2)));
      }
      return roll < 97 ? new Lit(null) : new Lit(s.slug() ? "a b" : "");
    }
    if (f instanceof Fk fk) {
      if (fk.nullable() && roll < 25) {
        return new Lit(null);
      }
      if (roll < 84) {
        return new Live(fk.target(), r.nextInt(1000), fk.nullable());
      }
      if (roll < 89) {
        return new Lit(100L + r.nextInt(8));
      }
      return roll < 94 ? new Lit(MISSING + r.nextInt(100)) : new Lit(r.nextBoolean() ? 0L : -1L);
    }
    return new Lit(r.nextInt(10));
  }

  private static String word(SplittableRandom r, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + r.nextInt(3)));
    }
    return sb.toString();
  }
}
