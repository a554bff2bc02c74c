package io.relstore.differential;

import io.relstore.DeletePlan;
import io.relstore.DeleteResult;
import io.relstore.F;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.QuerySet;
import io.relstore.RestrictedError;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.differential.Duo.RelstoreDelete;
import io.relstore.differential.GenSchema.GenField;
import io.relstore.differential.GenSchema.GenModel;
import io.relstore.differential.GenSchema.Kind;
import io.relstore.differential.H2Side.Refused;
import io.relstore.differential.H2Side.SupplierUpdate;
import io.relstore.differential.SqlSchema.ForeignKey;
import io.relstore.harness.Action;
import io.relstore.query.MatrixQuery;
import io.relstore.query.MatrixQuery.Call;
import io.relstore.query.MatrixQuery.Query;
import io.relstore.query.MatrixQuery.Terminal;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The actions of {@link DifferentialH2Test}: each runs on relstore ({@code onSystem}) and then on
 * H2 ({@code onModel}) and returns the same view of what happened, or the property fails. Rows are
 * named by position, resolved on each side's own state, so that shrinking leaves later actions
 * meaningful; each action prints as the Java it runs on the store.
 */
final class DiffActions {
  private DiffActions() {
  }

  /** Shorthand for the actions of this property. */
  interface DiffAction extends Action<Duo, Duo> {
  }

  /** The view of an operation that threw: its relstore exception's simple name. */
  record Threw(String kind) {
    @Override
    public String toString() {
      return "throws " + kind;
    }
  }

  /** The view of a refused delete (ProtectedError, RestrictedError or IntegrityError). */
  static final Threw REFUSED = new Threw("a refused delete");

  /** The rows a delete removed, per model label (relstore's counts; H2's key sets before/after). */
  record Deleted(Map<String, Integer> counts) {
  }

  private static Threw threw(StoreException e) {
    return new Threw(e.getClass().getSimpleName());
  }

  // ------------------------------------------------------------------ values

  /** A field value, resolved when the action runs against each side's own state. */
  sealed interface Val permits Lit, Live, Keep {
    String java(String current);

    @Nullable Object resolve(Duo duo, @Nullable Map<String, @Nullable Object> current,
        boolean relstore);

    default List<Val> shrink() {
      return List.of();
    }
  }

  /** A literal. */
  record Lit(@Nullable Object value) implements Val {
    @Override
    public String java(String current) {
      return MatrixQuery.javaValue(value);
    }

    @Override
    public @Nullable Object resolve(Duo duo, @Nullable Map<String, @Nullable Object> current,
        boolean relstore) {
      return value;
    }
  }

  /** The key of the k-th row of a model: when none, null ({@code orNull}) or {@link Repro#NO_ROW}. */
  record Live(String model, int k, boolean orNull) implements Val {
    @Override
    public String java(String current) {
      return (orNull ? "kthOrNull" : "kth") + "(store, " + model + ".class, " + k + ")";
    }

    @Override
    public @Nullable Object resolve(Duo duo, @Nullable Map<String, @Nullable Object> current,
        boolean relstore) {
      Long pk = relstore ? Repro.kthOrNull(duo.store, duo.type(model), k) : duo.h2.kth(model, k);
      return pk != null ? pk : orNull ? null : (Object) Repro.NO_ROW;
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
    public @Nullable Object resolve(Duo duo, @Nullable Map<String, @Nullable Object> current,
        boolean relstore) {
      return Objects.requireNonNull(current, "Keep outside an update").get(field);
    }
  }

  /** A row of a model: one value per record component ({@code names}), the key first. */
  record RowSpec(String model, List<String> names, List<Val> vals) {
    String java(String current) {
      List<String> args = new ArrayList<>();
      for (Val v : vals) {
        args.add(v.java(current));
      }
      return "new " + model + "(" + String.join(", ", args) + ")";
    }

    Map<String, @Nullable Object> values(Duo duo, @Nullable Map<String, @Nullable Object> current,
        boolean relstore) {
      Map<String, @Nullable Object> out = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), vals.get(i).resolve(duo, current, relstore));
      }
      return out;
    }

    Record record(Duo duo, @Nullable Map<String, @Nullable Object> current) {
      return Values.construct(duo.type(model), values(duo, current, true));
    }

    List<RowSpec> shrink() {
      List<RowSpec> out = new ArrayList<>();
      for (int i = 0; i < vals.size(); i++) {
        for (Val simpler : vals.get(i).shrink()) {
          List<Val> copy = new ArrayList<>(vals);
          copy.set(i, simpler);
          out.add(new RowSpec(model, names, copy));
        }
      }
      return out;
    }
  }

  static List<String> componentNames(GenModel m) {
    List<String> out = new ArrayList<>();
    out.add("id");
    for (GenField f : m.fields()) {
      out.add(f.name());
    }
    return out;
  }

  private static String rowExpression(String model, int k) {
    return "kthRow(store, " + model + ".class, " + k + ")";
  }

  // ------------------------------------------------------------------ writes

  record Create(RowSpec spec) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      try {
        return Values.row(duo.store.create(spec.record(duo, null)));
      } catch (StoreException e) {
        return threw(e);
      }
    }

    @Override
    public Object onModel(Duo duo) {
      Map<String, @Nullable Object> values = spec.values(duo, null, false);
      try {
        return duo.h2.transaction(() -> duo.h2.deferringKeys(List.of(spec.model()),
            () -> duo.h2.insert(spec.model(), values)));
      } catch (Refused e) {
        DiffStats.WRITES_REFUSED.incrementAndGet();
        return new Threw(e.kind);
      }
    }

    @Override
    public List<Create> shrink() {
      return spec.shrink().stream().map(Create::new).toList();
    }

    @Override
    public String toString() {
      return "store.create(" + spec.java("") + ");";
    }
  }

  record BulkCreate(List<RowSpec> rows) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      List<Record> records = new ArrayList<>();
      for (RowSpec r : rows) {
        records.add(r.record(duo, null));
      }
      try {
        return Values.rows(duo.store.bulkCreate(records));
      } catch (StoreException e) {
        return threw(e);
      }
    }

    @Override
    public Object onModel(Duo duo) {
      Set<String> models = new LinkedHashSet<>();
      List<Map<String, @Nullable Object>> values = new ArrayList<>();
      for (RowSpec r : rows) {
        models.add(r.model());
        values.add(r.values(duo, null, false));
      }
      try {
        return duo.h2.transaction(() -> duo.h2.deferringKeys(models, () -> {
          List<Map<String, @Nullable Object>> out = new ArrayList<>();
          for (int i = 0; i < rows.size(); i++) {
            out.add(duo.h2.insert(rows.get(i).model(), values.get(i)));
          }
          return out;
        }));
      } catch (Refused e) {
        DiffStats.WRITES_REFUSED.incrementAndGet();
        return new Threw(e.kind);
      }
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

  /** Replaces the k-th row of the model; {@link Keep} values stay. */
  record Update(int k, RowSpec spec) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      Record current = Repro.kthRow(duo.store, duo.type(spec.model()), k);
      if (current == null) {
        return SKIP;
      }
      try {
        return Values.row(duo.store.update(spec.record(duo, Values.raw(current))));
      } catch (StoreException e) {
        return threw(e);
      }
    }

    @Override
    public Object onModel(Duo duo) {
      Map<String, @Nullable Object> current = duo.h2.kthRow(spec.model(), k);
      if (current == null) {
        return SKIP;
      }
      Map<String, @Nullable Object> values = spec.values(duo, current, false);
      try {
        return duo.h2.transaction(() -> duo.h2.deferringKeys(List.of(spec.model()),
            () -> duo.h2.replace(spec.model(), values)));
      } catch (Refused e) {
        DiffStats.WRITES_REFUSED.incrementAndGet();
        return new Threw(e.kind);
      }
    }

    @Override
    public List<Update> shrink() {
      List<Update> out = new ArrayList<>();
      for (int i = 1; i < spec.vals().size(); i++) {
        if (!(spec.vals().get(i) instanceof Keep)) {
          List<Val> copy = new ArrayList<>(spec.vals());
          copy.set(i, new Keep(spec.names().get(i)));
          out.add(new Update(k, new RowSpec(spec.model(), spec.names(), copy)));
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

  // ------------------------------------------------------------------ deletes

  /** {@code store.delete(row)} of the k-th row. */
  record Delete(String model, int k) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      Record current = Repro.kthRow(duo.store, duo.type(model), k);
      if (current == null) {
        return SKIP;
      }
      DeletePlan plan = duo.store.planDelete(current);
      return relstoreDelete(duo, plan, () -> duo.store.delete(current));
    }

    @Override
    public Object onModel(Duo duo) {
      Long pk = duo.h2.kth(model, k);
      return pk == null ? SKIP : h2Delete(duo, model, List.of(pk));
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

  /** {@code QuerySet.delete()}: the query's calls select the rows (H2 selects them itself). */
  record DeleteWhere(Query query) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      QuerySet<?> qs = query.build(duo.store.objects(duo.type(query.model())));
      DeletePlan plan = qs.planDelete();
      return relstoreDelete(duo, plan, qs::delete);
    }

    @Override
    public Object onModel(Duo duo) {
      try {
        return h2Delete(duo, query.model(), SqlQuery.matching(duo.h2, query));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public List<DeleteWhere> shrink() {
      return MatrixQuery.simpler(query).stream().filter(q -> q.terminal() == Terminal.LIST)
          .map(DeleteWhere::new).toList();
    }

    @Override
    public String toString() {
      return calls(query) + ".delete();";
    }
  }

  private static String calls(Query query) {
    StringBuilder sb = new StringBuilder("store.objects(" + query.model() + ".class)");
    for (Call c : query.calls()) {
      sb.append(c.java());
    }
    return sb.toString();
  }

  private static Object relstoreDelete(Duo duo, DeletePlan plan,
      java.util.function.Supplier<DeleteResult> delete) {
    Object outcome;
    try {
      outcome = delete.get();
    } catch (StoreException e) {
      outcome = e;
    }
    duo.lastDelete = new RelstoreDelete(plan, outcome);
    if (outcome instanceof DeleteResult r) {
      return new Deleted(new TreeMap<>(r.counts()));
    }
    StoreException e = (StoreException) outcome;
    return e instanceof ProtectedError || e instanceof RestrictedError
        || e instanceof IntegrityError ? REFUSED : threw(e);
  }

  /**
   * The delete of {@code ids} on H2, reconciled with what relstore did where the engines differ by
   * design (see {@link SchemaTranslator}):
   *
   * <ol>
   *   <li>The driver computes the CASCADE closure in SQL, runs the SET(supplier) emulation, and
   *       deletes the rows with one {@code DELETE}: H2 runs CASCADE, SET NULL, SET DEFAULT and
   *       checks RESTRICT / NO ACTION.
   *   <li>Both succeed: the view is the rows H2 deleted per model, which must be relstore's counts;
   *       the supplier's value and rows must be those of relstore's plan.
   *   <li>relstore succeeds, H2 refuses: allowed only as the documented difference "H2 checks NO
   *       ACTION (and SET DEFAULT's parent) row by row": the refusing foreign key's referencing rows
   *       must all be deleted by relstore's plan (so a check at the end of the statement, SQL's
   *       NO ACTION and Django's RESTRICT exemption, passes); the plan's deletions must be the
   *       CASCADE closure H2 computed; then the plan is replayed on H2 and every foreign key checked.
   *   <li>relstore refuses with ProtectedError, H2 succeeds: allowed only as the documented
   *       difference "PROTECT refuses even when the protecting rows are cascaded": every protecting
   *       row must be gone from H2; H2 is rolled back.
   *   <li>Both refuse: H2 is rolled back. Any other combination is a divergence (the views differ).
   * </ol>
   */
  static Object h2Delete(Duo duo, String model, List<Long> ids) {
    RelstoreDelete relstore = Objects.requireNonNull(duo.lastDelete, "relstore's delete");
    H2Side h2 = duo.h2;
    try {
      return h2.transaction(() -> {
        Map<String, Set<Long>> before = h2.keysByModel();
        Savepoint sp = h2.savepoint();
        Map<String, Set<Long>> closure = h2.cascadeClosure(model, ids);
        List<SupplierUpdate> supplied = List.of();
        SQLException refused = null;
        try {
          supplied = h2.applySuppliers(closure);
          h2.deleteNaturally(model, ids);
          List<String> dangling = h2.dangling(allModels(duo));
          if (!dangling.isEmpty()) {
            // H2 does not check a SET DEFAULT value against the rows its statement deletes
            DiffStats.H2_LEFT_DANGLING.incrementAndGet();
            refused = new SQLException("dangling after the statement: \"" + dangling.get(0)
                + "\" " + dangling, "23506");
          }
        } catch (SQLException e) {
          refused = e;
        }
        Map<String, Set<Long>> after = h2.keysByModel();
        if (relstore.outcome() instanceof DeleteResult) {
          String supplierMismatch = sameSupplierUpdates(duo, supplied, relstore.plan());
          if (supplierMismatch != null) {
            return supplierMismatch;
          }
          if (refused == null) {
            Map<String, Integer> counts = h2.deletedCounts(before, after);
            if (!counts.isEmpty()) {
              DiffStats.DELETES.incrementAndGet();
            }
            return new Deleted(counts);
          }
          h2.rollbackTo(sp);
          String why = orderArtefact(duo, refused, closure, relstore.plan());
          if (why != null) {
            return why;
          }
          h2.applySuppliers(closure);
          List<String> dangling = h2.replay(relstore.plan());
          if (!dangling.isEmpty()) {
            return "relstore's plan leaves references dangling: " + dangling;
          }
          DiffStats.ORDER_REPLAYS.incrementAndGet();
          return new Deleted(h2.deletedCounts(before, h2.keysByModel()));
        }
        h2.rollbackTo(sp);
        if (refused != null) {
          DiffStats.BOTH_REFUSED.incrementAndGet();
          return REFUSED;
        }
        if (relstore.outcome() instanceof ProtectedError p) {
          for (Object o : p.protectedObjects()) {
            String m = duo.modelOf(o);
            if (after.get(m).contains(Values.pk(o))) {
              return "H2 deleted " + h2.deletedCounts(before, after) + " though the protecting row "
                  + Values.row(o) + " survives: relstore said " + p.getMessage();
            }
          }
          DiffStats.PROTECT_CASCADED.incrementAndGet();
          return REFUSED;
        }
        return "H2 deleted " + h2.deletedCounts(before, after) + " where relstore refused: "
            + relstore.outcome();
      });
    } catch (Refused e) {
      return new Threw(e.kind);
    }
  }

  /**
   * Null when H2's refusal is the documented ordering difference: the foreign key it names checks
   * (NO ACTION / RESTRICT) or sets a default, and every row that references a row relstore's plan
   * deletes through it is deleted by the plan too; and the plan deletes exactly the CASCADE
   * closure H2 computed. Otherwise, what does not hold.
   */
  private static @Nullable String orderArtefact(Duo duo, SQLException refused,
      Map<String, Set<Long>> closure, DeletePlan plan) throws SQLException {
    Map<String, Set<Long>> planned = planned(duo, plan);
    for (Map.Entry<String, Set<Long>> e : closure.entrySet()) {
      if (!e.getValue().equals(planned.getOrDefault(e.getKey(), Set.of()))) {
        return "relstore's plan deletes " + planned + " but the CASCADE closure is " + closure;
      }
    }
    String name = H2Side.constraintOf(refused);
    ForeignKey fk = name == null ? null : duo.h2.schema.constraint(name);
    if (fk == null || !(fk.checkOnly() || fk.action() == SqlSchema.Action.SET_DEFAULT)) {
      return "H2 refused a delete relstore made: " + refused.getMessage();
    }
    Set<Long> parents = planned.getOrDefault(fk.targetModel(), Set.of());
    Set<Long> referrers = new TreeSet<>(duo.h2.referrers(fk, parents));
    referrers.removeAll(planned.getOrDefault(fk.model(), Set.of()));
    if (!referrers.isEmpty()) {
      return "H2 refused through " + fk.constraint() + " and rows " + referrers + " of "
          + fk.model() + " that reference deleted rows survive relstore's plan: "
          + refused.getMessage();
    }
    return null;
  }

  private static List<String> allModels(Duo duo) {
    return duo.models();
  }

  private static Map<String, Set<Long>> planned(Duo duo, DeletePlan plan) {
    Map<String, Set<Long>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Object>> e : plan.deletions().entrySet()) {
      Set<Long> ids = new TreeSet<>();
      for (Object r : e.getValue()) {
        ids.add(Values.pk(r));
      }
      out.put(duo.h2.schema.tableOfLabel(e.getKey()).model(), ids);
    }
    return out;
  }

  /** Null when the SET(supplier) emulation set the same keys to the same values as the plan. */
  private static @Nullable String sameSupplierUpdates(Duo duo, List<SupplierUpdate> supplied,
      DeletePlan plan) {
    Map<String, Map<String, Set<Long>>> emulated = new TreeMap<>();
    for (SupplierUpdate s : supplied) {
      emulated.computeIfAbsent(s.fk().model() + "." + s.fk().field(), k -> new TreeMap<>())
          .computeIfAbsent(String.valueOf(s.value()), k -> new TreeSet<>()).addAll(s.rows());
    }
    Set<String> supplierFields = new LinkedHashSet<>();
    for (ForeignKey f : duo.h2.schema.foreignKeys()) {
      if (f.supplier()) {
        supplierFields.add(f.model() + "." + f.field());
      }
    }
    Map<String, Map<String, Set<Long>>> planned = new TreeMap<>();
    for (DeletePlan.FieldUpdate u : plan.updates()) {
      if (supplierFields.contains(u.field())) {
        Set<Long> rows = planned.computeIfAbsent(u.field(), k -> new TreeMap<>())
            .computeIfAbsent(String.valueOf(Values.normalize(u.value())), k -> new TreeSet<>());
        for (Object r : u.rows()) {
          rows.add(Values.pk(r));
        }
      }
    }
    return emulated.equals(planned) ? null : "SET(supplier) emulated on H2 " + emulated
        + " but relstore planned " + planned;
  }

  // ------------------------------------------------------------------ QuerySet.update

  /** The value of a QuerySet update: a literal, a row's key, or {@code F(field) + n}. */
  record UpdateValue(@Nullable Val val, @Nullable String plusField, int plus) {
    Object relstore(Duo duo) {
      if (plusField != null) {
        return F.of(plusField).plus(plus);
      }
      Object v = Objects.requireNonNull(val).resolve(duo, null, true);
      return v == null ? NULL : v;
    }

    String java() {
      return plusField != null ? "F.of(\"" + plusField + "\").plus(" + plus + ")"
          : Objects.requireNonNull(val).java("");
    }
  }

  /** Marks a null update value (update() takes Object varargs; null is passed as is). */
  private static final Object NULL = new Object();

  record UpdateWhere(Query query, String field, UpdateValue value) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      QuerySet<?> qs = query.build(duo.store.objects(duo.type(query.model())));
      Object v = value.relstore(duo);
      try {
        return qs.update(field, v == NULL ? null : v);
      } catch (StoreException e) {
        return threw(e);
      }
    }

    @Override
    public Object onModel(Duo duo) {
      SqlSchema.Table t = duo.h2.schema.table(query.model());
      String column = SqlSchema.q(t.column(field).column());
      try {
        return duo.h2.transaction(() -> duo.h2.deferringKeys(List.of(query.model()), () -> {
          List<Long> ids = SqlQuery.matching(duo.h2, query);
          if (ids.isEmpty()) {
            return 0L;
          }
          List<@Nullable Object> params = new ArrayList<>();
          String set;
          if (value.plusField() != null) {
            set = column + " = " + SqlSchema.q(t.column(value.plusField()).column()) + " + ?";
            params.add(value.plus());
          } else {
            set = column + " = ?";
            params.add(Objects.requireNonNull(value.val()).resolve(duo, null, false));
          }
          params.addAll(ids);
          return (long) duo.h2.update("UPDATE " + SqlSchema.q(t.table()) + " SET " + set
              + " WHERE " + SqlSchema.q(t.pk().column()) + " IN ("
              + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
              params.toArray());
        }));
      } catch (Refused e) {
        DiffStats.WRITES_REFUSED.incrementAndGet();
        return new Threw(e.kind);
      }
    }

    @Override
    public List<UpdateWhere> shrink() {
      return MatrixQuery.simpler(query).stream().filter(q -> q.terminal() == Terminal.LIST)
          .map(q -> new UpdateWhere(q, field, value)).toList();
    }

    @Override
    public String toString() {
      return calls(query) + ".update(\"" + field + "\", " + value.java() + ");";
    }
  }

  // ------------------------------------------------------------------ queries

  /**
   * A query: relstore's QuerySet and the SQL Django would run must return the same (within the
   * property's focus: a query with a known divergence outside it is skipped).
   */
  record Run(Query query, Divergence.Focus focus) implements DiffAction {
    @Override
    public Object onSystem(Duo duo) {
      if (!focus.admits(query)) {
        return SKIP;
      }
      DiffStats.QUERIES.incrementAndGet();
      return relstoreResult(duo.store, duo.type(query.model()), query);
    }

    @Override
    public Object onModel(Duo duo) {
      if (!focus.admits(query)) {
        return SKIP;
      }
      Object out = SqlQuery.run(duo.h2, query);
      DiffStats.result(out);
      return out;
    }

    @Override
    public List<Run> shrink() {
      return MatrixQuery.simpler(query).stream().map(q -> new Run(q, focus)).toList();
    }

    @Override
    public String toString() {
      return query.java();
    }
  }

  /** relstore's outcome of a query, numbers normalized as H2's are. */
  static Object relstoreResult(Store store, Class<? extends Record> type, Query query) {
    Object out = query.run(store.objects(type));
    if (out instanceof Map<?, ?> m) {
      Map<Object, @Nullable Object> normalized = new LinkedHashMap<>();
      m.forEach((k, v) -> normalized.put(k, Values.normalize(v)));
      return normalized;
    }
    return out;
  }

  // ------------------------------------------------------------------ generator

  /** One random action on this schema: mostly valid values, some broken on purpose. */
  static DiffAction random(SplittableRandom r, GenSchema s, Divergence.Focus focus) {
    int roll = r.nextInt(100);
    String model = anyModel(r, s);
    if (roll < 24) {
      return new Create(randomRow(r, s, model, createKey(r, model)));
    }
    if (roll < 30) {
      List<RowSpec> rows = new ArrayList<>();
      for (int i = 1 + r.nextInt(4); i > 0; i--) {
        String m = anyModel(r, s);
        rows.add(randomRow(r, s, m, createKey(r, m)));
      }
      return new BulkCreate(rows);
    }
    if (roll < 38) {
      return randomUpdate(r, s, model);
    }
    if (roll < 48) {
      return new Delete(model, r.nextInt(1000));
    }
    if (roll < 53) {
      return new DeleteWhere(DiffQueries.filterOnly(r, s, model));
    }
    if (roll < 59) {
      return randomUpdateWhere(r, s, model);
    }
    Divergence d = focus.divergence();
    return new Run(d != null && r.nextBoolean() ? DiffQueries.targeted(r, s, d)
        : DiffQueries.random(r, s), focus);
  }

  private static String anyModel(SplittableRandom r, GenSchema s) {
    return s.models().get(r.nextInt(s.models().size())).name();
  }

  /** Mostly 0 (a new key); sometimes a taken key, an explicit new one, or a negative one. */
  private static Val createKey(SplittableRandom r, String model) {
    int roll = r.nextInt(100);
    if (roll < 88) {
      return new Lit(0L);
    }
    if (roll < 92) {
      return new Live(model, r.nextInt(1000), false);
    }
    return roll < 97 ? new Lit(100L + r.nextInt(8)) : new Lit(-1L);
  }

  /**
   * A row; one with an explicit key (possibly taken) gets valid values only: relstore refuses a
   * taken key before it checks the fields, SQL checks column constraints before the primary key
   * (one fault per row, so that both name the same kind of error).
   */
  private static RowSpec randomRow(SplittableRandom r, GenSchema s, String model, Val key) {
    boolean valid = key instanceof Live || key instanceof Lit l && l.value() instanceof Long k
        && k > 0;
    List<Val> vals = new ArrayList<>();
    vals.add(key);
    for (GenField f : s.model(model).fields()) {
      vals.add(DiffQueries.randomValue(r, f, valid));
    }
    return new RowSpec(model, componentNames(s.model(model)), vals);
  }

  private static Update randomUpdate(SplittableRandom r, GenSchema s, String model) {
    List<Val> vals = new ArrayList<>();
    boolean missing = r.nextInt(20) == 0;
    vals.add(missing ? new Lit(Repro.NO_ROW + r.nextInt(100)) : new Keep("id"));
    for (GenField f : s.model(model).fields()) {
      vals.add(r.nextBoolean() ? new Keep(f.name()) : DiffQueries.randomValue(r, f, missing));
    }
    return new Update(r.nextInt(1000), new RowSpec(model, componentNames(s.model(model)), vals));
  }

  private static UpdateWhere randomUpdateWhere(SplittableRandom r, GenSchema s, String model) {
    GenModel m = s.model(model);
    GenField f = m.fields().get(r.nextInt(m.fields().size()));
    UpdateValue value;
    if (f.kind() == Kind.INT && r.nextBoolean()) {
      value = new UpdateValue(null, f.name(), 1 + r.nextInt(3));
    } else if (f.kind() == Kind.DECIMAL && r.nextInt(3) == 0) {
      value = new UpdateValue(null, f.name(), 1);
    } else {
      value = new UpdateValue(DiffQueries.randomValue(r, f, false), null, 0);
    }
    return new UpdateWhere(DiffQueries.filterOnly(r, s, model), f.name(), value);
  }
}
