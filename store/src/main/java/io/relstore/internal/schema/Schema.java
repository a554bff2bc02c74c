package io.relstore.internal.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The models of one store, by class and by registration order; immutable once built. */
public final class Schema {
  private final List<ModelMeta> models;
  private final Map<Class<?>, ModelMeta> byType = new IdentityHashMap<>();
  private static final Object ABSENT = new Object();
  /** Class to model in ~2 ns, for the hot read paths; filled lazily from {@code byType}. */
  private final ClassValue<Object> cache = new ClassValue<>() {
    @Override
    protected Object computeValue(Class<?> type) {
      ModelMeta m = byType.get(type);
      return m == null ? ABSENT : m;
    }
  };

  Schema(List<ModelMeta> models) {
    this.models = Collections.unmodifiableList(new ArrayList<>(models));
    for (ModelMeta m : models) {
      byType.put(m.type(), m);
    }
  }

  /** Reads and checks the given models; see {@link SchemaReader}. */
  public static Schema of(List<ModelSpec> specs) {
    return new SchemaReader(specs).read();
  }

  public List<ModelMeta> models() {
    return models;
  }

  public int size() {
    return models.size();
  }

  public ModelMeta model(int ordinal) {
    return models.get(ordinal);
  }

  public @Nullable ModelMeta find(Class<?> type) {
    Object m = cache.get(type);
    return m == ABSENT ? null : (ModelMeta) m;
  }

  public @Nullable ModelMeta find(String name) {
    for (ModelMeta m : models) {
      if (m.name().equals(name) || m.label().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
