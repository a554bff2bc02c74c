package io.relstore.testkit;

import io.relstore.ModelInfo;
import io.relstore.Store;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set of rows for the models of a schema, valid as a whole: every foreign key
 * points at a row of the dataset (or at nothing, where null is allowed), unique values are
 * unique, every field obeys its rules. It loads into an empty store in one transaction, and prints
 * as Java code or as a Django {@code dumpdata} fixture to paste into a test.
 */
public final class Dataset {
  private final List<ModelInfo> models;
  private final Map<Class<? extends Record>, List<Record>> rows;

  Dataset(List<ModelInfo> models, Map<Class<? extends Record>, List<Record>> rows) {
    this.models = List.copyOf(models);
    Map<Class<? extends Record>, List<Record>> copy = new LinkedHashMap<>();
    for (ModelInfo m : models) {
      copy.put(m.type(), List.copyOf(rows.getOrDefault(m.type(), List.of())));
    }
    this.rows = Collections.unmodifiableMap(copy);
  }

  /** The models, in registration order. */
  public List<ModelInfo> models() {
    return models;
  }

  /** The rows of one model, in key order. */
  @SuppressWarnings("unchecked")
  public <T extends Record> List<T> rows(Class<T> model) {
    return (List<T>) rows.getOrDefault(model, List.of());
  }

  /** Every row, model by model. */
  public Map<Class<? extends Record>, List<Record>> all() {
    return rows;
  }

  /** Number of rows in all models. */
  public int size() {
    int n = 0;
    for (List<Record> r : rows.values()) {
      n += r.size();
    }
    return n;
  }

  /**
   * Inserts every row into {@code store} (empty, or without rows of these keys) in one
   * transaction: all or none.
   */
  public Store loadInto(Store store) {
    List<Record> all = new ArrayList<>();
    rows.values().forEach(all::addAll);
    store.bulkCreate(all);
    return store;
  }

  /** The dataset as Java: one {@code bulkCreate} of record literals, to paste into a test. */
  public String toJava() {
    StringBuilder sb = new StringBuilder("store.bulkCreate(List.of(");
    String sep = "\n    ";
    for (List<Record> list : rows.values()) {
      for (Record r : list) {
        sb.append(sep).append(javaLiteral(r));
        sep = ",\n    ";
      }
    }
    return sb.append("));").toString();
  }

  private String javaLiteral(Record r) {
    StringBuilder sb = new StringBuilder("new ").append(r.getClass().getCanonicalName()).append('(');
    var components = r.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(javaValue(Records.get(r, components[i]), components[i].getType()));
    }
    return sb.append(')').toString();
  }

  static String javaValue(@Nullable Object v, Class<?> type) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
    if (v instanceof Long l) {
      return l + "L";
    }
    if (v instanceof Float f) {
      return f + "f";
    }
    if (v instanceof Double d) {
      return d + "d";
    }
    if (v instanceof Short s) {
      return "(short) " + s;
    }
    if (v instanceof Byte b) {
      return "(byte) " + b;
    }
    if (v instanceof BigDecimal d) {
      return "new java.math.BigDecimal(\"" + d + "\")";
    }
    if (v instanceof Instant || v instanceof LocalDate || v instanceof LocalDateTime) {
      return v.getClass().getName() + ".parse(\"" + v + "\")";
    }
    if (v instanceof UUID u) {
      return "java.util.UUID.fromString(\"" + u + "\")";
    }
    if (v instanceof Enum<?> e) {
      return e.getDeclaringClass().getCanonicalName() + "." + e.name();
    }
    return String.valueOf(v);
  }

  /** The dataset as a Django {@code dumpdata} fixture (snake_case field names, ISO dates). */
  public String toFixture() {
    StringBuilder sb = new StringBuilder("[");
    String sep = "\n  ";
    for (ModelInfo m : models) {
      for (Record r : rows.get(m.type())) {
        sb.append(sep).append("{\"model\": ").append(json(m.label().toLowerCase(Locale.ROOT)))
            .append(", \"pk\": ").append(Records.pk(r, m)).append(", \"fields\": {");
        String fsep = "";
        for (ModelInfo.FieldInfo f : m.fields()) {
          if (f.primaryKey()) {
            continue;
          }
          sb.append(fsep).append(json(Records.snake(f.name()))).append(": ")
              .append(jsonValue(Records.get(r, f.name())));
          fsep = ", ";
        }
        sb.append("}}");
        sep = ",\n  ";
      }
    }
    return sb.append("\n]").toString();
  }

  private static String jsonValue(@Nullable Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v instanceof Double d && (d.isNaN() || d.isInfinite()) ? json(v.toString())
          : v.toString();
    }
    if (v instanceof Temporal || v instanceof UUID || v instanceof Enum<?>) {
      return json(v.toString());
    }
    return json(String.valueOf(v));
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Dataset(");
    String sep = "";
    for (Map.Entry<Class<? extends Record>, List<Record>> e : rows.entrySet()) {
      sb.append(sep).append(e.getKey().getSimpleName()).append(": ").append(e.getValue().size());
      sep = ", ";
    }
    return sb.append(')').toString();
  }
}
