package io.relstore.internal.tx;

import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.Schema;
import io.relstore.internal.table.TableView;

/** One consistent state of every table: committed, or the working state of a write transaction. */
public interface StoreView {

  Schema schema();

  TableView table(ModelMeta model);
}
