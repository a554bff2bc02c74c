package io.relstore.testkit;

import io.relstore.Attribute;
import io.relstore.ModelInfo;
import io.relstore.Store;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Draws valid datasets for any relstore schema, read from {@link Store#models()}.
 *
 * <p>Each model gets a number of rows (per-model sizes, 0–8 by default) with keys 1..n, so every
 * foreign key can point at any row of its target, whatever the order, self-references and cycles
 * included; the dataset loads in one transaction, where foreign keys are checked at commit. A
 * nullable foreign key is null a quarter of the time; a required one's target gets at least one
 * row. Values obey their field: non-null unless nullable (null a fifth of the time), strings within
 * {@code max_length}, slugs of slug characters, unique values distinct, automatic fields left to
 * the store, defaults used now and then (the field left null). Per-field overrides replace any of
 * this. The same seed (or the same choices) gives the same dataset.
 */
public final class DatasetGenerator {
  private final Supplier<Store> freshStore;
  private final List<ModelInfo> models;
  private final Map<Class<?>, int[]> sizes = new HashMap<>();
  private final Map<String, Function<Choices, ?>> overrides = new HashMap<>();
  private int[] defaultSize = {0, 8};

  private DatasetGenerator(Supplier<Store> freshStore) {
    this.freshStore = freshStore;
    this.models = freshStore.get().models();
  }

  /** A generator for the schema of the stores {@code freshStore} makes (one per load). */
  public static DatasetGenerator forSchema(Supplier<Store> freshStore) {
    return new DatasetGenerator(Objects.requireNonNull(freshStore, "freshStore"));
  }

  /** An empty store of the schema. */
  public Store newStore() {
    return freshStore.get();
  }

  public List<ModelInfo> models() {
    return models;
  }

  /** Exactly {@code rows} rows of {@code model}. */
  public DatasetGenerator size(Class<? extends Record> model, int rows) {
    return size(model, rows, rows);
  }

  /** Between {@code min} and {@code max} rows of {@code model}. */
  public DatasetGenerator size(Class<? extends Record> model, int min, int max) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("bad size range " + min + ".." + max);
    }
    sizes.put(model, new int[] {min, max});
    return this;
  }

  /** Between {@code min} and {@code max} rows of every model without a size of its own. */
  public DatasetGenerator sizes(int min, int max) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("bad size range " + min + ".." + max);
    }
    defaultSize = new int[] {min, max};
    return this;
  }

  /** Values of one field come from {@code values} ({@code withField(Post_.title, c -> ...)}). */
  public <M extends Record, V> DatasetGenerator withField(Attribute<M, V> field,
      Function<Choices, ? extends V> values) {
    return withField(field.model(), field.name(), values);
  }

  /** Values of {@code model.field} come from {@code values}. */
  public DatasetGenerator withField(Class<? extends Record> model, String field,
      Function<Choices, ?> values) {
    ModelInfo m = info(model);
    if (m.field(field) == null) {
      throw new IllegalArgumentException(m.name() + " has no field '" + field + "'");
    }
    overrides.put(model.getName() + "#" + field, values);
    return this;
  }

  private ModelInfo info(Class<?> model) {
    for (ModelInfo m : models) {
      if (m.type() == model) {
        return m;
      }
    }
    throw new IllegalArgumentException(model.getName() + " is not a model of this schema");
  }

  /** The dataset of a seed. */
  public Dataset generate(long seed) {
    return generate(Choices.seeded(seed));
  }

  /** The dataset drawn from {@code choices}. */
  public Dataset generate(Choices choices) {
    Map<Class<?>, Integer> counts = counts(choices);
    Map<Class<? extends Record>, List<Record>> rows = new LinkedHashMap<>();
    for (ModelInfo m : models) {
      rows.put(m.type(), rowsOf(m, counts, choices));
    }
    return new Dataset(models, rows);
  }

  /** Sizes per model; a required foreign key's target gets at least one row. */
  private Map<Class<?>, Integer> counts(Choices c) {
    Map<Class<?>, Integer> counts = new HashMap<>();
    for (ModelInfo m : models) {
      int[] range = sizes.getOrDefault(m.type(), defaultSize);
      counts.put(m.type(), range[0] + c.nextInt(range[1] - range[0] + 1));
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (ModelInfo m : models) {
        if (counts.get(m.type()) == 0) {
          continue;
        }
        for (ModelInfo.FieldInfo f : m.fields()) {
          if (f.isForeignKey() && (!f.nullable() || f.hasDefault())
              && counts.get(f.target()) == 0) {
            counts.put(f.target(), 1);
            changed = true;
          }
          int needed = counts.get(m.type());
          if (f.isForeignKey() && f.unique() && !f.nullable() && counts.get(f.target()) < needed) {
            counts.put(f.target(), needed);
            changed = true;
          }
        }
      }
    }
    return counts;
  }

  private List<Record> rowsOf(ModelInfo m, Map<Class<?>, Integer> counts, Choices c) {
    int n = counts.get(m.type());
    Map<String, Set<Object>> used = new HashMap<>();
    List<Record> out = new ArrayList<>(n);
    for (long pk = 1; pk <= n; pk++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (ModelInfo.FieldInfo f : m.fields()) {
        values.put(f.name(), f.primaryKey() ? (Object) pk : value(m, f, counts, c, used));
      }
      out.add(Records.build(m.type(), values));
    }
    return out;
  }

  private @Nullable Object value(ModelInfo m, ModelInfo.FieldInfo f, Map<Class<?>, Integer> counts,
      Choices c, Map<String, Set<Object>> used) {
    Function<Choices, ?> override = overrides.get(m.type().getName() + "#" + f.name());
    if (override != null) {
      return override.apply(c);
    }
    if (f.automatic()) {
      return null;
    }
    if (f.isForeignKey()) {
      return foreignKey(f, counts, c, used);
    }
    if (f.nullable() && c.chance(0.2) || f.hasDefault() && !f.type().isPrimitive()
        && c.chance(0.3)) {
      return null;
    }
    Set<Object> taken = used.computeIfAbsent(f.name(), k -> new HashSet<>());
    Object v = Values.random(f, c);
    for (int attempt = 0; f.unique() && taken.contains(v) && attempt < 20; attempt++) {
      v = Values.random(f, c);
    }
    if (f.unique() && taken.contains(v)) {
      v = Values.distinct(f, taken.size(), v);
    }
    taken.add(v);
    return v;
  }

  private static @Nullable Object foreignKey(ModelInfo.FieldInfo f, Map<Class<?>, Integer> counts,
      Choices c, Map<String, Set<Object>> used) {
    int targets = counts.get(f.target());
    // a null in a key with a default would take the default, which may point anywhere: never null
    if (targets == 0 || f.nullable() && !f.hasDefault() && c.chance(0.25)) {
      return null;
    }
    long key = 1 + c.nextInt(targets);
    if (f.unique()) {
      Set<Object> taken = used.computeIfAbsent(f.name(), k -> new HashSet<>());
      for (long k = 0; taken.contains(key) && k < targets; k++) {
        key = key % targets + 1;
      }
      if (taken.contains(key)) {
        return null;
      }
      taken.add(key);
    }
    return key;
  }

  /**
   * The smallest dataset still failing, from a failing one: see {@link DatasetShrinker}.
   * {@code fails} answers whether the property fails on a dataset.
   */
  public Dataset shrink(Dataset failing, Predicate<Dataset> fails) {
    return new DatasetShrinker(this, fails).shrink(failing);
  }

  /** Value drawing per field kind. */
  static final class Values {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String SLUG = "abcdefghijklmnopqrstuvwxyz0123456789-_";

    private Values() {
    }

    static Object random(ModelInfo.FieldInfo f, Choices c) {
      Class<?> t = f.type();
      if (t == String.class) {
        int max = f.maxLength() > 0 ? f.maxLength() : 24;
        int len = (f.slug() ? 1 : 0) + c.nextInt(Math.min(max, 12) + (f.slug() ? 0 : 1));
        String alphabet = f.slug() ? SLUG : LETTERS + " 0123456789";
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
          sb.append(alphabet.charAt(c.nextInt(alphabet.length())));
        }
        return sb.toString();
      }
      if (t == long.class || t == Long.class) {
        return c.nextLong(-1000, 1000);
      }
      if (t == int.class || t == Integer.class) {
        return (int) c.nextLong(-1000, 1000);
      }
      if (t == short.class || t == Short.class) {
        return (short) c.nextLong(-100, 100);
      }
      if (t == byte.class || t == Byte.class) {
        return (byte) c.nextLong(-100, 100);
      }
      if (t == double.class || t == Double.class) {
        return Math.round(c.nextDouble() * 100_000) / 100.0;
      }
      if (t == float.class || t == Float.class) {
        return (float) (Math.round(c.nextDouble() * 10_000) / 100.0);
      }
      if (t == boolean.class || t == Boolean.class) {
        return c.nextBoolean();
      }
      if (t == BigDecimal.class) {
        return BigDecimal.valueOf(c.nextLong(-100_000, 100_000), 2);
      }
      if (t == Instant.class) {
        return Instant.ofEpochSecond(c.nextLong(1_577_836_800L, 1_893_456_000L));
      }
      if (t == LocalDate.class) {
        return LocalDate.ofEpochDay(c.nextLong(18_262, 21_915));
      }
      if (t == LocalDateTime.class) {
        return LocalDateTime.ofEpochSecond(c.nextLong(1_577_836_800L, 1_893_456_000L), 0,
            java.time.ZoneOffset.UTC);
      }
      if (t == UUID.class) {
        return new UUID(c.nextLong(Long.MIN_VALUE, Long.MAX_VALUE),
            c.nextLong(Long.MIN_VALUE, Long.MAX_VALUE));
      }
      if (t.isEnum()) {
        Object[] constants = t.getEnumConstants();
        return constants[c.nextInt(constants.length)];
      }
      throw new IllegalArgumentException("no generator for " + t.getName() + " (field "
          + f.name() + "); give one with withField");
    }

    /** A value unlike the {@code n} taken ones, derived from {@code v}. */
    static Object distinct(ModelInfo.FieldInfo f, int n, Object v) {
      if (v instanceof String s) {
        String suffix = (f.slug() ? "-" : "#") + n;
        int max = f.maxLength() > 0 ? f.maxLength() : Integer.MAX_VALUE;
        return (s.length() + suffix.length() <= max ? s : s.substring(0,
            Math.max(0, max - suffix.length()))) + suffix;
      }
      if (v instanceof Long) {
        return 1_000_000L + n;
      }
      if (v instanceof Integer) {
        return 1_000_000 + n;
      }
      if (v instanceof BigDecimal) {
        return BigDecimal.valueOf(1_000_000 + n);
      }
      if (v instanceof Instant i) {
        return i.plusSeconds(1_000_000L + n);
      }
      if (v instanceof LocalDate d) {
        return d.plusDays(100_000L + n);
      }
      if (v instanceof LocalDateTime d) {
        return d.plusSeconds(1_000_000L + n);
      }
      if (v instanceof UUID) {
        return new UUID(0, n);
      }
      if (v instanceof Double) {
        return 1_000_000.0 + n;
      }
      throw new IllegalArgumentException("cannot make " + f.name() + " unique beyond " + n
          + " values; give a generator with withField");
    }
  }
}
