package io.relstore.differential;

import static io.relstore.differential.SqlSchema.q;

import io.relstore.DeletePlan;
import io.relstore.annotation.OnDelete;
import io.relstore.differential.SqlSchema.Column;
import io.relstore.differential.SqlSchema.ForeignKey;
import io.relstore.differential.SqlSchema.Table;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The H2 side of the differential test: an in-memory database ({@code jdbc:h2:mem:<random>}) with
 * the translated schema, and the operations relstore offers, written as the SQL a Django app on a
 * database would run. Each operation is one transaction: it commits, or it rolls back and throws
 * {@link Refused} with the category relstore would use.
 *
 * <ul>
 *   <li><b>Keys.</b> relstore assigns the next key of a model (one more than the largest it ever
 *       stored or assigned; a rolled-back insert takes none); an SQL sequence would not go back on
 *       rollback, so the side table {@code relstore_next_id} holds the next key, transactionally.
 *   <li><b>Defaults.</b> A record has no "unset" component: relstore fills the default into a null
 *       on create. The driver sends {@code DEFAULT} for a null in a column with a relstore default.
 *   <li><b>Deferred foreign keys.</b> relstore checks foreign keys when the operation commits
 *       (Django's PostgreSQL constraints are DEFERRABLE INITIALLY DEFERRED, so a batch may create a
 *       child before its parent); H2 cannot defer, so creates and updates run with the written
 *       tables' referential integrity off and every foreign key is checked by query before commit.
 *   <li><b>Deletes</b> run H2's own referential actions ({@link #deleteNaturally}); the SET(supplier)
 *       emulation and the replay of relstore's plan are in {@link #applySuppliers} and
 *       {@link #replay}.
 * </ul>
 */
final class H2Side implements AutoCloseable {
  private static final AtomicLong DATABASES = new AtomicLong();
  private static final String NEXT_ID = q("relstore_next_id");

  final SqlSchema schema;
  private final Connection c;
  /** Statements executed: the measure of the SQL work. */
  long statements;

  /** An SQL refusal in relstore's terms: ValidationError, IntegrityError or DoesNotExist. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String kind;
    final @Nullable String constraint;

    Refused(String kind, @Nullable String constraint, String message, @Nullable Throwable cause) {
      super(kind + ": " + message, cause);
      this.kind = kind;
      this.constraint = constraint;
    }
  }

  H2Side(SqlSchema schema) {
    this(schema, schema.ddl());
  }

  /** A database of the schema, created by {@code ddl} (the schema's, possibly reordered). */
  H2Side(SqlSchema schema, List<String> ddl) {
    this.schema = schema;
    try {
      c = DriverManager.getConnection("jdbc:h2:mem:diff" + DATABASES.incrementAndGet() + "_"
          + Long.toHexString(System.nanoTime()));
      c.setAutoCommit(false);
      for (String statement : ddl) {
        execute(statement);
      }
      execute("CREATE TABLE " + NEXT_ID + " (" + q("model") + " CHARACTER VARYING PRIMARY KEY, "
          + q("next") + " BIGINT NOT NULL)");
      for (Table t : schema.tables()) {
        update("INSERT INTO " + NEXT_ID + " VALUES (?, 1)", t.model());
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("the translated schema does not load: " + schema.ddl(), e);
    }
  }

  @Override
  public void close() {
    try {
      c.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ statements

  void execute(String sql) throws SQLException {
    statements++;
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  int update(String sql, @Nullable Object... params) throws SQLException {
    statements++;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      return s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, @Nullable Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }

  /** The rows of a query, each as its column values (normalized) in select order. */
  List<List<@Nullable Object>> query(String sql, List<@Nullable Object> params)
      throws SQLException {
    statements++;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params.toArray());
      try (ResultSet rs = s.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        List<List<@Nullable Object>> out = new ArrayList<>();
        while (rs.next()) {
          List<@Nullable Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            row.add(v instanceof java.sql.Date ? rs.getObject(i, LocalDate.class)
                : Values.normalize(v));
          }
          out.add(row);
        }
        return out;
      }
    }
  }

  List<Long> keys(String sql, List<@Nullable Object> params) throws SQLException {
    List<Long> out = new ArrayList<>();
    for (List<@Nullable Object> row : query(sql, params)) {
      out.add((Long) Objects.requireNonNull(row.get(0)));
    }
    return out;
  }

  // ------------------------------------------------------------------ reads

  /** Every row of a model in key order, as field name → normalized value. */
  List<Map<String, @Nullable Object>> rows(String model) {
    Table t = schema.table(model);
    try {
      List<Map<String, @Nullable Object>> out = new ArrayList<>();
      for (List<@Nullable Object> values : query("SELECT " + columnList(t) + " FROM "
          + q(t.table()) + " ORDER BY " + q(t.pk().column()), List.of())) {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        for (int i = 0; i < t.columns().size(); i++) {
          row.put(t.columns().get(i).field(), values.get(i));
        }
        out.add(reorder(t, row));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fields in record component order, as relstore's rows list them. */
  private static Map<String, @Nullable Object> reorder(Table t, Map<String, @Nullable Object> row) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (java.lang.reflect.RecordComponent rc : t.type().getRecordComponents()) {
      out.put(rc.getName(), row.get(rc.getName()));
    }
    return out;
  }

  private static String columnList(Table t) {
    List<String> cols = new ArrayList<>();
    for (Column col : t.columns()) {
      cols.add(q(col.column()));
    }
    return String.join(", ", cols);
  }

  /** The key of the {@code k mod count}-th row of the model in key order, or null if none. */
  @Nullable Long kth(String model, int k) {
    Map<String, @Nullable Object> row = kthRow(model, k);
    return row == null ? null : (Long) row.get("id");
  }

  @Nullable Map<String, @Nullable Object> kthRow(String model, int k) {
    List<Map<String, @Nullable Object>> all = rows(model);
    return all.isEmpty() ? null : all.get(Math.floorMod(k, all.size()));
  }

  /** The keys of every model's rows. */
  Map<String, Set<Long>> keysByModel() {
    Map<String, Set<Long>> out = new LinkedHashMap<>();
    try {
      for (Table t : schema.tables()) {
        out.put(t.model(), new TreeSet<>(keys("SELECT " + q(t.pk().column()) + " FROM "
            + q(t.table()), List.of())));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  // ------------------------------------------------------------------ transactions

  interface Body<T> {
    T run() throws SQLException;
  }

  /** Runs {@code body} as one transaction; an SQL error rolls it back and becomes {@link Refused}. */
  <T> T transaction(Body<T> body) {
    try {
      T out = body.run();
      c.commit();
      return out;
    } catch (SQLException e) {
      rollback();
      throw refused(e);
    } catch (RuntimeException | Error e) {
      rollback();
      throw e;
    }
  }

  private void rollback() {
    try {
      c.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Savepoint savepoint() throws SQLException {
    return c.setSavepoint();
  }

  void rollbackTo(Savepoint sp) throws SQLException {
    c.rollback(sp);
  }

  /** relstore's category of an H2 error; anything else is a translation bug. */
  static Refused refused(SQLException e) {
    String state = Objects.requireNonNullElse(e.getSQLState(), "");
    String kind = switch (state) {
      case "22001", "23502", "23513" -> "ValidationError";
      case "23505", "23503", "23506" -> "IntegrityError";
      default -> throw new IllegalStateException("unexpected SQL error " + state, e);
    };
    return new Refused(kind, constraintOf(e), Objects.requireNonNullElse(e.getMessage(), ""), e);
  }

  /** The constraint an H2 message names first ({@code "fk_m1_fk2: PUBLIC..."}), or null. */
  static @Nullable String constraintOf(SQLException e) {
    String m = Objects.requireNonNullElse(e.getMessage(), "");
    int open = m.indexOf('"');
    int colon = open < 0 ? -1 : m.indexOf(':', open);
    return colon < 0 ? null : m.substring(open + 1, colon);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Runs writes to {@code tables} as relstore runs them, foreign keys checked at the end: the
   * tables' referential integrity is off while {@code body} runs, then every foreign key of theirs
   * is checked by query.
   */
  <T> T deferringKeys(Collection<String> models, Body<T> body) throws SQLException {
    Set<String> tables = new LinkedHashSet<>();
    for (String m : models) {
      tables.add(schema.table(m).table());
    }
    for (String t : tables) {
      execute("ALTER TABLE " + q(t) + " SET REFERENTIAL_INTEGRITY FALSE");
    }
    T out;
    try {
      out = body.run();
    } finally {
      for (String t : tables) {
        execute("ALTER TABLE " + q(t) + " SET REFERENTIAL_INTEGRITY TRUE");
      }
    }
    List<String> dangling = dangling(models);
    if (!dangling.isEmpty()) {
      throw new SQLException("deferred foreign key check failed: " + dangling, "23506");
    }
    return out;
  }

  /** The references of these models' rows (constrained keys only) that point at no row. */
  List<String> dangling(Collection<String> models) throws SQLException {
    List<String> out = new ArrayList<>();
    for (ForeignKey f : schema.foreignKeys()) {
      if (f.action() == SqlSchema.Action.NONE || !models.contains(f.model())) {
        continue;
      }
      Table child = schema.table(f.model());
      Table parent = schema.table(f.targetModel());
      String sql = "SELECT c." + q(child.pk().column()) + ", c." + q(f.column()) + " FROM "
          + q(child.table()) + " c WHERE c." + q(f.column()) + " IS NOT NULL AND NOT EXISTS"
          + " (SELECT 1 FROM " + q(parent.table()) + " p WHERE p." + q(parent.pk().column())
          + " = c." + q(f.column()) + ")";
      for (List<@Nullable Object> row : query(sql, List.of())) {
        out.add(f.constraint() + ": " + f.model() + "(id=" + row.get(0) + ")." + f.field() + " = "
            + row.get(1));
      }
    }
    return out;
  }

  /** Inserts a row (id 0: the next key) and returns it as stored. */
  Map<String, @Nullable Object> insert(String model, Map<String, @Nullable Object> values)
      throws SQLException {
    Table t = schema.table(model);
    Map<String, @Nullable Object> row = new LinkedHashMap<>(values);
    long pk = ((Number) Objects.requireNonNull(row.get("id"))).longValue();
    if (pk == 0) {
      pk = keys("SELECT " + q("next") + " FROM " + NEXT_ID + " WHERE " + q("model") + " = ?",
          List.of(model)).get(0);
      update("UPDATE " + NEXT_ID + " SET " + q("next") + " = ? WHERE " + q("model") + " = ?",
          pk + 1, model);
      row.put("id", pk);
    } else if (pk > 0) {
      update("UPDATE " + NEXT_ID + " SET " + q("next") + " = GREATEST(" + q("next") + ", ?)"
          + " WHERE " + q("model") + " = ?", pk + 1, model);
    }
    List<String> cols = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    List<@Nullable Object> params = new ArrayList<>();
    for (Column col : t.columns()) {
      Object v = row.get(col.field());
      cols.add(q(col.column()));
      if (v == null && col.relstoreDefault()) {
        marks.add("DEFAULT");
      } else {
        marks.add("?");
        params.add(v);
      }
    }
    update("INSERT INTO " + q(t.table()) + " (" + String.join(", ", cols) + ") VALUES ("
        + String.join(", ", marks) + ")", params.toArray());
    return stored(t, pk);
  }

  private Map<String, @Nullable Object> stored(Table t, long pk) throws SQLException {
    List<List<@Nullable Object>> found = query("SELECT " + columnList(t) + " FROM "
        + q(t.table()) + " WHERE " + q(t.pk().column()) + " = ?", List.of(pk));
    Map<String, @Nullable Object> row = new LinkedHashMap<>();
    for (int i = 0; i < t.columns().size(); i++) {
      row.put(t.columns().get(i).field(), found.get(0).get(i));
    }
    return reorder(t, row);
  }

  /** Replaces every field of the row with the same key; DoesNotExist when there is none. */
  Map<String, @Nullable Object> replace(String model, Map<String, @Nullable Object> values)
      throws SQLException {
    Table t = schema.table(model);
    long pk = ((Number) Objects.requireNonNull(values.get("id"))).longValue();
    List<String> sets = new ArrayList<>();
    List<@Nullable Object> params = new ArrayList<>();
    for (Column col : t.columns().subList(1, t.columns().size())) {
      sets.add(q(col.column()) + " = ?");
      params.add(values.get(col.field()));
    }
    params.add(pk);
    int n = update("UPDATE " + q(t.table()) + " SET " + String.join(", ", sets) + " WHERE "
        + q(t.pk().column()) + " = ?", params.toArray());
    if (n == 0) {
      throw new Refused("DoesNotExist", null, model + " matching id=" + pk, null);
    }
    return stored(t, pk);
  }

  // ------------------------------------------------------------------ deletes

  /** {@code DELETE FROM t WHERE id IN (...)}: H2 runs the referential actions. */
  void deleteNaturally(String model, Collection<Long> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    Table t = schema.table(model);
    update("DELETE FROM " + q(t.table()) + " WHERE " + q(t.pk().column()) + " IN ("
        + marks(ids.size()) + ")", ids.toArray());
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /**
   * The rows a delete of {@code ids} reaches through CASCADE keys, per model, read from H2's
   * tables (what Django's Collector gathers, when nothing blocks it).
   */
  Map<String, Set<Long>> cascadeClosure(String model, Collection<Long> ids) throws SQLException {
    Map<String, Set<Long>> out = new LinkedHashMap<>();
    for (Table t : schema.tables()) {
      out.put(t.model(), new TreeSet<>());
    }
    List<Map.Entry<String, Set<Long>>> frontier = new ArrayList<>();
    Set<Long> roots = new TreeSet<>(existing(model, ids));
    out.get(model).addAll(roots);
    frontier.add(Map.entry(model, roots));
    while (!frontier.isEmpty()) {
      Map.Entry<String, Set<Long>> next = frontier.remove(0);
      for (ForeignKey f : schema.incoming(next.getKey())) {
        if (f.rule() != OnDelete.CASCADE) {
          continue;
        }
        Set<Long> fresh = new TreeSet<>(referrers(f, next.getValue()));
        fresh.removeAll(out.get(f.model()));
        if (!fresh.isEmpty()) {
          out.get(f.model()).addAll(fresh);
          frontier.add(Map.entry(f.model(), fresh));
        }
      }
    }
    return out;
  }

  private List<Long> existing(String model, Collection<Long> ids) throws SQLException {
    if (ids.isEmpty()) {
      return List.of();
    }
    Table t = schema.table(model);
    return keys("SELECT " + q(t.pk().column()) + " FROM " + q(t.table()) + " WHERE "
        + q(t.pk().column()) + " IN (" + marks(ids.size()) + ")", new ArrayList<>(ids));
  }

  /** The rows whose key {@code f} holds one of {@code parents}. */
  List<Long> referrers(ForeignKey f, Collection<Long> parents) throws SQLException {
    if (parents.isEmpty()) {
      return List.of();
    }
    Table child = schema.table(f.model());
    return keys("SELECT " + q(child.pk().column()) + " FROM " + q(child.table()) + " WHERE "
        + q(f.column()) + " IN (" + marks(parents.size()) + ") ORDER BY "
        + q(child.pk().column()), new ArrayList<>(parents));
  }

  /** What the SET(supplier) emulation did for one key: the value and the rows it set. */
  record SupplierUpdate(ForeignKey fk, long value, Set<Long> rows) {
  }

  /**
   * SET(supplier) has no SQL action: before the DELETE, for each such key, the rows that
   * reference a row of the cascade closure get the supplier's value, computed by its SQL twin
   * (get or create the sentinel row) only when there are such rows, as Django's Collector calls
   * the supplier during collection and updates before it deletes (rules 8, 21, 23).
   */
  List<SupplierUpdate> applySuppliers(Map<String, Set<Long>> closure) throws SQLException {
    List<SupplierUpdate> out = new ArrayList<>();
    for (ForeignKey f : schema.foreignKeys()) {
      if (!f.supplier()) {
        continue;
      }
      Set<Long> rows = new TreeSet<>(referrers(f, closure.get(f.targetModel())));
      if (rows.isEmpty()) {
        continue;
      }
      long value = sentinel(f.targetModel());
      Table child = schema.table(f.model());
      List<@Nullable Object> params = new ArrayList<>();
      params.add(value);
      params.addAll(rows);
      update("UPDATE " + q(child.table()) + " SET " + q(f.column()) + " = ? WHERE "
          + q(child.pk().column()) + " IN (" + marks(rows.size()) + ")", params.toArray());
      out.add(new SupplierUpdate(f, value, rows));
    }
    return out;
  }

  /**
   * The supplier's SQL twin ({@link Repro#sentinel}): the first row named {@value
   * GenSchema#SENTINEL}, created when missing with every other field zero, the sentinel date, its
   * default or null.
   */
  long sentinel(String model) throws SQLException {
    Table t = schema.table(model);
    Column name = t.column("name");
    List<Long> found = keys("SELECT " + q(t.pk().column()) + " FROM " + q(t.table()) + " WHERE "
        + q(name.column()) + " = ? ORDER BY " + q(t.pk().column()) + " FETCH FIRST 1 ROW ONLY",
        List.of(GenSchema.SENTINEL));
    if (!found.isEmpty()) {
      return found.get(0);
    }
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    for (Column col : t.columns()) {
      values.put(col.field(), sentinelValue(col));
    }
    values.put("id", 0L);
    return (Long) Objects.requireNonNull(insert(model, values).get("id"));
  }

  private static @Nullable Object sentinelValue(Column col) {
    Class<?> type = col.javaType();
    if (type == String.class) {
      return col.notNull() ? GenSchema.SENTINEL : null;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == LocalDate.class && col.notNull()) {
      return Values.SENTINEL_DATE;
    }
    if (type == BigDecimal.class && col.notNull()) {
      return BigDecimal.ZERO;
    }
    return null;
  }

  /**
   * Applies relstore's plan of an allowed delete as it stands: with every table's referential
   * integrity off (so that H2's row-by-row checks and actions do not run), the plan's field
   * updates, then its deletions; then every foreign key is checked by query, as at the end of a
   * statement (SQL's NO ACTION) or at commit (relstore).
   *
   * @return the references left dangling (empty when the plan leaves a consistent database)
   */
  List<String> replay(DeletePlan plan) throws SQLException {
    for (Table t : schema.tables()) {
      execute("ALTER TABLE " + q(t.table()) + " SET REFERENTIAL_INTEGRITY FALSE");
    }
    try {
      for (DeletePlan.FieldUpdate u : plan.updates()) {
        int dot = u.field().indexOf('.');
        Table t = schema.table(u.field().substring(0, dot));
        Column col = t.column(u.field().substring(dot + 1));
        for (Object r : u.rows()) {
          update("UPDATE " + q(t.table()) + " SET " + q(col.column()) + " = ? WHERE "
              + q(t.pk().column()) + " = ?", u.value(), Values.pk(r));
        }
      }
      for (Map.Entry<String, List<Object>> e : plan.deletions().entrySet()) {
        Table t = schema.tableOfLabel(e.getKey());
        Set<Long> ids = new TreeSet<>();
        for (Object r : e.getValue()) {
          ids.add(Values.pk(r));
        }
        deleteNaturally(t.model(), ids);
      }
    } finally {
      for (Table t : schema.tables()) {
        execute("ALTER TABLE " + q(t.table()) + " SET REFERENTIAL_INTEGRITY TRUE");
      }
    }
    List<String> models = new ArrayList<>();
    for (Table t : schema.tables()) {
      models.add(t.model());
    }
    return dangling(models);
  }

  /** The rows each model lost between two key sets, by label; models that lost none left out. */
  Map<String, Integer> deletedCounts(Map<String, Set<Long>> before, Map<String, Set<Long>> after) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (Table t : schema.tables()) {
      Set<Long> gone = new HashSet<>(before.get(t.model()));
      gone.removeAll(after.get(t.model()));
      if (!gone.isEmpty()) {
        out.put(t.label(), gone.size());
      }
    }
    return out;
  }
}
