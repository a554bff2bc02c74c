package io.relstore.testkit;

import io.relstore.ModelInfo;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reading and building records by component name, for the generator and the shrinker. */
final class Records {
  private Records() {
  }

  static @Nullable Object get(Record r, RecordComponent c) {
    try {
      var accessor = c.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c + " of " + r, e);
    }
  }

  static @Nullable Object get(Record r, String name) {
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        return get(r, c);
      }
    }
    throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no component " + name);
  }

  static long pk(Record r, ModelInfo m) {
    Object v = get(r, m.primaryKey().name());
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** A record of {@code type} from component values by name (absent: null, or 0 for primitives). */
  static Record build(Class<? extends Record> type, Map<String, @Nullable Object> values) {
    RecordComponent[] cs = type.getRecordComponents();
    Class<?>[] types = new Class<?>[cs.length];
    Object[] args = new Object[cs.length];
    for (int i = 0; i < cs.length; i++) {
      types[i] = cs[i].getType();
      Object v = values.get(cs[i].getName());
      args[i] = v == null && types[i].isPrimitive() ? zero(types[i]) : v;
    }
    try {
      Constructor<? extends Record> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " from " + values
          + ": " + (e.getCause() != null ? e.getCause() : e), e);
    }
  }

  /** The component values of a record, by name. */
  static Map<String, @Nullable Object> values(Record r) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      out.put(c.getName(), get(r, c));
    }
    return out;
  }

  /** The default value of a primitive type (what a new {@code type[]} holds), boxed. */
  static Object zero(Class<?> type) {
    return Array.get(Array.newInstance(type, 1), 0);
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
