package io.relstore.internal.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the builder adds to a record's annotations: SET values, computed defaults, extra indexes. */
public final class ModelSpec {
  private final Class<? extends Record> type;
  private final Map<String, ValueSource> setValues = new LinkedHashMap<>();
  private final Map<String, ValueSource> defaults = new LinkedHashMap<>();
  private final Map<String, Boolean> indexes = new LinkedHashMap<>();
  private final java.util.List<java.util.List<String>> composites = new java.util.ArrayList<>();
  private CacheSpec cache = CacheSpec.NONE;

  public ModelSpec(Class<? extends Record> type) {
    this.type = type;
  }

  public Class<? extends Record> type() {
    return type;
  }

  public void setValue(String field, ValueSource source) {
    setValues.put(field, source);
  }

  public void defaultValue(String field, ValueSource source) {
    defaults.put(field, source);
  }

  public void index(String field, boolean sorted) {
    indexes.merge(field, sorted, Boolean::logicalOr);
  }

  public CacheSpec cache() {
    return cache;
  }

  public void cache(CacheSpec spec) {
    this.cache = spec;
  }

  public void composite(java.util.List<String> fields) {
    composites.add(java.util.List.copyOf(fields));
  }

  java.util.List<java.util.List<String>> composites() {
    return composites;
  }

  @Nullable ValueSource setValue(String field) {
    return setValues.get(field);
  }

  @Nullable ValueSource defaultValue(String field) {
    return defaults.get(field);
  }

  @Nullable Boolean index(String field) {
    return indexes.get(field);
  }

  /** Every field name the builder mentioned, to report names the record does not have. */
  Iterable<String> mentionedFields() {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(setValues.keySet());
    all.addAll(defaults.keySet());
    all.addAll(indexes.keySet());
    composites.forEach(all::addAll);
    return all;
  }
}
