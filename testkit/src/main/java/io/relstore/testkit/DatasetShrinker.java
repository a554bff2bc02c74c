package io.relstore.testkit;

import io.relstore.ModelInfo;
import io.relstore.StoreException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reduces a failing dataset to a small one that still fails, keeping it valid at every step.
 *
 * <p>Rows go first, in chunks then one by one (delta debugging); removing a row also removes the
 * rows whose required foreign key pointed at it and nulls the nullable ones, so no child is left
 * under a missing parent. Then values get simpler: null where allowed, then the smallest value of
 * the field's kind, then a foreign key to the smallest key. A candidate that does not load (a
 * unique value now repeated, say) is skipped. Each accepted candidate is strictly smaller, so
 * shrinking ends; a budget of property runs bounds it too.
 */
public final class DatasetShrinker {
  private static final int BUDGET = 5_000;

  private final DatasetGenerator schema;
  private final Predicate<Dataset> fails;
  private int runs;

  DatasetShrinker(DatasetGenerator schema, Predicate<Dataset> fails) {
    this.schema = schema;
    this.fails = fails;
  }

  Dataset shrink(Dataset failing) {
    Dataset best = failing;
    boolean progress = true;
    while (progress && runs < BUDGET) {
      progress = false;
      Dataset smaller = removeRows(best);
      if (smaller != null) {
        best = smaller;
        progress = true;
        continue;
      }
      Dataset simpler = simplifyValues(best);
      if (simpler != null) {
        best = simpler;
        progress = true;
      }
    }
    return best;
  }

  /** A key of a row: model and primary key. */
  private record Key(Class<?> model, long pk) {
  }

  private List<Key> keys(Dataset d) {
    List<Key> out = new ArrayList<>();
    for (ModelInfo m : d.models()) {
      for (Record r : d.rows(m.type())) {
        out.add(new Key(m.type(), Records.pk(r, m)));
      }
    }
    return out;
  }

  private @Nullable Dataset removeRows(Dataset d) {
    List<Key> keys = keys(d);
    for (int chunk = Math.max(1, keys.size() / 2); chunk >= 1; chunk /= 2) {
      for (int from = 0; from < keys.size(); from += chunk) {
        Set<Key> gone = new HashSet<>(keys.subList(from, Math.min(keys.size(), from + chunk)));
        Dataset candidate = without(d, gone);
        if (candidate.size() < d.size() && accept(candidate)) {
          return candidate;
        }
        if (runs >= BUDGET) {
          return null;
        }
      }
    }
    return null;
  }

  /** The dataset without {@code gone}, closed over required references, nullable ones nulled. */
  private Dataset without(Dataset d, Set<Key> gone) {
    Set<Key> removed = new HashSet<>(gone);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (ModelInfo m : d.models()) {
        for (Record r : d.rows(m.type())) {
          Key self = new Key(m.type(), Records.pk(r, m));
          if (removed.contains(self)) {
            continue;
          }
          for (ModelInfo.FieldInfo f : m.fields()) {
            Object v = f.isForeignKey() ? Records.get(r, f.name()) : null;
            if (v != null && !f.nullable() && removed.contains(new Key(f.target(),
                ((Number) v).longValue()))) {
              removed.add(self);
              changed = true;
              break;
            }
          }
        }
      }
    }
    Map<Class<? extends Record>, List<Record>> rows = new LinkedHashMap<>();
    for (ModelInfo m : d.models()) {
      List<Record> kept = new ArrayList<>();
      for (Record r : d.rows(m.type())) {
        if (!removed.contains(new Key(m.type(), Records.pk(r, m)))) {
          kept.add(nullDangling(m, r, removed));
        }
      }
      rows.put(m.type(), kept);
    }
    return new Dataset(d.models(), rows);
  }

  private static Record nullDangling(ModelInfo m, Record r, Set<Key> removed) {
    Map<String, Object> values = null;
    for (ModelInfo.FieldInfo f : m.fields()) {
      Object v = f.isForeignKey() ? Records.get(r, f.name()) : null;
      if (v != null && f.nullable() && removed.contains(new Key(f.target(),
          ((Number) v).longValue()))) {
        if (values == null) {
          values = Records.values(r);
        }
        values.put(f.name(), null);
      }
    }
    return values == null ? r : Records.build(m.type(), values);
  }

  private @Nullable Dataset simplifyValues(Dataset d) {
    for (ModelInfo m : d.models()) {
      List<? extends Record> rows = d.rows(m.type());
      for (int i = 0; i < rows.size(); i++) {
        for (ModelInfo.FieldInfo f : m.fields()) {
          if (f.primaryKey() || f.automatic()) {
            continue;
          }
          Object current = Records.get(rows.get(i), f.name());
          for (Object simpler : simpler(f, current)) {
            Dataset candidate = with(d, m, i, f, simpler);
            if (accept(candidate)) {
              return candidate;
            }
            if (runs >= BUDGET) {
              return null;
            }
          }
        }
      }
    }
    return null;
  }

  /** Strictly simpler values than {@code current}, simplest first. */
  private static List<@Nullable Object> simpler(ModelInfo.FieldInfo f, @Nullable Object current) {
    List<Object> out = new ArrayList<>();
    if (current == null) {
      return out;
    }
    if (f.nullable()) {
      out.add(null);
    }
    if (f.isForeignKey()) {
      long key = ((Number) current).longValue();
      if (key > 1) {
        out.add(1L);
      }
      return out;
    }
    Object zero = zero(f, current);
    if (zero != null && !zero.equals(current)) {
      out.add(zero);
    }
    if (current instanceof String s && s.length() > 1) {
      out.add(s.substring(0, s.length() / 2));
    }
    if (current instanceof Long || current instanceof Integer || current instanceof Short
        || current instanceof Byte) {
      long v = ((Number) current).longValue();
      if (Math.abs(v) > 1) {
        out.add(narrow(v / 2, current));
      }
      if (v != 0) {
        out.add(narrow(v - Long.signum(v), current));
      }
    }
    if (current instanceof BigDecimal d && d.signum() != 0) {
      out.add(d.divide(BigDecimal.valueOf(2)).setScale(d.scale(), java.math.RoundingMode.DOWN));
      BigDecimal step = d.abs().compareTo(BigDecimal.ONE) > 0 ? BigDecimal.ONE
          : BigDecimal.ONE.movePointLeft(d.scale());
      out.add(d.signum() > 0 ? d.subtract(step) : d.add(step));
    }
    return out;
  }

  /** {@code v} in the box of {@code like}. */
  private static Object narrow(long v, Object like) {
    if (like instanceof Integer) {
      return (int) v;
    }
    if (like instanceof Short) {
      return (short) v;
    }
    if (like instanceof Byte) {
      return (byte) v;
    }
    return v;
  }

  private static @Nullable Object zero(ModelInfo.FieldInfo f, Object current) {
    if (current instanceof String) {
      return f.slug() ? "a" : "";
    }
    if (current instanceof Long) {
      return 0L;
    }
    if (current instanceof Integer) {
      return 0;
    }
    if (current instanceof Short) {
      return (short) 0;
    }
    if (current instanceof Byte) {
      return (byte) 0;
    }
    if (current instanceof Double) {
      return 0.0d;
    }
    if (current instanceof Float) {
      return 0.0f;
    }
    if (current instanceof Boolean) {
      return Boolean.FALSE;
    }
    if (current instanceof BigDecimal) {
      return BigDecimal.ZERO;
    }
    return null;
  }

  private static Dataset with(Dataset d, ModelInfo m, int index, ModelInfo.FieldInfo f,
      @Nullable Object value) {
    Map<Class<? extends Record>, List<Record>> rows = new LinkedHashMap<>(d.all());
    List<Record> list = new ArrayList<>(rows.get(m.type()));
    Map<String, Object> values = Records.values(list.get(index));
    values.put(f.name(), value);
    list.set(index, Records.build(m.type(), values));
    rows.put(m.type(), list);
    return new Dataset(d.models(), rows);
  }

  /** Whether the candidate is valid (it loads) and still fails. */
  private boolean accept(Dataset candidate) {
    runs++;
    try {
      candidate.loadInto(schema.newStore());
    } catch (StoreException | IllegalStateException e) {
      return false;
    }
    return fails.test(candidate);
  }
}
