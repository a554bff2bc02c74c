package io.relstore.differential;

import io.relstore.annotation.OnDelete;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A relstore schema translated to SQL by {@link SchemaTranslator}: one table per model, one column
 * per record component, and the foreign keys with the SQL action each rule maps to.
 *
 * @param tables in registration order
 */
record SqlSchema(List<Table> tables) {

  /** What a foreign key becomes in SQL ({@link SchemaTranslator} explains each). */
  enum Action {
    CASCADE("ON DELETE CASCADE"),
    SET_NULL("ON DELETE SET NULL"),
    SET_DEFAULT("ON DELETE SET DEFAULT"),
    RESTRICT("ON DELETE RESTRICT"),
    NO_ACTION("ON DELETE NO ACTION"),
    /** No FOREIGN KEY constraint at all ({@code dbConstraint = false}). */
    NONE("");

    final String sql;

    Action(String sql) {
      this.sql = sql;
    }
  }

  /**
   * A foreign key.
   *
   * @param constraint the constraint's name ({@code fk_<table>_<field>}), as H2 reports it
   * @param rule the relstore (Django) rule
   * @param supplier true for {@code SET(supplier)} (no SQL action computes its value)
   */
  record ForeignKey(String constraint, String model, String field, String column,
      String targetModel, String targetTable, OnDelete rule, boolean dbConstraint, Action action,
      boolean supplier) {

    /**
     * Whether SQL checks it instead of acting on it (RESTRICT / NO ACTION): H2 checks these row by
     * row while a statement runs, so their outcome can depend on the order of its deletes.
     */
    boolean checkOnly() {
      return action == Action.RESTRICT || action == Action.NO_ACTION;
    }
  }

  /**
   * A column.
   *
   * @param field the record component
   * @param javaType the component's type
   * @param defaultSql the SQL {@code DEFAULT} literal, or null
   * @param relstoreDefault whether relstore fills this field's default in on create (a null there
   *     means "not given": the driver sends {@code DEFAULT})
   */
  record Column(String field, String column, String sqlType, Class<?> javaType, boolean notNull,
      boolean unique, @Nullable String defaultSql, boolean relstoreDefault, List<String> checks,
      @Nullable ForeignKey fk) {
  }

  /** A table: {@code label} is relstore's model label (the key of delete counts). */
  record Table(String model, String label, String table, Class<? extends Record> type,
      List<Column> columns) {

    Column column(String field) {
      for (Column c : columns) {
        if (c.field().equals(field)) {
          return c;
        }
      }
      throw new IllegalArgumentException(model + "." + field);
    }

    /** The primary key: the first column. */
    Column pk() {
      return columns.get(0);
    }

    List<ForeignKey> foreignKeys() {
      List<ForeignKey> out = new ArrayList<>();
      for (Column c : columns) {
        if (c.fk() != null) {
          out.add(c.fk());
        }
      }
      return out;
    }
  }

  Table table(String model) {
    for (Table t : tables) {
      if (t.model().equals(model)) {
        return t;
      }
    }
    throw new IllegalArgumentException(model);
  }

  Table tableOfLabel(String label) {
    for (Table t : tables) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException(label);
  }

  /** Every foreign key of every table. */
  List<ForeignKey> foreignKeys() {
    List<ForeignKey> out = new ArrayList<>();
    for (Table t : tables) {
      out.addAll(t.foreignKeys());
    }
    return out;
  }

  /** Every foreign key that points at {@code model}. */
  List<ForeignKey> incoming(String model) {
    return foreignKeys().stream().filter(f -> f.targetModel().equals(model)).toList();
  }

  @Nullable ForeignKey constraint(String name) {
    for (ForeignKey f : foreignKeys()) {
      if (f.constraint().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The DDL with the foreign keys in a random order: H2 runs the actions and checks of the keys
   * that reference a table in the order they were created, so the order decides which of two
   * paths a delete takes first (see {@code DIFFERENTIAL.md}).
   */
  List<String> ddl(java.util.SplittableRandom random) {
    List<String> out = new ArrayList<>(ddl());
    int tables = this.tables.size();
    List<String> keys = new ArrayList<>(out.subList(tables, out.size()));
    for (int i = keys.size() - 1; i > 0; i--) {
      java.util.Collections.swap(keys, i, random.nextInt(i + 1));
    }
    for (int i = 0; i < keys.size(); i++) {
      out.set(tables + i, keys.get(i));
    }
    return out;
  }

  /** The DDL: the tables (keys, unique, checks), then the foreign keys (they may form cycles). */
  List<String> ddl() {
    List<String> out = new ArrayList<>();
    for (Table t : tables) {
      List<String> lines = new ArrayList<>();
      for (Column c : t.columns()) {
        StringBuilder sb = new StringBuilder("  " + q(c.column()) + " " + c.sqlType());
        if (c.defaultSql() != null) {
          sb.append(" DEFAULT ").append(c.defaultSql());
        }
        if (c.notNull()) {
          sb.append(" NOT NULL");
        }
        for (String check : c.checks()) {
          sb.append(" CHECK (").append(check).append(')');
        }
        lines.add(sb.toString());
      }
      lines.add("  CONSTRAINT " + q("pk_" + t.table()) + " PRIMARY KEY (" + q(t.pk().column())
          + ")");
      for (Column c : t.columns()) {
        if (c.unique()) {
          lines.add("  CONSTRAINT " + q("uq_" + t.table() + "_" + c.column()) + " UNIQUE ("
              + q(c.column()) + ")");
        }
      }
      out.add("CREATE TABLE " + q(t.table()) + " (\n" + String.join(",\n", lines) + "\n)");
    }
    for (ForeignKey f : foreignKeys()) {
      if (f.action() != Action.NONE) {
        out.add("ALTER TABLE " + q(table(f.model()).table()) + " ADD CONSTRAINT "
            + q(f.constraint()) + " FOREIGN KEY (" + q(f.column()) + ") REFERENCES "
            + q(f.targetTable()) + " (" + q(table(f.targetModel()).pk().column()) + ") "
            + f.action().sql);
      }
    }
    return out;
  }

  /** A quoted SQL identifier (Django quotes every name; H2 would upper-case unquoted ones). */
  static String q(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
