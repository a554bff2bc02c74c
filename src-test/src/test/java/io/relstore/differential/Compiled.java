package io.relstore.differential;

import io.relstore.ModelConfig;
import io.relstore.Store;
import io.relstore.differential.GenSchema.GenField;
import io.relstore.differential.GenSchema.GenModel;
import io.relstore.differential.GenSchema.SetBy;
import io.relstore.differential.SchemaTranslator.BuilderKind;
import io.relstore.differential.SchemaTranslator.BuilderRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A generated schema made real: its records compiled and loaded, its SQL translation, and the
 * store built from the records and the builder settings the schema asks for.
 *
 * @param types the record classes by model name, in registration order
 * @param ddl the DDL H2 gets: the translation's, foreign keys in a random order of the seed
 */
record Compiled(GenSchema gen, Map<String, Class<? extends Record>> types, SqlSchema sql,
    List<String> ddl) {

  static Compiled of(GenSchema gen, java.util.SplittableRandom random) {
    Map<String, Class<?>> loaded = RecordCompiler.compile("gen." + gen.holder(),
        gen.javaSource());
    Map<String, Class<? extends Record>> types = new LinkedHashMap<>();
    for (GenModel m : gen.models()) {
      types.put(m.name(), loaded.get(m.name()).asSubclass(Record.class));
    }
    SqlSchema sql = SchemaTranslator.translate(new ArrayList<>(types.values()),
        builderRules(gen));
    return new Compiled(gen, types, sql, sql.ddl(random));
  }

  /** What the store's builder adds: the SET constants and suppliers. */
  static List<BuilderRule> builderRules(GenSchema gen) {
    List<BuilderRule> out = new ArrayList<>();
    for (GenModel m : gen.models()) {
      for (GenField f : m.keys()) {
        if (f.setBy() == SetBy.CONSTANT) {
          out.add(new BuilderRule(m.name(), f.name(), BuilderKind.SET_CONSTANT,
              GenSchema.SET_CONSTANT));
        } else if (f.setBy() == SetBy.SUPPLIER) {
          out.add(new BuilderRule(m.name(), f.name(), BuilderKind.SET_SUPPLIER, null));
        }
      }
    }
    return out;
  }

  Class<? extends Record> type(String model) {
    Class<? extends Record> t = types.get(model);
    if (t == null) {
      throw new IllegalArgumentException(model);
    }
    return t;
  }

  /** A fresh store of the schema, as {@link GenSchema#builderJava()} prints it. */
  Store newStore() {
    Store.Builder b = Store.builder();
    for (GenModel m : gen.models()) {
      add(b, type(m.name()), m);
    }
    return b.build();
  }

  private <T extends Record> void add(Store.Builder b, Class<T> type, GenModel m) {
    List<Consumer<ModelConfig<T>>> settings = new ArrayList<>();
    for (GenField f : m.keys()) {
      if (f.setBy() == SetBy.CONSTANT) {
        settings.add(c -> c.onDeleteSet(f.name(), GenSchema.SET_CONSTANT));
      } else if (f.setBy() == SetBy.SUPPLIER) {
        Class<? extends Record> target = type(java.util.Objects.requireNonNull(f.target()));
        settings.add(c -> c.onDeleteSetFrom(f.name(), st -> Repro.sentinel(st, target)));
      }
    }
    if (settings.isEmpty()) {
      b.add(type);
    } else {
      b.add(type, c -> {
        for (Consumer<ModelConfig<T>> s : settings) {
          s.accept(c);
        }
      });
    }
  }

  /**
   * The reproduction's preamble: the records as their own compilation unit, the DDL H2 got (as
   * comments), then the first line of the test body, which builds the store.
   */
  String setupJava() {
    StringBuilder sb = new StringBuilder();
    sb.append("// ---- gen/").append(gen.holder()).append(".java, the generated schema:\n");
    sb.append(gen.javaSource());
    sb.append("// ---- its H2 translation:\n");
    for (String statement : ddl) {
      for (String line : statement.split("\n")) {
        sb.append("// ").append(line).append('\n');
      }
    }
    sb.append("// ---- the test body, in package io.relstore.differential, with import gen.")
        .append(gen.holder()).append(".*; and import static io.relstore.differential.Repro.*;\n");
    for (String line : gen.builderJava().split("\n")) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString().strip();
  }
}
