package io.relstore.harness;

import io.relstore.DoesNotExist;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.RestrictedError;
import io.relstore.StoreException;
import io.relstore.ValidationError;
import io.relstore.annotation.OnDelete;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The reference model of the stateful store property: a deliberately naive re-implementation of
 * relstore's contract over plain maps, written from {@code collector-rules.md} and DESIGN.md and
 * sharing no code with the store. Each model is a sorted map from primary key to a map of field
 * values; every operation copies the whole state first and puts it back when it fails, so a failed
 * operation changes nothing. Deletes follow Django's {@code Collector} literally: a recursive
 * {@code collect} per level over the relations in registration then declaration order, rows
 * collected once, PROTECT errors re-keyed at every level so the top level names the first hop,
 * RESTRICT rows set aside and cleared at the end when the same delete collects them, field updates
 * (SET_NULL, SET_DEFAULT, SET) recorded per relation visit, DO_NOTHING skipped; then updates,
 * deletions and a check of every constrained foreign key.
 */
final class NaiveStore {
  /** A key no row of a model holds when the model is empty ("the k-th row" of nothing). */
  static final long NO_ROW = 999_999_999L;
  private static final Pattern SLUG = Pattern.compile("[-a-zA-Z0-9_]+");

  /** A field of a reference model (the primary key {@code id} is implicit and comes first). */
  sealed interface Field permits Str, Int, Fk {
    String name();
  }

  /** A string field: {@code maxLength} 0 means unlimited. */
  record Str(String name, int maxLength, boolean unique, boolean slug) implements Field {
  }

  /** A non-null int field. */
  record Int(String name) implements Field {
  }

  /**
   * A foreign key. {@code defaultValue} fills a null on create and is what SET_DEFAULT writes;
   * {@code setTo} computes SET's value (it may write, e.g. create a sentinel row).
   */
  record Fk(String name, String target, OnDelete rule, boolean nullable, boolean constrained,
      @Nullable Long defaultValue, @Nullable Function<NaiveStore, Long> setTo) implements Field {
  }

  /** A model: Django's name (for keys and messages), its label (for counts), its fields. */
  record Model(String name, String label, List<Field> fields) {
  }

  /** A row as the properties compare it: the model's name and every field value, {@code id} first. */
  record Row(String model, Map<String, @Nullable Object> values) {
    @Override
    public String toString() {
      return model + values;
    }
  }

  /** A delete's outcome: Django's {@code (total, {label: count})}. */
  record Deleted(int total, Map<String, Integer> counts) {
  }

  /** Rows blocking a delete under one of Django's keys. */
  record Blocker(String key, Set<Row> rows) {
  }

  /**
   * What a delete would do.
   *
   * @param deletions rows per label, each in key order
   * @param updates {@code "Model.field=value"} to the keys of the rows it is written to
   */
  record Plan(String model, List<Long> roots, Map<String, List<Row>> deletions,
      Map<String, Set<Long>> updates, List<Blocker> protectedBy, List<Blocker> restrictedBy) {
  }

  /** The failure relstore must raise: its exception type and, for blockers, keys and rows. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Class<? extends StoreException> kind;
    final String model;
    final transient List<String> keys;
    final transient Set<Row> objects;

    Refusal(Class<? extends StoreException> kind, String detail) {
      this(kind, "", List.of(), Set.of(), detail);
    }

    Refusal(Class<? extends StoreException> kind, String model, List<String> keys, Set<Row> objects,
        String detail) {
      super(kind.getSimpleName() + ": " + detail);
      this.kind = kind;
      this.model = model;
      this.keys = List.copyOf(keys);
      this.objects = Set.copyOf(objects);
    }
  }

  private record Relation(Model model, Fk fk) {
  }

  private record Update(Model model, Fk fk, @Nullable Long value, List<Long> pks) {
  }

  private final List<Model> models;
  private final Map<String, Model> byName = new HashMap<>();
  private Map<String, TreeMap<Long, Map<String, @Nullable Object>>> tables = new HashMap<>();
  private Map<String, Long> nextIds = new HashMap<>();

  NaiveStore(List<Model> models) {
    this.models = List.copyOf(models);
    for (Model m : models) {
      byName.put(m.name(), m);
      tables.put(m.name(), new TreeMap<>());
      nextIds.put(m.name(), 1L);
    }
  }

  // ------------------------------------------------------------------ reads

  Model model(String name) {
    return Objects.requireNonNull(byName.get(name), name);
  }

  /** Every row of a model in key order. */
  List<Row> rows(String model) {
    List<Row> out = new ArrayList<>();
    for (Map<String, @Nullable Object> values : tables.get(model).values()) {
      out.add(new Row(model, values));
    }
    return out;
  }

  @Nullable Map<String, @Nullable Object> row(String model, long pk) {
    return tables.get(model).get(pk);
  }

  /** The key of the {@code k mod count}-th row in key order, or {@link #NO_ROW}. */
  long kth(String model, int k) {
    List<Long> keys = new ArrayList<>(tables.get(model).keySet());
    return keys.isEmpty() ? NO_ROW : keys.get(Math.floorMod(k, keys.size()));
  }

  /** The keys of the rows whose position i in key order has bit {@code i mod 64} set in mask. */
  long[] pick(String model, long mask) {
    List<Long> keys = new ArrayList<>(tables.get(model).keySet());
    List<Long> chosen = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if ((mask >>> (i % 64) & 1) != 0) {
        chosen.add(keys.get(i));
      }
    }
    return chosen.stream().mapToLong(Long::longValue).toArray();
  }

  /** The first row of {@code model} whose {@code field} equals {@code value}, else a new one. */
  long getOrCreate(String model, String field, Object value, Map<String, @Nullable Object> fresh) {
    for (Map.Entry<Long, Map<String, @Nullable Object>> e : tables.get(model).entrySet()) {
      if (value.equals(e.getValue().get(field))) {
        return e.getKey();
      }
    }
    return (Long) Objects.requireNonNull(insert(model(model), fresh).get("id"));
  }

  // ------------------------------------------------------------------ writes

  Row create(String model, Map<String, @Nullable Object> values) {
    return atomic(() -> new Row(model, insert(model(model), values)));
  }

  Row update(String model, Map<String, @Nullable Object> values) {
    return atomic(() -> new Row(model, replace(model(model), values)));
  }

  Row save(String model, Map<String, @Nullable Object> values) {
    return atomic(() -> {
      long pk = key(values);
      Model m = model(model);
      return new Row(model, pk > 0 && tables.get(model).containsKey(pk) ? replace(m, values)
          : insert(m, values));
    });
  }

  List<Row> bulkCreate(List<Row> rows) {
    return atomic(() -> {
      List<Row> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Row(r.model(), insert(model(r.model()), r.values())));
      }
      return out;
    });
  }

  private static long key(Map<String, @Nullable Object> values) {
    return (Long) Objects.requireNonNull(values.get("id"), "id");
  }

  private Map<String, @Nullable Object> insert(Model m, Map<String, @Nullable Object> given) {
    long pk = key(given);
    TreeMap<Long, Map<String, @Nullable Object>> table = tables.get(m.name());
    if (pk < 0) {
      throw new Refusal(ValidationError.class, m.name() + ".id = " + pk);
    }
    if (pk != 0 && table.containsKey(pk)) {
      throw new Refusal(IntegrityError.class, m.name() + ".id = " + pk + " exists");
    }
    Map<String, @Nullable Object> row = new LinkedHashMap<>(given);
    for (Field f : m.fields()) {
      if (f instanceof Fk fk && fk.defaultValue() != null && row.get(f.name()) == null) {
        row.put(f.name(), fk.defaultValue());
      }
    }
    validate(m, row);
    if (pk == 0) {
      pk = nextIds.get(m.name());
      row.put("id", pk);
    }
    checkUnique(m, row, pk);
    nextIds.put(m.name(), Math.max(nextIds.get(m.name()), pk + 1));
    Map<String, @Nullable Object> stored = Collections.unmodifiableMap(row);
    table.put(pk, stored);
    return stored;
  }

  private Map<String, @Nullable Object> replace(Model m, Map<String, @Nullable Object> given) {
    long pk = key(given);
    TreeMap<Long, Map<String, @Nullable Object>> table = tables.get(m.name());
    if (pk <= 0 || !table.containsKey(pk)) {
      throw new Refusal(DoesNotExist.class, m.name() + ".id = " + pk);
    }
    Map<String, @Nullable Object> row = new LinkedHashMap<>(given);
    validate(m, row);
    checkUnique(m, row, pk);
    Map<String, @Nullable Object> stored = Collections.unmodifiableMap(row);
    table.put(pk, stored);
    return stored;
  }

  private static void validate(Model m, Map<String, @Nullable Object> row) {
    for (Field f : m.fields()) {
      Object v = row.get(f.name());
      String where = m.name() + "." + f.name() + " = " + v;
      if (f instanceof Str s) {
        if (v == null) {
          throw new Refusal(ValidationError.class, where + ": null");
        }
        String text = (String) v;
        if (s.maxLength() > 0 && text.length() > s.maxLength()) {
          throw new Refusal(ValidationError.class, where + ": too long");
        }
        if (s.slug() && !SLUG.matcher(text).matches()) {
          throw new Refusal(ValidationError.class, where + ": not a slug");
        }
      } else if (f instanceof Fk fk) {
        if (v == null && !fk.nullable()) {
          throw new Refusal(ValidationError.class, where + ": null");
        }
        if (v != null && (Long) v <= 0) {
          throw new Refusal(ValidationError.class, where + ": not a key");
        }
      } else {
        Objects.requireNonNull(v, where);
      }
    }
  }

  private void checkUnique(Model m, Map<String, @Nullable Object> row, long pk) {
    for (Field f : m.fields()) {
      Object v = row.get(f.name());
      if (f instanceof Str s && s.unique() && v != null) {
        for (Map.Entry<Long, Map<String, @Nullable Object>> e : tables.get(m.name()).entrySet()) {
          if (e.getKey() != pk && v.equals(e.getValue().get(f.name()))) {
            throw new Refusal(IntegrityError.class, m.name() + "." + f.name() + " = " + v
                + " is taken by id " + e.getKey());
          }
        }
      }
    }
  }

  /** The commit check: every non-null constrained foreign key names a stored row. */
  private void checkForeignKeys() {
    for (Model m : models) {
      for (Map<String, @Nullable Object> row : tables.get(m.name()).values()) {
        for (Field f : m.fields()) {
          Object v = row.get(f.name());
          if (f instanceof Fk fk && fk.constrained() && v != null
              && !tables.get(fk.target()).containsKey((Long) v)) {
            throw new Refusal(IntegrityError.class, m.name() + row + "." + f.name()
                + " points at no " + fk.target());
          }
        }
      }
    }
  }

  private <T> T atomic(Supplier<T> body) {
    Map<String, TreeMap<Long, Map<String, @Nullable Object>>> savedTables = copyTables();
    Map<String, Long> savedIds = new HashMap<>(nextIds);
    try {
      T result = body.get();
      checkForeignKeys();
      return result;
    } catch (RuntimeException e) {
      tables = savedTables;
      nextIds = savedIds;
      throw e;
    }
  }

  private Map<String, TreeMap<Long, Map<String, @Nullable Object>>> copyTables() {
    Map<String, TreeMap<Long, Map<String, @Nullable Object>>> copy = new HashMap<>();
    for (Map.Entry<String, TreeMap<Long, Map<String, @Nullable Object>>> e : tables.entrySet()) {
      copy.put(e.getKey(), new TreeMap<>(e.getValue()));
    }
    return copy;
  }

  // ------------------------------------------------------------------ deletes

  /** What one delete collected. */
  private final class Collection {
    final Model root;
    final List<Long> roots = new ArrayList<>();
    final Map<String, LinkedHashSet<Long>> collected = new LinkedHashMap<>();
    final List<Update> updates = new ArrayList<>();
    /** RESTRICT rows per referencing model, then per field, each in the order first met. */
    final Map<String, Map<String, LinkedHashSet<Long>>> restricted = new LinkedHashMap<>();
    Map<String, Set<Row>> protectedBy = Map.of();
    final Map<String, Set<Row>> restrictedLeft = new LinkedHashMap<>();

    Collection(Model root) {
      this.root = root;
    }

    /** Django's {@code add}: the rows not collected before. */
    List<Long> add(Model m, List<Long> pks) {
      Set<Long> set = collected.computeIfAbsent(m.name(), k -> new LinkedHashSet<>());
      List<Long> fresh = new ArrayList<>();
      for (Long pk : pks) {
        if (set.add(pk)) {
          fresh.add(pk);
        }
      }
      return fresh;
    }

    boolean isCollected(String model, long pk) {
      Set<Long> set = collected.get(model);
      return set != null && set.contains(pk);
    }
  }

  private List<Relation> relationsTo(Model target) {
    List<Relation> out = new ArrayList<>();
    for (Model m : models) {
      for (Field f : m.fields()) {
        if (f instanceof Fk fk && fk.target().equals(target.name())) {
          out.add(new Relation(m, fk));
        }
      }
    }
    return out;
  }

  private List<Long> referrers(Relation r, List<Long> parents) {
    Set<Long> wanted = new HashSet<>(parents);
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Long, Map<String, @Nullable Object>> e : tables.get(r.model().name()).entrySet()) {
      if (wanted.contains(e.getValue().get(r.fk().name()))) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private Set<Row> rowsOf(Model m, Iterable<Long> pks) {
    Set<Row> out = new LinkedHashSet<>();
    for (Long pk : pks) {
      out.add(new Row(m.name(), tables.get(m.name()).get(pk)));
    }
    return out;
  }

  private Collection collect(String model, long[] pks) {
    Model m = model(model);
    Collection c = new Collection(m);
    for (long pk : pks) {
      if (tables.get(model).containsKey(pk) && !c.roots.contains(pk)) {
        c.roots.add(pk);
      }
    }
    c.protectedBy = collect(c, m, c.roots);
    for (Map.Entry<String, Map<String, LinkedHashSet<Long>>> byModel : c.restricted.entrySet()) {
      for (Map.Entry<String, LinkedHashSet<Long>> byField : byModel.getValue().entrySet()) {
        List<Long> left = new ArrayList<>();
        for (Long pk : byField.getValue()) {
          if (!c.isCollected(byModel.getKey(), pk)) {
            left.add(pk);
          }
        }
        if (!left.isEmpty()) {
          c.restrictedLeft.put("'" + byModel.getKey() + "." + byField.getKey() + "'",
              rowsOf(model(byModel.getKey()), left));
        }
      }
    }
    return c;
  }

  /**
   * One level of Django's {@code Collector.collect}; returns the protected rows found at or below
   * this level, keyed by this level's relation.
   */
  private Map<String, Set<Row>> collect(Collection c, Model model, List<Long> objs) {
    List<Long> fresh = c.add(model, objs);
    Map<String, Set<Row>> protectedHere = new LinkedHashMap<>();
    if (fresh.isEmpty()) {
      return protectedHere;
    }
    for (Relation r : relationsTo(model)) {
      Fk fk = r.fk();
      if (fk.rule() == OnDelete.DO_NOTHING) {
        continue;
      }
      List<Long> subs = referrers(r, fresh);
      if (subs.isEmpty()) {
        continue;
      }
      String key = "'" + r.model().name() + "." + fk.name() + "'";
      switch (fk.rule()) {
        case CASCADE -> {
          Map<String, Set<Row>> nested = collect(c, r.model(), subs);
          for (Set<Row> rows : nested.values()) {
            protectedHere.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(rows);
          }
        }
        case PROTECT ->
            protectedHere.computeIfAbsent(key, k -> new LinkedHashSet<>())
                .addAll(rowsOf(r.model(), subs));
        case RESTRICT -> c.restricted.computeIfAbsent(r.model().name(), k -> new LinkedHashMap<>())
            .computeIfAbsent(fk.name(), k -> new LinkedHashSet<>()).addAll(subs);
        case SET_NULL -> c.updates.add(new Update(r.model(), fk, null, subs));
        case SET_DEFAULT -> c.updates.add(new Update(r.model(), fk, fk.defaultValue(), subs));
        case SET -> c.updates.add(new Update(r.model(), fk,
            Objects.requireNonNull(fk.setTo(), "SET without a value").apply(this), subs));
        case DO_NOTHING -> throw new IllegalStateException("skipped above");
      }
    }
    return protectedHere;
  }

  /** Deletes the stored rows among {@code pks} of {@code model} and all they reach. */
  Deleted delete(String model, long... pks) {
    return atomic(() -> {
      Collection c = collect(model, pks);
      if (!c.protectedBy.isEmpty()) {
        throw blocked(ProtectedError.class, c.root, c.protectedBy);
      }
      if (!c.restrictedLeft.isEmpty()) {
        throw blocked(RestrictedError.class, c.root, c.restrictedLeft);
      }
      for (Update u : c.updates) {
        TreeMap<Long, Map<String, @Nullable Object>> table = tables.get(u.model().name());
        for (Long pk : u.pks()) {
          Map<String, @Nullable Object> row = new LinkedHashMap<>(table.get(pk));
          row.put(u.fk().name(), u.value());
          validate(u.model(), row);
          table.put(pk, Collections.unmodifiableMap(row));
        }
      }
      Map<String, Integer> counts = new HashMap<>();
      int total = 0;
      for (Map.Entry<String, LinkedHashSet<Long>> e : c.collected.entrySet()) {
        int n = 0;
        for (Long pk : e.getValue()) {
          if (tables.get(e.getKey()).remove(pk) != null) {
            n++;
          }
        }
        if (n > 0) {
          counts.merge(model(e.getKey()).label(), n, Integer::sum);
          total += n;
        }
      }
      return new Deleted(total, counts);
    });
  }

  /** {@code store.delete(record)}: refused without a key, {@code (0, {})} when not stored. */
  Deleted deleteRecord(String model, long pk) {
    if (pk <= 0) {
      throw new Refusal(ValidationError.class, model + " without a key");
    }
    return delete(model, pk);
  }

  private static Refusal blocked(Class<? extends StoreException> kind, Model root,
      Map<String, Set<Row>> byKey) {
    Set<Row> all = new LinkedHashSet<>();
    for (Set<Row> rows : byKey.values()) {
      all.addAll(rows);
    }
    return new Refusal(kind, root.name(), new ArrayList<>(byKey.keySet()), all, byKey.toString());
  }

  /** What {@link #delete} would do; changes nothing (SET suppliers' writes are undone). */
  Plan plan(String model, long... pks) {
    Map<String, TreeMap<Long, Map<String, @Nullable Object>>> savedTables = copyTables();
    Map<String, Long> savedIds = new HashMap<>(nextIds);
    try {
      Collection c = collect(model, pks);
      Map<String, List<Row>> deletions = new HashMap<>();
      for (Map.Entry<String, LinkedHashSet<Long>> e : c.collected.entrySet()) {
        if (!e.getValue().isEmpty()) {
          Model m = model(e.getKey());
          deletions.put(m.label(), new ArrayList<>(rowsOf(m, new TreeSet<>(e.getValue()))));
        }
      }
      Map<String, Set<Long>> updates = new HashMap<>();
      for (Update u : c.updates) {
        updates.computeIfAbsent(u.model().name() + "." + u.fk().name() + "=" + u.value(),
            k -> new HashSet<>()).addAll(u.pks());
      }
      return new Plan(c.root.name(), List.copyOf(c.roots), deletions, updates,
          blockers(c.protectedBy), blockers(c.restrictedLeft));
    } finally {
      tables = savedTables;
      nextIds = savedIds;
    }
  }

  private static List<Blocker> blockers(Map<String, Set<Row>> byKey) {
    List<Blocker> out = new ArrayList<>();
    for (Map.Entry<String, Set<Row>> e : byKey.entrySet()) {
      out.add(new Blocker(e.getKey(), Set.copyOf(e.getValue())));
    }
    return out;
  }
}
