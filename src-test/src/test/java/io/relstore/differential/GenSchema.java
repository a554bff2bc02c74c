package io.relstore.differential;

import io.relstore.annotation.OnDelete;
import io.relstore.query.MatrixQuery.Hop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A random relstore schema as data: 2 to 6 models, each a record with a key, a name and a few
 * plain fields, and foreign keys with random rules, nullability, self-references and diamonds (two
 * paths from one model to another, with different rules). {@link #javaSource()} writes the records
 * as Java (the test compiles them at run time); {@link #builderJava()} the {@code Store.builder()}
 * call that registers them with their {@code SET} values. Nothing here reads relstore.
 *
 * <p>Generation rules that keep every schema valid and usable: a required (non-null) foreign key
 * points at a model registered earlier, so that required keys form no cycle and every model can get
 * rows; self-references and keys to later models are nullable; SET_NULL only on nullable keys;
 * SET_DEFAULT always has a default (key 1 or 2); {@code dbConstraint = false} only with DO_NOTHING
 * (SQL cannot run a referential action without a constraint); SET(supplier) only towards a model
 * whose own keys are all nullable, so that the supplier can create its sentinel row.
 *
 * @param holder the simple name of the class holding the records
 * @param models the models in registration order
 */
record GenSchema(String holder, List<GenModel> models) {

  /** Field kinds; every model has an {@code id} (KEY of itself) and a {@code name}. */
  enum Kind { STRING, INT, DECIMAL, DATE, KEY }

  /** How a SET foreign key gets its value (builder side). */
  enum SetBy { NONE, CONSTANT, SUPPLIER }

  /**
   * A field after the key.
   *
   * @param maxLength for strings
   * @param dflt the {@code @Default} text, or null
   * @param target the target model of a foreign key
   * @param relatedName the reverse name, or null for Django's default (the lower-case child model)
   * @param setBy for SET: a constant ({@link #SET_CONSTANT}) or the sentinel supplier
   */
  record GenField(String name, Kind kind, boolean nullable, int maxLength, boolean unique,
      @Nullable String dflt, @Nullable String target, @Nullable OnDelete rule,
      boolean dbConstraint, @Nullable String relatedName, SetBy setBy) {

    static GenField plain(String name, Kind kind, boolean nullable, int maxLength,
        boolean unique, @Nullable String dflt) {
      return new GenField(name, kind, nullable, maxLength, unique, dflt, null, null, true, null,
          SetBy.NONE);
    }

    boolean isKey() {
      return kind == Kind.KEY;
    }

    /** The query name of the reverse relation on the target. */
    String reverseName(String childModel) {
      return relatedName != null ? relatedName : childModel.toLowerCase(java.util.Locale.ROOT);
    }

    String javaType() {
      return switch (kind) {
        case STRING -> "String";
        case INT -> nullable ? "Integer" : "int";
        case DECIMAL -> "BigDecimal";
        case DATE -> "LocalDate";
        case KEY -> nullable ? "Long" : "long";
      };
    }

    /** The record component, with its annotations. */
    String java() {
      List<String> parts = new ArrayList<>();
      if (kind == Kind.STRING) {
        parts.add("@Char(maxLength = " + maxLength + ")");
      }
      if (unique) {
        parts.add("@Unique");
      }
      if (dflt != null) {
        parts.add("@Default(\"" + dflt + "\")");
      }
      if (isKey()) {
        parts.add("@ForeignKey(to = " + target + ".class, onDelete = " + rule
            + (relatedName != null ? ", relatedName = \"" + relatedName + "\"" : "")
            + (dbConstraint ? "" : ", dbConstraint = false") + ")");
      }
      boolean boxed = kind == Kind.STRING || kind == Kind.DECIMAL || kind == Kind.DATE;
      if (nullable && (boxed || kind == Kind.INT || kind == Kind.KEY)) {
        parts.add("@Nullable");
      }
      parts.add(javaType() + " " + name);
      return String.join(" ", parts);
    }
  }

  /**
   * A model: the record {@code name(@Id long id, fields...)}; {@code app} non-null gives it
   * {@code @Model(app = ...)} and the label {@code app.name}.
   */
  record GenModel(String name, @Nullable String app, List<GenField> fields) {
    String label() {
      return app == null ? name : app + "." + name;
    }

    GenField field(String field) {
      for (GenField f : fields) {
        if (f.name().equals(field)) {
          return f;
        }
      }
      throw new IllegalArgumentException(name + "." + field);
    }

    List<GenField> keys() {
      return fields.stream().filter(GenField::isKey).toList();
    }

    boolean hasRequiredKey() {
      return fields.stream().anyMatch(f -> f.isKey() && !f.nullable());
    }

    String java() {
      List<String> components = new ArrayList<>();
      components.add("@Id long id");
      for (GenField f : fields) {
        components.add(f.java());
      }
      return (app == null ? "" : "  @Model(app = \"" + app + "\")\n")
          + "  public record " + name + "(" + String.join(",\n      ", components) + ") {\n  }\n";
    }
  }

  /** The sentinel's name (the SET supplier's get-or-create key): fits every name field. */
  static final String SENTINEL = "snt";

  GenModel model(String name) {
    for (GenModel m : models) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  List<String> modelNames() {
    return models.stream().map(GenModel::name).toList();
  }

  /** The joins a query path may take from a model: its foreign keys, then the reverse relations. */
  List<Hop> relations(String model) {
    List<Hop> out = new ArrayList<>();
    for (GenField f : model(model).keys()) {
      out.add(new Hop(f.name(), model, Objects.requireNonNull(f.target()), f.name(), false));
    }
    for (GenModel m : models) {
      for (GenField f : m.keys()) {
        if (model.equals(f.target())) {
          out.add(new Hop(f.reverseName(m.name()), model, m.name(), f.name(), true));
        }
      }
    }
    return out;
  }

  /** The compilation unit of the records: {@code gen.<holder>}. */
  String javaSource() {
    StringBuilder sb = new StringBuilder();
    sb.append("package gen;\n\n")
        .append("import static io.relstore.annotation.OnDelete.*;\n\n")
        .append("import io.relstore.annotation.*;\n")
        .append("import java.math.BigDecimal;\n")
        .append("import java.time.LocalDate;\n")
        .append("import org.jspecify.annotations.Nullable;\n\n")
        .append("public final class ").append(holder).append(" {\n")
        .append("  private ").append(holder).append("() {\n  }\n\n");
    for (GenModel m : models) {
      sb.append(m.java()).append('\n');
    }
    return sb.append("}\n").toString();
  }

  /** The Java that builds the store of these records (paste after the records). */
  String builderJava() {
    StringBuilder sb = new StringBuilder("Store store = Store.builder()");
    for (GenModel m : models) {
      List<String> config = new ArrayList<>();
      for (GenField f : m.keys()) {
        if (f.setBy() == SetBy.CONSTANT) {
          config.add(".onDeleteSet(\"" + f.name() + "\", " + SET_CONSTANT + "L)");
        } else if (f.setBy() == SetBy.SUPPLIER) {
          config.add(".onDeleteSetFrom(\"" + f.name() + "\", st -> Repro.sentinel(st, "
              + f.target() + ".class))");
        }
      }
      sb.append("\n        .add(").append(m.name()).append(".class");
      if (!config.isEmpty()) {
        sb.append(", m -> m").append(String.join("", config));
      }
      sb.append(')');
    }
    return sb.append("\n        .build();").toString();
  }

  /** The constant of every SET(constant) key. */
  static final long SET_CONSTANT = 1L;

  // ------------------------------------------------------------------ generator

  static GenSchema random(SplittableRandom r, String holder) {
    int n = 2 + r.nextInt(5);
    List<List<GenField>> fields = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("M" + i);
      fields.add(plainFields(r));
    }
    int[] fk = {0};
    Set<String> defaultReverse = new HashSet<>();
    for (int i = 0; i < n; i++) {
      for (int k = r.nextInt(100) < 25 ? 0 : r.nextInt(100) < 70 ? 1 : 2; k > 0; k--) {
        int target = r.nextInt(n);
        fields.get(i).add(randomKey(r, names, i, target, fk, defaultReverse, null));
      }
    }
    if (n >= 3 && r.nextInt(100) < 50) {
      addDiamond(r, names, fields, fk, defaultReverse);
    }
    if (fk[0] == 0) {
      fields.get(1).add(randomKey(r, names, 1, 0, fk, defaultReverse, null));
    }
    List<GenModel> models = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      models.add(new GenModel(names.get(i), r.nextInt(100) < 20 ? "g" : null, fields.get(i)));
    }
    return new GenSchema(holder, fixSuppliers(models));
  }

  private static List<GenField> plainFields(SplittableRandom r) {
    List<GenField> out = new ArrayList<>();
    int nameLength = 3 + r.nextInt(4);
    out.add(GenField.plain("name", Kind.STRING, false, nameLength, r.nextInt(100) < 25, null));
    if (r.nextInt(100) < 40) {
      out.add(GenField.plain("qty", Kind.INT, false, 0, false, null));
    }
    if (r.nextInt(100) < 35) {
      out.add(GenField.plain("rank", Kind.INT, true, 0, false, r.nextInt(100) < 30 ? "2" : null));
    }
    if (r.nextInt(100) < 30) {
      out.add(GenField.plain("price", Kind.DECIMAL, true, 0, false, null));
    }
    if (r.nextInt(100) < 30) {
      out.add(GenField.plain("born", Kind.DATE, false, 0, false, null));
    }
    if (r.nextInt(100) < 30) {
      out.add(GenField.plain("note", Kind.STRING, true, 4, false, null));
    }
    return out;
  }

  /**
   * A foreign key of model {@code from} to {@code target}: required only towards an earlier model;
   * {@code avoid} is a rule it must not get (diamonds), or null.
   */
  private static GenField randomKey(SplittableRandom r, List<String> names, int from, int target,
      int[] counter, Set<String> defaultReverse, @Nullable OnDelete avoid) {
    boolean nullable = target >= from || r.nextBoolean();
    OnDelete rule;
    SetBy setBy = SetBy.NONE;
    do {
      int roll = r.nextInt(100);
      rule = roll < 30 ? OnDelete.CASCADE : roll < 42 ? OnDelete.PROTECT
          : roll < 57 ? OnDelete.RESTRICT : roll < 69 ? OnDelete.SET_NULL
          : roll < 77 ? OnDelete.SET_DEFAULT : roll < 89 ? OnDelete.SET : OnDelete.DO_NOTHING;
    } while (rule == avoid || rule == OnDelete.SET_NULL && !nullable);
    if (rule == OnDelete.SET) {
      setBy = r.nextBoolean() ? SetBy.CONSTANT : SetBy.SUPPLIER;
    }
    boolean dbConstraint = rule != OnDelete.DO_NOTHING || r.nextBoolean();
    int i = counter[0]++;
    String name = "fk" + i;
    String key = names.get(from) + ">" + names.get(target);
    String relatedName = "rev" + i;
    if (r.nextInt(100) < 30 && defaultReverse.add(key)) {
      relatedName = null;
    }
    String dflt = rule == OnDelete.SET_DEFAULT ? (r.nextInt(100) < 75 ? "1" : "2") : null;
    return new GenField(name, Kind.KEY, nullable, 0, false, dflt, names.get(target), rule,
        dbConstraint, relatedName, setBy);
  }

  /** Two paths from model a to model c (c → a directly and c → b → a), with different rules. */
  private static void addDiamond(SplittableRandom r, List<String> names,
      List<List<GenField>> fields, int[] counter, Set<String> defaultReverse) {
    int n = names.size();
    int a = r.nextInt(n - 2);
    int b = a + 1 + r.nextInt(n - a - 2);
    int c = b + 1 + r.nextInt(n - b - 1);
    GenField direct = randomKey(r, names, c, a, counter, defaultReverse, null);
    fields.get(c).add(direct);
    fields.get(b).add(new GenField("fk" + counter[0]++, Kind.KEY, r.nextBoolean(), 0, false,
        null, names.get(a), OnDelete.CASCADE, true, "rev" + (counter[0] - 1), SetBy.NONE));
    fields.get(c).add(randomKey(r, names, c, b, counter, defaultReverse, direct.rule()));
  }

  /** SET(supplier) towards a model with a required key becomes SET(constant). */
  private static List<GenModel> fixSuppliers(List<GenModel> models) {
    Set<String> blocked = new HashSet<>();
    for (GenModel m : models) {
      if (m.hasRequiredKey()) {
        blocked.add(m.name());
      }
    }
    List<GenModel> out = new ArrayList<>();
    for (GenModel m : models) {
      List<GenField> fields = new ArrayList<>();
      for (GenField f : m.fields()) {
        if (f.setBy() == SetBy.SUPPLIER && blocked.contains(f.target())) {
          f = new GenField(f.name(), f.kind(), f.nullable(), f.maxLength(), f.unique(), f.dflt(),
              f.target(), f.rule(), f.dbConstraint(), f.relatedName(), SetBy.CONSTANT);
        }
        fields.add(f);
      }
      out.add(new GenModel(m.name(), m.app(), List.copyOf(fields)));
    }
    return List.copyOf(out);
  }
}
