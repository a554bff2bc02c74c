package io.relstore.differential;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.IntegrityError;
import io.relstore.OrderBy;
import io.relstore.ProtectedError;
import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Text;
import io.relstore.differential.DiffActions.Deleted;
import io.relstore.differential.H2Side.Refused;
import io.relstore.differential.SchemaTranslator.BuilderKind;
import io.relstore.differential.SchemaTranslator.BuilderRule;
import io.relstore.harness.Action;
import io.relstore.testing.InvariantsExtension;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each difference between relstore (Django's semantics) and H2 that {@code DIFFERENTIAL.md} lists,
 * shown on the smallest schema that has it: what each engine does on its own, and that the
 * differential driver ({@link DiffActions}) asserts the documented difference and leaves both
 * engines with the same rows.
 */
class DocumentedDifferencesTest {

  // PROTECT: c protects a and is reached from a by a cascade through b. The translated DDL
  // creates b's CASCADE key before c's key to a, so H2 cascades to c before it checks c.
  record Pa(@Id long id, @Char(maxLength = 5) String name) {
  }

  record Pb(@Id long id, @ForeignKey(to = Pa.class, onDelete = CASCADE) long pa) {
  }

  record Pc(@Id long id, @ForeignKey(to = Pb.class, onDelete = CASCADE) long pb,
      @ForeignKey(to = Pa.class, onDelete = PROTECT) long pa) {
  }

  // RESTRICT (and DO_NOTHING): the same shape, but c's key to a comes first (Rc is registered
  // before Rb), so H2 checks c's key before the cascade through b has removed c.
  record Ra(@Id long id, @Char(maxLength = 5) String name) {
  }

  record Rc(@Id long id, @ForeignKey(to = Ra.class, onDelete = RESTRICT) long ra,
      @ForeignKey(to = Rb.class, onDelete = CASCADE) long rb) {
  }

  record Rb(@Id long id, @ForeignKey(to = Ra.class, onDelete = CASCADE) long ra) {
  }

  record Na(@Id long id, @Char(maxLength = 5) String name) {
  }

  record Nc(@Id long id, @ForeignKey(to = Na.class, onDelete = DO_NOTHING) long na,
      @ForeignKey(to = Nb.class, onDelete = CASCADE) long nb) {
  }

  record Nb(@Id long id, @ForeignKey(to = Na.class, onDelete = CASCADE) long na) {
  }

  // SET(supplier): Django's get_sentinel_user.
  record Sa(@Id long id, @Char(maxLength = 5) String name) {
  }

  record Sb(@Id long id, @ForeignKey(to = Sa.class, onDelete = SET) @Nullable Long sa) {
  }

  // SET_DEFAULT whose default is the deleted row itself.
  record Da(@Id long id, @Char(maxLength = 5) String name) {
  }

  record Db(@Id long id,
      @Default("1") @ForeignKey(to = Da.class, onDelete = SET_DEFAULT) @Nullable Long da) {
  }

  record Item(@Id long id, @Char(maxLength = 5) String name, @Nullable Integer rank,
      @Nullable BigDecimal price, @Text @Nullable String text) {
  }

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeDatabases() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** relstore and H2 of the same models, as the differential test pairs them. */
  private Duo duo(List<Class<? extends Record>> models, List<BuilderRule> rules,
      Consumer<Store.Builder> builder) {
    Map<String, Class<? extends Record>> types = new LinkedHashMap<>();
    for (Class<? extends Record> m : models) {
      types.put(m.getSimpleName(), m);
    }
    Store.Builder b = Store.builder();
    builder.accept(b);
    Duo duo = new Duo(types, InvariantsExtension.track(b.build()),
        new H2Side(SchemaTranslator.translate(models, rules)));
    open.add(duo);
    return duo;
  }

  private Duo duo(List<Class<? extends Record>> models) {
    return duo(models, List.of(), b -> {
      for (Class<? extends Record> m : models) {
        b.add(m);
      }
    });
  }

  /** Runs an action on both engines, as the property does; returns the agreed outcome. */
  private static Object both(Duo duo, Action<Duo, Duo> action) {
    Object relstore = action.onSystem(duo);
    Object h2 = action.onModel(duo);
    assertEquals(relstore, h2, "outcomes of " + action);
    sameRows(duo);
    return relstore;
  }

  private static void sameRows(Duo duo) {
    for (String m : duo.models()) {
      assertEquals(duo.h2.rows(m), Values.rows(duo.store.all(duo.type(m))), "rows of " + m);
    }
  }

  private static void create(Duo duo, Record row) {
    String model = row.getClass().getSimpleName();
    Map<String, @Nullable Object> values = Values.raw(row);
    duo.store.create(row);
    duo.h2.transaction(() -> duo.h2.deferringKeys(List.of(model),
        () -> duo.h2.insert(model, values)));
  }

  private static long delta(AtomicLong counter, Runnable body) {
    long before = counter.get();
    body.run();
    return counter.get() - before;
  }

  // ------------------------------------------------------------------ deletes

  @Test
  void protect_refusesEvenWhenTheProtectingRowIsCascaded_sqlRestrictLetsTheCascadeRunFirst()
      throws SQLException {
    Duo duo = duo(List.of(Pa.class, Pb.class, Pc.class));
    create(duo, new Pa(1, "a"));
    create(duo, new Pb(1, 1));
    create(duo, new Pc(1, 1, 1));

    ProtectedError e = assertThrows(ProtectedError.class,
        () -> duo.store.delete(duo.store.get(Pa.class, 1)));
    assertEquals(List.of("'Pc.pa'"), e.keys());
    var sp = duo.h2.savepoint();
    duo.h2.deleteNaturally("Pa", List.of(1L));
    assertTrue(duo.h2.rows("Pc").isEmpty(), "H2 cascaded to the protecting row, then deleted");
    duo.h2.rollbackTo(sp);

    long asserted = delta(DiffStats.PROTECT_CASCADED,
        () -> assertEquals(DiffActions.REFUSED, both(duo, new DiffActions.Delete("Pa", 0))));
    assertEquals(1, asserted, "the driver asserted the documented difference");
  }

  @Test
  void restrict_exemptsRowsTheDeleteCascadesTo_h2ChecksNoActionRowByRow() {
    Duo duo = duo(List.of(Ra.class, Rc.class, Rb.class));
    create(duo, new Ra(1, "a"));
    create(duo, new Rb(1, 1));
    create(duo, new Rc(1, 1, 1));

    Refused refused = assertThrows(Refused.class, () -> duo.h2.transaction(() -> {
      duo.h2.deleteNaturally("Ra", List.of(1L));
      return null;
    }));
    assertEquals("fk_rc_ra", refused.constraint);

    long replays = delta(DiffStats.ORDER_REPLAYS, () -> assertEquals(
        new Deleted(Map.of("Ra", 1, "Rb", 1, "Rc", 1)),
        both(duo, new DiffActions.Delete("Ra", 0))));
    assertEquals(1, replays, "H2 refused, the driver checked the exemption and replayed the plan");
  }

  @Test
  void doNothing_isCheckedAtCommit_h2ChecksNoActionRowByRow() {
    Duo duo = duo(List.of(Na.class, Nc.class, Nb.class));
    create(duo, new Na(1, "a"));
    create(duo, new Nb(1, 1));
    create(duo, new Nc(1, 1, 1));

    long replays = delta(DiffStats.ORDER_REPLAYS, () -> assertEquals(
        new Deleted(Map.of("Na", 1, "Nb", 1, "Nc", 1)),
        both(duo, new DiffActions.Delete("Na", 0))));
    assertEquals(1, replays);
  }

  @Test
  void setSupplier_hasNoSqlAction_theDriverRunsItsSqlTwinBeforeTheDelete() {
    Duo duo = duo(List.of(Sa.class, Sb.class),
        List.of(new BuilderRule("Sb", "sa", BuilderKind.SET_SUPPLIER, null)),
        b -> b.add(Sa.class).add(Sb.class,
            m -> m.onDeleteSetFrom("sa", st -> Repro.sentinel(st, Sa.class))));
    create(duo, new Sa(1, "ann"));
    create(duo, new Sb(1, 1L));
    create(duo, new Sb(2, 1L));

    assertEquals(new Deleted(Map.of("Sa", 1)), both(duo, new DiffActions.Delete("Sa", 0)));
    assertEquals(List.of(new Sb(1, 2L), new Sb(2, 2L)), duo.store.all(Sb.class));
    assertEquals(List.of(new Sa(2, GenSchema.SENTINEL)), duo.store.all(Sa.class));
  }

  @Test
  void setDefaultToTheDeletedRow_relstoreRefuses_h2LeavesTheReferenceDangling() {
    Duo duo = duo(List.of(Da.class, Db.class));
    create(duo, new Da(1, "a"));
    create(duo, new Db(1, 1L));

    IntegrityError e = assertThrows(IntegrityError.class,
        () -> duo.store.delete(duo.store.get(Da.class, 1)));
    assertTrue(e.getMessage().contains("Db(id=1).da"), e.getMessage());
    List<String> dangling = duo.h2.transaction(() -> {
      var sp = duo.h2.savepoint();
      duo.h2.deleteNaturally("Da", List.of(1L));
      List<String> left = duo.h2.dangling(duo.models());
      duo.h2.rollbackTo(sp);
      return left;
    });
    assertEquals(List.of("fk_db_da: Db(id=1).da = 1"), dangling, "H2 accepted the DELETE");

    long taken = delta(DiffStats.H2_LEFT_DANGLING,
        () -> assertEquals(DiffActions.REFUSED, both(duo, new DiffActions.Delete("Da", 0))));
    assertEquals(1, taken);
  }

  // ------------------------------------------------------------------ writes

  @Test
  void foreignKeysAreCheckedAtCommit_h2ChecksThemAtOnce() {
    Duo duo = duo(List.of(Pa.class, Pb.class, Pc.class));
    List<Record> childFirst = List.of(new Pb(5, 7), new Pa(7, "late"));

    assertEquals(2, duo.store.bulkCreate(childFirst).size(), "relstore checks at commit");
    Refused immediate = assertThrows(Refused.class, () -> duo.h2.transaction(() -> {
      duo.h2.insert("Pb", Values.raw(childFirst.get(0)));
      return null;
    }));
    assertEquals("IntegrityError", immediate.kind);
    duo.h2.transaction(() -> duo.h2.deferringKeys(List.of("Pb", "Pa"), () -> {
      duo.h2.insert("Pb", Values.raw(childFirst.get(0)));
      return duo.h2.insert("Pa", Values.raw(childFirst.get(1)));
    }));
    sameRows(duo);
  }

  @Test
  void aRowWithTwoFaults_relstoreNamesTheTakenKey_sqlTheColumnConstraint() {
    Duo duo = duo(List.of(Pa.class, Pb.class, Pc.class));
    create(duo, new Pa(1, "a"));
    Pa twice = new Pa(1, "toolong");

    assertThrows(IntegrityError.class, () -> duo.store.create(twice));
    Refused sql = assertThrows(Refused.class, () -> duo.h2.transaction(
        () -> duo.h2.insert("Pa", Values.raw(twice))));
    assertEquals("ValidationError", sql.kind);
  }

  @Test
  void keys_relstoreTakesNoKeyForARolledBackCreate_anSqlIdentityDoes() throws SQLException {
    Duo duo = duo(List.of(Pa.class, Pb.class, Pc.class));
    assertThrows(Exception.class, () -> duo.store.create(new Pa(0, "toolong")));
    assertEquals(1, duo.store.create(new Pa(0, "a")).id());

    duo.h2.execute("CREATE TABLE \"ident\" (\"id\" BIGINT GENERATED BY DEFAULT AS IDENTITY"
        + " PRIMARY KEY, \"v\" CHARACTER VARYING(1))");
    assertThrows(Refused.class, () -> duo.h2.transaction(
        () -> duo.h2.update("INSERT INTO \"ident\" (\"v\") VALUES ('toolong')")));
    duo.h2.transaction(() -> duo.h2.update("INSERT INTO \"ident\" (\"v\") VALUES ('a')"));
    assertEquals(List.of(List.of(2L)), duo.h2.query("SELECT \"id\" FROM \"ident\"", List.of()),
        "the failed insert took key 1: hence the driver's own next-key table");
  }

  // ------------------------------------------------------------------ values and queries

  @Test
  void nullsSortLastAscending_h2SortsThemFirstUnlessTold() throws SQLException {
    Duo duo = duo(List.of(Item.class));
    create(duo, new Item(1, "a", null, null, null));
    create(duo, new Item(2, "b", 3, null, null));

    assertEquals(List.of(2L, 1L), duo.store.objects(Item.class).orderBy("rank").list().stream()
        .map(Item::id).toList());
    assertEquals(List.of(List.of(1L), List.of(2L)), duo.h2.query(
        "SELECT \"id\" FROM \"item\" ORDER BY \"rank\"", List.of()), "H2's default");
    assertEquals(List.of(List.of(2L), List.of(1L)), duo.h2.query(
        "SELECT \"id\" FROM \"item\" ORDER BY \"rank\" ASC NULLS LAST", List.of()));
    assertEquals(List.of(1L), duo.store.objects(Item.class)
        .orderBy(OrderBy.asc("rank").nullsFirst()).limit(1).list().stream().map(Item::id)
        .toList());
  }

  @Test
  void strings_relstoreComparesCodePoints_h2ComparesUtf16Units() throws SQLException {
    Duo duo = duo(List.of(Item.class));
    String high = "\uFFFF";
    String supplementary = new String(Character.toChars(0x10000));
    create(duo, new Item(1, "a", null, null, high));
    create(duo, new Item(2, "b", null, null, supplementary));

    assertEquals(List.of(1L, 2L), duo.store.objects(Item.class).orderBy("text").list().stream()
        .map(Item::id).toList(), "U+FFFF before U+10000");
    assertEquals(List.of(List.of(2L), List.of(1L)), duo.h2.query(
        "SELECT \"id\" FROM \"item\" ORDER BY \"text\"", List.of()), "surrogate D800 < FFFF");
    assertEquals(List.of(List.of(1L), List.of(2L)), duo.h2.query(
        "SELECT \"id\" FROM \"item\" WHERE \"id\" IN (1, 2) ORDER BY \"name\"", List.of()),
        "ASCII orders alike: the generated strings are ASCII");
  }

  @Test
  void decimals_relstoreKeepsTheScaleItWasGiven_sqlNumericHasAFixedScale() {
    Duo duo = duo(List.of(Item.class));
    create(duo, new Item(1, "a", null, new BigDecimal("1.0"), null));

    assertEquals(new BigDecimal("1.0"), duo.store.get(Item.class, 1).price());
    assertEquals("1.0000000000", duo.h2.transaction(() -> duo.h2.query(
        "SELECT CAST(\"price\" AS CHARACTER VARYING) FROM \"item\"", List.of())).get(0).get(0),
        "NUMERIC(30, 10)");
    sameRows(duo);
  }

  @Test
  void restrict_withNoCascadePathToTheRestrictingRow_bothRefuse() {
    Duo duo = duo(List.of(Ra.class, Rc.class, Rb.class));
    create(duo, new Ra(1, "a"));
    create(duo, new Ra(2, "b"));
    create(duo, new Rb(1, 1));
    create(duo, new Rc(1, 2, 1));

    long refused = delta(DiffStats.BOTH_REFUSED,
        () -> assertEquals(DiffActions.REFUSED, both(duo, new DiffActions.Delete("Ra", 1))));
    assertEquals(1, refused);
    assertEquals(new Deleted(Map.of("Ra", 1, "Rb", 1, "Rc", 1)),
        both(duo, new DiffActions.Delete("Ra", 0)), "through b, c is exempt; H2 deletes it");
  }
}
