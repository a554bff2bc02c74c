package io.relstore.internal.tx;

import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.Schema;
import io.relstore.internal.table.TableState;

/**
 * A committed state of the whole store: one immutable {@link TableState} per model. Publishing a new
 * {@code StoreState} is the commit; holding an old one is a snapshot, valid for as long as it is
 * held. {@code version} counts commits.
 */
public final class StoreState implements StoreView {
  private final Schema schema;
  private final TableState[] tables;
  private final long version;

  StoreState(Schema schema, TableState[] tables, long version) {
    this.schema = schema;
    this.tables = tables;
    this.version = version;
  }

  static StoreState empty(Schema schema) {
    TableState[] tables = new TableState[schema.size()];
    for (ModelMeta m : schema.models()) {
      tables[m.ordinal()] = TableState.empty(m);
    }
    return new StoreState(schema, tables, 0);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public TableState table(ModelMeta model) {
    return tables[model.ordinal()];
  }

  TableState table(int ordinal) {
    return tables[ordinal];
  }

  /** A copy of the table array, for the commit that replaces some of them. */
  TableState[] tables() {
    return tables.clone();
  }

  public long version() {
    return version;
  }
}
