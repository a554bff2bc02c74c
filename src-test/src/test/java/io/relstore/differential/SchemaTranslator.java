package io.relstore.differential;

import io.relstore.annotation.AutoNow;
import io.relstore.annotation.AutoNowAdd;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.OnDelete;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Unique;
import io.relstore.differential.SqlSchema.Action;
import io.relstore.differential.SqlSchema.Column;
import io.relstore.differential.SqlSchema.Table;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Translates a relstore schema (the model records, read through their annotations, and what the
 * store's builder adds) into H2 DDL, the way Django lays a model out: one table per model
 * ({@code app_model}, lower case), the key {@code id}, a column per field ({@code snake_case},
 * foreign keys with {@code _id}), NOT NULL, UNIQUE, and the field rules relstore enforces as CHECK
 * constraints (a positive key, a positive foreign-key value, a slug's characters).
 *
 * <h2>on_delete rules</h2>
 * Django runs {@code on_delete} in Python (the Collector) and gives the database foreign keys with
 * no action, checked at commit; relstore does the same. Here each rule gets the SQL action that
 * does the same work in the database where one exists, and the differential test
 * ({@link DifferentialH2Test}) states what the driver does, or which difference it asserts, where
 * none does:
 *
 * <table>
 *   <caption>relstore rule → SQL</caption>
 *   <tr><th>relstore (Django)</th><th>SQL</th><th>where they differ</th></tr>
 *   <tr><td>CASCADE</td><td>{@code ON DELETE CASCADE}</td><td>—</td></tr>
 *   <tr><td>SET_NULL</td><td>{@code ON DELETE SET NULL}</td><td>—</td></tr>
 *   <tr><td>SET_DEFAULT (constant default)</td><td>{@code DEFAULT d ... ON DELETE SET DEFAULT}</td>
 *       <td>—; a default computed at run time has no SQL form (refused)</td></tr>
 *   <tr><td>SET(constant)</td><td>{@code DEFAULT c ... ON DELETE SET DEFAULT}</td>
 *       <td>the column default exists only for the delete: the driver always writes the column</td></tr>
 *   <tr><td>SET(supplier)</td><td>{@code ON DELETE NO ACTION}</td>
 *       <td>no SQL action runs Java code: before the DELETE the driver computes the rows the
 *       delete reaches (the CASCADE closure, in SQL), runs the supplier's SQL twin (get or create
 *       the sentinel row) and updates the referencing rows, as Django's Collector does before its
 *       deletes; the result is checked against relstore's plan</td></tr>
 *   <tr><td>PROTECT</td><td>{@code ON DELETE RESTRICT}</td>
 *       <td>Django refuses even when the protecting row is deleted by the same delete (through a
 *       CASCADE path, rule 14); SQL's RESTRICT refuses only if the row is still there when the
 *       parent's delete is checked, which depends on the order of the cascade: asserted as the
 *       difference</td></tr>
 *   <tr><td>RESTRICT</td><td>{@code ON DELETE NO ACTION}</td>
 *       <td>SQL's NO ACTION is checked at the end of the statement, which is Django's exemption for
 *       restricted rows that the same delete cascades to (rule 16); H2 checks NO ACTION row by
 *       row, like RESTRICT, so it may refuse where Django allows: asserted as the difference,
 *       then relstore's plan is replayed</td></tr>
 *   <tr><td>DO_NOTHING</td><td>{@code ON DELETE NO ACTION}</td>
 *       <td>both refuse a dangling reference (relstore at commit); H2's row-by-row check may refuse
 *       a reference the same delete removes: handled as RESTRICT</td></tr>
 *   <tr><td>DO_NOTHING, {@code dbConstraint = false}</td><td>no FOREIGN KEY (the column and its
 *       CHECK only)</td><td>— (both let the reference dangle)</td></tr>
 *   <tr><td>another rule with {@code dbConstraint = false}</td><td>refused</td>
 *       <td>Django's Collector still applies the rule; SQL has no action without a constraint</td></tr>
 * </table>
 *
 * <p>Foreign keys are checked when relstore's operation commits (Django's PostgreSQL constraints are
 * {@code DEFERRABLE INITIALLY DEFERRED}); H2 cannot defer a constraint, so the driver writes with
 * the written tables' referential integrity off and checks every foreign key by query before it
 * commits.
 */
final class SchemaTranslator {
  private SchemaTranslator() {
  }

  /** What a model's builder configuration adds ({@code ModelConfig}). */
  enum BuilderKind { SET_CONSTANT, SET_SUPPLIER, DEFAULT_CONSTANT, DEFAULT_SUPPLIER }

  /**
   * One builder setting of a field: {@code onDeleteSet} (a key), {@code onDeleteSetFrom},
   * {@code defaultValue}, {@code defaultFrom}.
   */
  record BuilderRule(String model, String field, BuilderKind kind, @Nullable Object value) {
  }

  /**
   * The SQL schema of the models (registration order) and their builder settings.
   *
   * @throws UnsupportedOperationException for what SQL cannot express (see the class comment)
   */
  static SqlSchema translate(List<Class<? extends Record>> models, List<BuilderRule> builder) {
    List<Table> tables = new ArrayList<>();
    for (Class<? extends Record> m : models) {
      tables.add(table(m, models, builder));
    }
    return new SqlSchema(List.copyOf(tables));
  }

  static String modelName(Class<?> type) {
    Model m = type.getAnnotation(Model.class);
    return m == null || m.name().isEmpty() ? type.getSimpleName() : m.name();
  }

  static String label(Class<?> type) {
    Model m = type.getAnnotation(Model.class);
    return m == null || m.app().isEmpty() ? modelName(type) : m.app() + "." + modelName(type);
  }

  /** Django's {@code db_table}: {@code app_model} in lower case. */
  static String tableName(Class<?> type) {
    Model m = type.getAnnotation(Model.class);
    String name = modelName(type).toLowerCase(Locale.ROOT);
    return m == null || m.app().isEmpty() ? name : m.app().toLowerCase(Locale.ROOT) + "_" + name;
  }

  static String snake(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static Table table(Class<? extends Record> type, List<Class<? extends Record>> models,
      List<BuilderRule> builder) {
    String model = modelName(type);
    String table = tableName(type);
    List<Column> columns = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Column column = column(model, table, c, models, builder);
      if (c.isAnnotationPresent(Id.class)) {
        columns.add(0, column);
      } else {
        columns.add(column);
      }
    }
    return new Table(model, label(type), table, type, List.copyOf(columns));
  }

  private static Column column(String model, String table, RecordComponent c,
      List<Class<? extends Record>> models, List<BuilderRule> builder) {
    String field = c.getName();
    Class<?> type = c.getType();
    ForeignKey fk = c.getAnnotation(ForeignKey.class);
    String column = snake(field) + (fk != null ? "_id" : "");
    boolean notNull = type.isPrimitive() || !c.getAnnotatedType().isAnnotationPresent(
        Nullable.class);
    List<String> checks = new ArrayList<>();
    String quoted = SqlSchema.q(column);
    if (c.isAnnotationPresent(Id.class) || fk != null) {
      checks.add(quoted + " > 0");
    }
    Slug slug = c.getAnnotation(Slug.class);
    if (slug != null) {
      checks.add("REGEXP_LIKE(" + quoted + ", '^[-a-zA-Z0-9_]+$')");
    }
    String sqlType = sqlType(c, type);
    String defaultSql = null;
    boolean relstoreDefault = false;
    Default d = c.getAnnotation(Default.class);
    if (d != null) {
      defaultSql = literal(d.value(), type);
      relstoreDefault = true;
    }
    BuilderRule rule = builderRule(builder, model, field);
    if (rule != null && rule.kind() == BuilderKind.DEFAULT_CONSTANT) {
      defaultSql = literal(String.valueOf(rule.value()), type);
      relstoreDefault = true;
    } else if (rule != null && rule.kind() == BuilderKind.DEFAULT_SUPPLIER) {
      throw new UnsupportedOperationException(model + "." + field
          + ": a default computed at run time has no SQL form");
    }
    SqlSchema.ForeignKey sqlFk = null;
    if (fk != null) {
      Action action = action(model, field, fk);
      boolean supplier = false;
      if (fk.onDelete() == OnDelete.SET) {
        if (rule == null || rule.kind() == BuilderKind.SET_SUPPLIER) {
          supplier = true;
        } else {
          defaultSql = literal(String.valueOf(rule.value()), long.class);
        }
      }
      if (fk.onDelete() == OnDelete.SET_DEFAULT && defaultSql == null) {
        throw new UnsupportedOperationException(model + "." + field
            + ": SET_DEFAULT without a constant default has no SQL form");
      }
      Class<?> target = fk.to();
      if (!models.contains(target)) {
        throw new IllegalArgumentException(model + "." + field + ": target " + target.getName()
            + " is not among the models");
      }
      sqlFk = new SqlSchema.ForeignKey("fk_" + table + "_" + snake(field), model, field, column,
          modelName(target), tableName(target), fk.onDelete(), fk.dbConstraint(),
          supplier ? Action.NO_ACTION : action, supplier);
    }
    return new Column(field, column, sqlType, type, notNull, c.isAnnotationPresent(Unique.class),
        defaultSql, relstoreDefault, List.copyOf(checks), sqlFk);
  }

  /** The SQL action of a rule (SET(supplier) is NO ACTION; the caller decides). */
  private static Action action(String model, String field, ForeignKey fk) {
    if (!fk.dbConstraint()) {
      if (fk.onDelete() != OnDelete.DO_NOTHING) {
        throw new UnsupportedOperationException(model + "." + field + ": on_delete="
            + fk.onDelete() + " without a database constraint: Django's Collector applies it,"
            + " SQL has no referential action without a constraint");
      }
      return Action.NONE;
    }
    return switch (fk.onDelete()) {
      case CASCADE -> Action.CASCADE;
      case SET_NULL -> Action.SET_NULL;
      case SET_DEFAULT, SET -> Action.SET_DEFAULT;
      case PROTECT -> Action.RESTRICT;
      case RESTRICT, DO_NOTHING -> Action.NO_ACTION;
    };
  }

  private static @Nullable BuilderRule builderRule(List<BuilderRule> rules, String model,
      String field) {
    for (BuilderRule r : rules) {
      if (r.model().equals(model) && r.field().equals(field)) {
        return r;
      }
    }
    return null;
  }

  private static String sqlType(RecordComponent c, Class<?> type) {
    if (type == long.class || type == Long.class) {
      return "BIGINT";
    }
    if (type == int.class || type == Integer.class) {
      return "INTEGER";
    }
    if (type == short.class || type == Short.class) {
      return "SMALLINT";
    }
    if (type == byte.class || type == Byte.class) {
      return "TINYINT";
    }
    if (type == double.class || type == Double.class) {
      return "DOUBLE PRECISION";
    }
    if (type == float.class || type == Float.class) {
      return "REAL";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "BOOLEAN";
    }
    if (type == String.class) {
      Char ch = c.getAnnotation(Char.class);
      Slug slug = c.getAnnotation(Slug.class);
      int max = ch != null ? ch.maxLength() : slug != null ? slug.maxLength() : 0;
      return max > 0 ? "CHARACTER VARYING(" + max + ")" : "CHARACTER VARYING";
    }
    if (type == BigDecimal.class) {
      return "NUMERIC(30, 10)";
    }
    if (type == LocalDate.class) {
      return "DATE";
    }
    if (type == LocalDateTime.class) {
      return "TIMESTAMP(9)";
    }
    if (type == Instant.class) {
      if (c.isAnnotationPresent(AutoNow.class) || c.isAnnotationPresent(AutoNowAdd.class)) {
        throw new UnsupportedOperationException(c.getName()
            + ": automatic times come from relstore's clock, not the database's");
      }
      return "TIMESTAMP(9) WITH TIME ZONE";
    }
    if (type == UUID.class) {
      return "UUID";
    }
    if (type.isEnum()) {
      int max = 1;
      for (Object e : type.getEnumConstants()) {
        max = Math.max(max, ((Enum<?>) e).name().length());
      }
      return "CHARACTER VARYING(" + max + ")";
    }
    throw new UnsupportedOperationException(c.getName() + ": no SQL type for " + type);
  }

  /** A {@code @Default} text as an SQL literal of the column's type. */
  static String literal(String text, Class<?> type) {
    Map<Class<?>, String> numeric = Map.of(long.class, "", Long.class, "", int.class, "",
        Integer.class, "", short.class, "", Short.class, "", BigDecimal.class, "",
        double.class, "", Double.class, "");
    if (numeric.containsKey(type)) {
      return new BigDecimal(text.strip()).toPlainString();
    }
    if (type == boolean.class || type == Boolean.class) {
      return Boolean.parseBoolean(text.strip()) ? "TRUE" : "FALSE";
    }
    if (type == LocalDate.class) {
      return "DATE '" + LocalDate.parse(text.strip()) + "'";
    }
    return "'" + text.replace("'", "''") + "'";
  }
}
