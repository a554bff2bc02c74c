package io.relstore.testkit;

import io.relstore.Store;

/**
 * A schema for {@link DatasetSource}: how to build an empty store, and optionally how to tune the
 * generator (sizes, field overrides). Implementations need a public no-argument constructor.
 */
public interface DatasetSchema {

  /** A new, empty store of the schema. */
  Store newStore();

  /** Adjusts the generator; nothing by default. */
  default DatasetGenerator configure(DatasetGenerator generator) {
    return generator;
  }

  /** The generator of this schema. */
  default DatasetGenerator generator() {
    return configure(DatasetGenerator.forSchema(this::newStore));
  }
}
