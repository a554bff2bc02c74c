package io.relstore.internal.tx;

import io.relstore.DoesNotExist;
import io.relstore.IntegrityError;
import io.relstore.ValidationError;
import io.relstore.internal.schema.FieldKind;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.ValueSource;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.table.TableView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Creates and updates rows inside a write transaction: fills the key and the automatic fields,
 * checks every field rule, then hands the finished record to the table. A rule broken anywhere
 * throws before the table changes; foreign-key existence is left to the commit check.
 */
public final class RowWrites {
  private static final Pattern SLUG = Pattern.compile("[-a-zA-Z0-9_]+");

  private final Database db;

  public RowWrites(Database db) {
    this.db = db;
  }

  /** The model of a record, or a ValidationError naming the registered models. */
  public ModelMeta modelOf(@Nullable Object record) {
    if (record == null) {
      throw new ValidationError("Cannot write null: pass a record of a registered model");
    }
    ModelMeta model = db.schema().find(record.getClass());
    if (model == null) {
      throw new ValidationError(record.getClass().getName() + " is not a model of this store"
          + " (registered: " + db.schema().models() + ")");
    }
    return model;
  }

  /** Inserts a new row; a key of 0 takes the next free key. Returns the stored record. */
  public Object create(WriteTxn txn, ModelMeta model, Object record) {
    Object[] values = model.values(record);
    long pk = model.pkOf(record);
    TableView table = txn.table(model);
    if (pk < 0) {
      throw new ValidationError(model.name() + "." + model.pk().name() + " = " + pk
          + ": a primary key must be positive (0 asks the store to assign one)");
    }
    if (pk != 0 && table.row(pk) != null) {
      throw new IntegrityError("UNIQUE constraint failed: " + model.name() + "."
          + model.pk().name() + " = " + pk + " already exists (rule: primary keys are unique;"
          + " use save() or update() to change a stored row)");
    }
    Now now = new Now(db);
    for (FieldMeta f : model.fields()) {
      Object v = values[f.index()];
      if (f.constraints().autoNow() || f.constraints().autoNowAdd()) {
        v = now.valueFor(f);
      } else if (v == null && f.defaultValue() != null) {
        v = defaultFor(f, txn);
      }
      values[f.index()] = v;
    }
    checkFields(model, values, pk);
    if (pk == 0) {
      pk = txn.allocateId(model);
      values[model.pk().index()] = model.pk().primitive() ? (Object) pk : Long.valueOf(pk);
    }
    checkUnique(txn, model, values, pk);
    Object stored = construct(model, values);
    txn.insert(model, stored);
    return stored;
  }

  /** Replaces the stored row with the same key; DoesNotExist when there is none. */
  public Object update(WriteTxn txn, ModelMeta model, Object record) {
    long pk = model.pkOf(record);
    Object old = pk <= 0 ? null : txn.table(model).row(pk);
    if (old == null) {
      throw new DoesNotExist(model.name() + " matching " + model.pk().name() + "=" + pk
          + " does not exist (rule: update() changes a stored row; use create() or save() to"
          + " insert)");
    }
    Object[] values = model.values(record);
    Now now = new Now(db);
    for (FieldMeta f : model.fields()) {
      if (f.constraints().autoNow()) {
        values[f.index()] = now.valueFor(f);
      } else if (f.constraints().autoNowAdd() && values[f.index()] == null) {
        values[f.index()] = f.get(old);
      }
    }
    checkFields(model, values, pk);
    checkUnique(txn, model, values, pk);
    Object stored = construct(model, values);
    txn.replace(model, old, stored);
    return stored;
  }

  /**
   * Inserts a row exactly as given (a loaded or fixture row): its key must be positive and free,
   * its fields must obey their rules; automatic fields and defaults are left alone.
   */
  public Object insertRaw(WriteTxn txn, ModelMeta model, Object record) {
    long pk = model.pkOf(record);
    if (pk <= 0) {
      throw new ValidationError(model.name() + "." + model.pk().name() + " = " + pk
          + ": a loaded row needs its positive primary key");
    }
    if (txn.table(model).row(pk) != null) {
      throw new IntegrityError("UNIQUE constraint failed: " + model.name() + "."
          + model.pk().name() + " = " + pk + " already exists");
    }
    Object[] values = model.values(record);
    checkFields(model, values, pk);
    checkUnique(txn, model, values, pk);
    txn.insert(model, record);
    return record;
  }

  /** Django's save(): update when the key is stored, insert otherwise. */
  public Object save(WriteTxn txn, ModelMeta model, Object record) {
    long pk = model.pkOf(record);
    return pk > 0 && txn.table(model).row(pk) != null ? update(txn, model, record)
        : create(txn, model, record);
  }

  /** Writes one field of a stored row (on_delete updates), checking that field's rules. */
  public Object setField(WriteTxn txn, ModelMeta model, Object old, FieldMeta f,
      @Nullable Object value) {
    Object[] values = model.values(old);
    values[f.index()] = value;
    long pk = model.pkOf(old);
    checkField(model, f, value, pk);
    Object stored = construct(model, values);
    txn.replace(model, old, stored);
    return stored;
  }

  /**
   * Sets several fields of a stored row ({@code QuerySet.update}): values are fitted to the field
   * kinds (a foreign key takes a key or a target row), every rule of the changed fields and every
   * unique constraint is checked; automatic time fields are left alone, as Django's update() does.
   */
  public Object setFields(WriteTxn txn, ModelMeta model, Object old,
      java.util.Map<FieldMeta, @Nullable Object> changes) {
    Object[] values = model.values(old);
    long pk = model.pkOf(old);
    for (java.util.Map.Entry<FieldMeta, Object> e : changes.entrySet()) {
      FieldMeta f = e.getKey();
      Object v = e.getValue();
      if (f.foreignKey() != null) {
        v = foreignKeyValue(txn, f, v);
      } else if (v != null) {
        Object fitted = f.kind().fit(v, f.type());
        if (fitted == null) {
          throw new ValidationError(model.name() + "." + f.name() + " of " + model.describe(pk)
              + ": value " + v + " of type " + v.getClass().getSimpleName()
              + " does not fit a " + f.type().getSimpleName() + " field");
        }
        v = fitted;
      }
      checkField(model, f, v, pk);
      values[f.index()] = v;
    }
    checkUnique(txn, model, values, pk);
    Object stored = construct(model, values);
    txn.replace(model, old, stored);
    return stored;
  }

  private @Nullable Object defaultFor(FieldMeta f, WriteTxn txn) {
    ValueSource source = f.defaultValue();
    Object v = source == null ? null : source.resolve(db.api());
    return f.foreignKey() != null ? foreignKeyValue(txn, f, v) : v;
  }

  /**
   * A value for a foreign key given as a key, a Number or a target record (Django accepts an
   * instance and stores its key).
   */
  public @Nullable Object foreignKeyValue(WriteTxn txn, FieldMeta f, @Nullable Object v) {
    ModelMeta target = f.fk().target();
    if (v == null) {
      return null;
    }
    if (target.isInstance(v)) {
      return target.pkOf(v);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    throw new ValidationError(f.qualifiedName() + ": value " + v + " of type "
        + v.getClass().getSimpleName() + " is neither a " + target.name()
        + " nor its primary key");
  }

  private static void checkFields(ModelMeta model, Object[] values, long pk) {
    for (FieldMeta f : model.fields()) {
      if (!f.isPrimaryKey()) {
        checkField(model, f, values[f.index()], pk);
      }
    }
  }

  static void checkField(ModelMeta model, FieldMeta f, @Nullable Object v, long pk) {
    String problem = problem(f, v);
    if (problem != null) {
      // the row's description is built only for the message: checks on the happy path allocate
      throw new ValidationError(model.name() + "." + f.name()
          + (pk > 0 ? " of " + model.describe(pk) : "") + problem);
    }
  }

  /** What rule of its field the value breaks, as the tail of the error message; null if none. */
  private static @Nullable String problem(FieldMeta f, @Nullable Object v) {
    if (v == null) {
      return f.nullable() ? null : ": null in a non-null field (rule: NOT NULL; declare the"
          + " component @Nullable to allow null)";
    }
    if (!f.kind().boxed().isInstance(v) && !(f.kind() == FieldKind.ENUM && f.type().isInstance(v))) {
      return ": value " + v + " of type " + v.getClass().getSimpleName() + " does not fit a "
          + f.type().getSimpleName() + " field";
    }
    if (f.foreignKey() != null && (Long) v <= 0) {
      return " = " + v + ": a foreign key must hold the positive primary key of a "
          + f.fk().target().name()
          + (f.primitive() ? " (a required foreign key has no null; 0 means unset)" : "");
    }
    if (v instanceof String s) {
      int max = f.constraints().maxLength();
      if (max > 0 && s.length() > max) {
        return ": value of length " + s.length() + " exceeds max_length=" + max + " ('"
            + abbreviate(s) + "')";
      }
      if (f.constraints().slug() && !SLUG.matcher(s).matches()) {
        return ": '" + abbreviate(s) + "' is not a valid slug (rule: letters, digits, underscores"
            + " or hyphens only)";
      }
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static void checkUnique(WriteTxn txn, ModelMeta model, Object[] values, long pk) {
    TableView table = txn.table(model);
    for (FieldMeta f : model.fields()) {
      Object v = values[f.index()];
      if (v == null || !f.constraints().unique() || f.isPrimaryKey()) {
        continue;
      }
      LongTrie<Object> holders = f.foreignKey() != null
          ? table.children(f.fk().ordinal(), (Long) v) : table.lookup(f.index(), v);
      LongTrie.Cursor c = holders.cursor(true);
      while (c.next()) {
        if (c.key() != pk) {
          throw new IntegrityError("UNIQUE constraint failed: " + model.name() + "." + f.name()
              + " = " + quote(v) + " is already held by " + model.describe(c.key())
              + " (rule: @Unique)");
        }
      }
    }
  }

  private static String quote(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }

  private static Object construct(ModelMeta model, Object[] values) {
    try {
      return model.construct(values);
    } catch (RuntimeException e) {
      throw new ValidationError(model.name() + ": the record's constructor rejected the values ("
          + e + ")", e);
    }
  }

  /** One instant per write, so that every automatic time field of a row agrees. */
  private static final class Now {
    private final Database db;
    private @Nullable Instant instant;

    Now(Database db) {
      this.db = db;
    }

    Object valueFor(FieldMeta f) {
      if (instant == null) {
        instant = db.clock().instant();
      }
      return switch (f.kind()) {
        case LOCAL_DATE -> LocalDate.ofInstant(instant, db.clock().getZone());
        case LOCAL_DATE_TIME -> LocalDateTime.ofInstant(instant, db.clock().getZone());
        default -> instant;
      };
    }
  }
}
