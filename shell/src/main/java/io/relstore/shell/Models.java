package io.relstore.shell;

import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Model;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the shell knows of the models, read from the records' public annotations: names, labels,
 * fields (with their snake_case names), foreign keys and reverse relations. Used to read row
 * attributes, build records from keyword arguments, complete names and load fixtures.
 */
final class Models {

  /** A field: the record component, its Django name, and its target when it is a foreign key. */
  record Field(RecordComponent component, String name, @Nullable Class<?> target) {
    boolean isForeignKey() {
      return target != null;
    }
  }

  /** A reverse relation: its name on the target, and the referencing model and field. */
  record Reverse(String name, Class<? extends Record> model, Field field) {
  }

  private final Map<String, Class<? extends Record>> byName = new LinkedHashMap<>();
  private final Map<Class<?>, List<Field>> fields = new LinkedHashMap<>();
  private final Map<Class<?>, List<Reverse>> reverse = new LinkedHashMap<>();

  Models(List<Class<? extends Record>> models) {
    for (Class<? extends Record> m : models) {
      byName.put(name(m), m);
      List<Field> fs = new ArrayList<>();
      for (RecordComponent c : m.getRecordComponents()) {
        ForeignKey fk = c.getAnnotation(ForeignKey.class);
        fs.add(new Field(c, snake(c.getName()), fk == null ? null : fk.to()));
      }
      fields.put(m, fs);
    }
    for (Class<? extends Record> m : models) {
      for (Field f : fields.get(m)) {
        if (f.isForeignKey()) {
          ForeignKey fk = f.component().getAnnotation(ForeignKey.class);
          String related = fk.relatedName().isEmpty()
              ? name(m).toLowerCase(Locale.ROOT) + "_set" : fk.relatedName();
          if (!related.endsWith("+")) {
            reverse.computeIfAbsent(f.target(), k -> new ArrayList<>())
                .add(new Reverse(related, m, f));
          }
        }
      }
    }
  }

  static String name(Class<?> m) {
    Model ann = m.getAnnotation(Model.class);
    return ann != null && !ann.name().isEmpty() ? ann.name() : m.getSimpleName();
  }

  static String label(Class<?> m) {
    Model ann = m.getAnnotation(Model.class);
    return (ann != null && !ann.app().isEmpty() ? ann.app() + "." : "") + name(m);
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

  Map<String, Class<? extends Record>> byName() {
    return byName;
  }

  @Nullable Class<? extends Record> find(String name) {
    Class<? extends Record> m = byName.get(name);
    if (m != null) {
      return m;
    }
    for (Class<? extends Record> c : byName.values()) {
      if (label(c).equalsIgnoreCase(name) || name(c).equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  List<Field> fields(Class<?> model) {
    return fields.getOrDefault(model, List.of());
  }

  /** The field a name denotes: the component name, its snake_case, or {@code <fk>_id}. */
  @Nullable Field field(Class<?> model, String name) {
    for (Field f : fields(model)) {
      if (f.name().equals(name) || f.component().getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  List<Reverse> reverse(Class<?> model) {
    return reverse.getOrDefault(model, List.of());
  }

  @Nullable Reverse reverse(Class<?> model, String name) {
    for (Reverse r : reverse(model)) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  /** The primary-key field (the first component, by the demo's convention, else named id). */
  Field pk(Class<?> model) {
    for (Field f : fields(model)) {
      if (f.component().isAnnotationPresent(io.relstore.annotation.Id.class)) {
        return f;
      }
    }
    throw new IllegalStateException(model + " has no @Id");
  }

  Object get(Object row, Field f) {
    try {
      return f.component().getAccessor().invoke(row);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  long pkOf(Object row) {
    return ((Number) get(row, pk(row.getClass()))).longValue();
  }
}
