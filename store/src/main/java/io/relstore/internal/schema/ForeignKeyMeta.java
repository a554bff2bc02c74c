package io.relstore.internal.schema;

import io.relstore.annotation.OnDelete;
import org.jspecify.annotations.Nullable;

/**
 * The relational part of a foreign-key field: its target, its on_delete rule, and the names of the
 * reverse relation it gives the target. {@code ordinal} numbers the FKs of one model, in declaration
 * order, and indexes that model's reverse indexes.
 */
public final class ForeignKeyMeta {
  private final Class<?> targetType;
  private final OnDelete rule;
  private final @Nullable ValueSource setValue;
  private final String relatedName;
  private final boolean dbConstraint;
  private final int ordinal;
  private @Nullable ModelMeta target;
  private @Nullable FieldMeta field;

  ForeignKeyMeta(Class<?> targetType, OnDelete rule, @Nullable ValueSource setValue,
      String relatedName, boolean dbConstraint, int ordinal) {
    this.targetType = targetType;
    this.rule = rule;
    this.setValue = setValue;
    this.relatedName = relatedName;
    this.dbConstraint = dbConstraint;
    this.ordinal = ordinal;
  }

  void link(FieldMeta owner, ModelMeta targetModel) {
    this.field = owner;
    this.target = targetModel;
  }

  public Class<?> targetType() {
    return targetType;
  }

  public ModelMeta target() {
    if (target == null) {
      throw new IllegalStateException("unlinked foreign key");
    }
    return target;
  }

  public FieldMeta field() {
    if (field == null) {
      throw new IllegalStateException("unlinked foreign key");
    }
    return field;
  }

  public OnDelete rule() {
    return rule;
  }

  /** The SET value or supplier; null unless the rule is SET. */
  public @Nullable ValueSource setValue() {
    return setValue;
  }

  public boolean dbConstraint() {
    return dbConstraint;
  }

  public int ordinal() {
    return ordinal;
  }

  public boolean hidden() {
    return relatedName.startsWith("+") || relatedName.endsWith("+");
  }

  /** The reverse accessor: the related name, else {@code <child>_set}. */
  public String accessorName() {
    return relatedName.isEmpty() ? field().model().name().toLowerCase(java.util.Locale.ROOT) + "_set"
        : relatedName;
  }

  /** The reverse name in lookups: the related name, else the child model's name in lower case. */
  public String queryName() {
    return relatedName.isEmpty() ? field().model().name().toLowerCase(java.util.Locale.ROOT)
        : relatedName;
  }

  /** Django's key for this relation, {@code 'Child.field'}. */
  public String key() {
    return field().model().name() + "." + field().name();
  }
}
