package io.relstore.internal.schema;

import io.relstore.SchemaException;
import io.relstore.annotation.AutoNow;
import io.relstore.annotation.AutoNowAdd;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Indexed;
import io.relstore.annotation.Model;
import io.relstore.annotation.OnDelete;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Turns record types (with their annotations and builder specs) into a checked {@link Schema}.
 * Every rule that can be checked without data is checked here, so a store that builds cannot later
 * fail for a schema reason; each {@link SchemaException} names the model, the field and the rule.
 * Reflection happens only here: accessors and constructors become method handles.
 */
final class SchemaReader {
  private final List<ModelSpec> specs;

  SchemaReader(List<ModelSpec> specs) {
    this.specs = specs;
  }

  Schema read() {
    if (specs.isEmpty()) {
      throw new SchemaException("A store needs at least one model; none was registered");
    }
    List<ModelMeta> models = new ArrayList<>();
    Set<Class<?>> seen = new HashSet<>();
    Map<String, Class<?>> names = new HashMap<>();
    for (ModelSpec spec : specs) {
      if (!seen.add(spec.type())) {
        throw new SchemaException("Model '" + spec.type().getSimpleName()
            + "' is registered twice (rule: each record type is one model)");
      }
      ModelMeta model = readModel(spec, models.size());
      Class<?> clash = names.putIfAbsent(model.name(), model.type());
      if (clash != null) {
        throw new SchemaException("Models " + clash.getName() + " and " + model.type().getName()
            + " share the name '" + model.name() + "' (rule: model names are unique in a store;"
            + " rename one with @Model(name = ...))");
      }
      models.add(model);
    }
    Schema schema = new Schema(models);
    link(schema);
    return schema;
  }

  private ModelMeta readModel(ModelSpec spec, int ordinal) {
    Class<?> type = spec.type();
    if (!type.isRecord()) {
      throw new SchemaException("Model '" + type.getName() + "' is not a record (rule: models are"
          + " Java records)");
    }
    Model options = type.getAnnotation(Model.class);
    String name = options != null && !options.name().isEmpty() ? options.name()
        : type.getSimpleName();
    String label = options != null && !options.app().isEmpty() ? options.app() + "." + name : name;
    RecordComponent[] components = type.getRecordComponents();
    for (String mentioned : spec.mentionedFields()) {
      if (componentIndex(components, mentioned) < 0) {
        throw new SchemaException("Model '" + name + "' has no field '" + mentioned
            + "' (named in Store.Builder); fields: " + componentNames(components));
      }
    }
    FieldMeta[] fields = new FieldMeta[components.length];
    int fkOrdinal = 0;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      fields[i] = readField(name, components[i], i, fkOrdinal, spec);
      if (fields[i].foreignKey() != null) {
        fkOrdinal++;
      }
      if (fields[i].isPrimaryKey()) {
        ids.add("'" + fields[i].name() + "'");
      }
    }
    if (ids.size() != 1) {
      throw new SchemaException("Model '" + name + "' has " + (ids.isEmpty() ? "no @Id component"
          : ids.size() + " @Id components (" + String.join(", ", ids) + ")") + " (rule: every"
          + " model has exactly one primary key, a long or Long component annotated @Id)");
    }
    List<int[]> composites = new ArrayList<>();
    for (List<String> names : spec.composites()) {
      if (names.size() < 2) {
        throw new SchemaException("Model '" + name + "': a composite index needs at least two"
            + " fields, got " + names);
      }
      int[] idx = new int[names.size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = componentIndex(components, names.get(i));
      }
      composites.add(idx);
    }
    try {
      ModelMeta meta = new ModelMeta(type, name, label, ordinal, fields,
          Reflection.constructor(type));
      meta.setComposites(composites);
      meta.setCache(cacheSpec(name, type, spec.cache()));
      return meta;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new SchemaException("Model '" + name + "': cannot access the canonical constructor of "
          + type.getName() + " (open its package to module io.relstore): " + e, e);
    }
  }

  /** @Cached merged with the builder's settings (the builder wins), checked. */
  private static CacheSpec cacheSpec(String model, Class<?> type, CacheSpec fromBuilder) {
    io.relstore.annotation.Cached ann = type.getAnnotation(io.relstore.annotation.Cached.class);
    CacheSpec spec = fromBuilder;
    if (ann != null) {
      if (ann.maximumSize() >= 0 && spec.maximumSize() < 0 && spec.maximumWeight() < 0) {
        spec = spec.withMaximumSize(ann.maximumSize());
      }
      if (!ann.expireAfterWrite().isEmpty() && spec.expireAfterWrite() == null) {
        spec = spec.withExpireAfterWrite(duration(model, "expireAfterWrite",
            ann.expireAfterWrite()));
      }
      if (!ann.expireAfterAccess().isEmpty() && spec.expireAfterAccess() == null) {
        spec = spec.withExpireAfterAccess(duration(model, "expireAfterAccess",
            ann.expireAfterAccess()));
      }
    }
    if (spec.maximumSize() >= 0 && spec.maximumWeight() >= 0) {
      throw new SchemaException("Model '" + model + "': maximumSize and maximumWeight are"
          + " exclusive (rule: a cache is bounded by rows or by weight)");
    }
    for (java.time.Duration d : new java.time.Duration[] {spec.expireAfterWrite(),
        spec.expireAfterAccess()}) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new SchemaException("Model '" + model + "': expiry " + d + " must be positive");
      }
    }
    return spec;
  }

  private static java.time.Duration duration(String model, String what, String text) {
    try {
      return java.time.Duration.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new SchemaException("Model '" + model + "': @Cached(" + what + " = \"" + text
          + "\") is not an ISO-8601 duration such as \"PT10M\"", e);
    }
  }

  private static int componentIndex(RecordComponent[] components, String field) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].getName().equals(field)) {
        return i;
      }
    }
    return -1;
  }

  private static String componentNames(RecordComponent[] components) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : components) {
      out.add(c.getName());
    }
    return String.join(", ", out);
  }

  private FieldMeta readField(String model, RecordComponent c, int index, int fkOrdinal,
      ModelSpec spec) {
    String where = "Model '" + model + "', field '" + c.getName() + "'";
    Class<?> type = c.getType();
    FieldKind kind = FieldKind.of(type);
    if (kind == null) {
      throw new SchemaException(where + ": unsupported component type "
          + c.getGenericType().getTypeName() + " (supported: " + FieldKind.SUPPORTED + ")");
    }
    boolean pk = c.isAnnotationPresent(Id.class);
    boolean nullable = !type.isPrimitive() && isNullable(c);
    ForeignKey fkAnn = c.getAnnotation(ForeignKey.class);
    checkKeyType(where, c, pk, fkAnn != null, kind, nullable);
    int maxLength = stringRules(where, c, kind);
    boolean slug = c.isAnnotationPresent(Slug.class);
    boolean autoNow = c.isAnnotationPresent(AutoNow.class);
    boolean autoNowAdd = c.isAnnotationPresent(AutoNowAdd.class);
    if ((autoNow || autoNowAdd) && !kind.isTemporal()) {
      throw new SchemaException(where + ": @" + (autoNow ? "AutoNow" : "AutoNowAdd")
          + " needs an Instant, LocalDate or LocalDateTime component, not " + type.getSimpleName());
    }
    ValueSource def = readDefault(where, c, kind, spec);
    Indexed indexed = c.getAnnotation(Indexed.class);
    Boolean builderIndex = spec.index(c.getName());
    boolean sorted = indexed != null && indexed.sorted() || Boolean.TRUE.equals(builderIndex);
    FieldMeta.Constraints constraints = new FieldMeta.Constraints(pk,
        c.isAnnotationPresent(Unique.class), maxLength, slug, autoNow, autoNowAdd,
        indexed != null || builderIndex != null, sorted);
    ForeignKeyMeta fk = fkAnn == null ? null : readForeignKey(where, c, fkAnn, nullable, def,
        spec.setValue(c.getName()), fkOrdinal);
    if (fk == null && spec.setValue(c.getName()) != null) {
      throw new SchemaException(where + ": Store.Builder gives an on_delete SET value, but the"
          + " field is not a @ForeignKey");
    }
    try {
      Function<Object, @Nullable Object> getter = Reflection.getter(c);
      ToLongFunction<Object> longGetter = pk || fk != null ? Reflection.longGetter(c) : null;
      return new FieldMeta(c.getName(), index, type, kind, nullable, constraints, def, fk, getter,
          longGetter);
    } catch (IllegalAccessException | RuntimeException e) {
      throw new SchemaException(where + ": cannot access the accessor of "
          + c.getDeclaringRecord().getName() + " (open its package to module io.relstore): " + e,
          e);
    }
  }

  private static void checkKeyType(String where, RecordComponent c, boolean pk, boolean fk,
      FieldKind kind, boolean nullable) {
    if (pk && fk) {
      throw new SchemaException(where + ": a field cannot be both @Id and @ForeignKey");
    }
    if ((pk || fk) && kind != FieldKind.LONG) {
      throw new SchemaException(where + ": @" + (pk ? "Id" : "ForeignKey") + " needs a long or"
          + " Long component, not " + c.getType().getSimpleName());
    }
    if (pk && nullable) {
      throw new SchemaException(where + ": the primary key cannot be @Nullable");
    }
  }

  private static int stringRules(String where, RecordComponent c, FieldKind kind) {
    Char ch = c.getAnnotation(Char.class);
    Slug slug = c.getAnnotation(Slug.class);
    int declared = (ch != null ? 1 : 0) + (slug != null ? 1 : 0)
        + (c.isAnnotationPresent(Text.class) ? 1 : 0);
    if (declared > 0 && kind != FieldKind.STRING) {
      throw new SchemaException(where + ": @Char, @Slug and @Text need a String component, not "
          + c.getType().getSimpleName());
    }
    if (declared > 1) {
      throw new SchemaException(where + ": use only one of @Char, @Slug and @Text");
    }
    int max = ch != null ? ch.maxLength() : slug != null ? slug.maxLength() : -1;
    if ((ch != null || slug != null) && max <= 0) {
      throw new SchemaException(where + ": maxLength must be positive, not " + max);
    }
    return max;
  }

  private static @Nullable ValueSource readDefault(String where, RecordComponent c,
      FieldKind kind, ModelSpec spec) {
    ValueSource fromBuilder = spec.defaultValue(c.getName());
    Default ann = c.getAnnotation(Default.class);
    if (fromBuilder != null && ann != null) {
      throw new SchemaException(where + ": has both @Default and a Store.Builder default;"
          + " keep one");
    }
    if (fromBuilder instanceof ValueSource.Const k && k.value() != null
        && c.getAnnotation(ForeignKey.class) == null) {
      Object fitted = kind.fit(k.value(), c.getType());
      if (fitted == null) {
        throw new SchemaException(where + ": the Store.Builder default " + show(k.value())
            + " of type " + k.value().getClass().getSimpleName() + " does not fit a "
            + c.getType().getSimpleName() + " field");
      }
      return new ValueSource.Const(fitted);
    }
    if (fromBuilder != null) {
      return fromBuilder;
    }
    if (ann == null) {
      return null;
    }
    try {
      return new ValueSource.Const(kind.parse(ann.value(), c.getType()));
    } catch (RuntimeException e) {
      throw new SchemaException(where + ": @Default(\"" + ann.value() + "\") is not a valid "
          + c.getType().getSimpleName() + " (" + e.getMessage() + ")", e);
    }
  }

  private static ForeignKeyMeta readForeignKey(String where, RecordComponent c, ForeignKey ann,
      boolean nullable, @Nullable ValueSource def, @Nullable ValueSource setValue, int ordinal) {
    OnDelete rule = ann.onDelete();
    if (rule == OnDelete.SET_NULL && !nullable) {
      throw new SchemaException(where + ": on_delete=SET_NULL needs a nullable foreign key"
          + " (declare it @Nullable Long) [Django fields.E320]");
    }
    if (rule == OnDelete.SET_DEFAULT && def == null) {
      throw new SchemaException(where + ": on_delete=SET_DEFAULT needs a default (@Default or"
          + " Store.Builder defaultValue) [Django fields.E321]");
    }
    if (rule == OnDelete.SET && setValue == null) {
      throw new SchemaException(where + ": on_delete=SET needs its value or supplier from"
          + " Store.Builder (onDeleteSet / onDeleteSetFrom)");
    }
    if (rule != OnDelete.SET && setValue != null) {
      throw new SchemaException(where + ": Store.Builder gives an on_delete SET value, but the"
          + " field's rule is " + rule + "; declare onDelete = SET");
    }
    return new ForeignKeyMeta(ann.to(), rule, setValue, ann.relatedName(), ann.dbConstraint(),
        ordinal);
  }

  private static String show(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  /**
   * A constant a foreign key may take (a SET value or a default): null, a positive key, or a row
   * of the target model; checked once the target is known.
   */
  private static void checkKeyConstant(FieldMeta f, @Nullable ValueSource source, String what) {
    if (!(source instanceof ValueSource.Const k)) {
      return;
    }
    Object v = k.value();
    if (v == null) {
      if (!f.nullable()) {
        throw new SchemaException("Model '" + f.model().name() + "', field '" + f.name()
            + "': the " + what + " is null, but the foreign key is required (not @Nullable)");
      }
      return;
    }
    ModelMeta target = f.fk().target();
    boolean key = (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) && ((Number) v).longValue() > 0;
    if (!key && !target.isInstance(v)) {
      throw new SchemaException("Model '" + f.model().name() + "', field '" + f.name() + "': the "
          + what + " " + show(v) + " of type " + v.getClass().getSimpleName() + " is neither a"
          + " positive primary key nor a " + target.name() + " row");
    }
  }

  /** True for a component or component type annotated with any annotation named Nullable. */
  private static boolean isNullable(RecordComponent c) {
    return hasNullable(c) || hasNullable(c.getAnnotatedType());
  }

  private static boolean hasNullable(AnnotatedElement element) {
    for (Annotation a : element.getAnnotations()) {
      if (a.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  /** Resolves foreign-key targets and reverse relation names across the whole schema. */
  private static void link(Schema schema) {
    for (ModelMeta child : schema.models()) {
      for (FieldMeta f : child.foreignKeys()) {
        ForeignKeyMeta fk = f.fk();
        ModelMeta target = schema.find(fk.targetType());
        if (target == null) {
          throw new SchemaException("Model '" + child.name() + "', field '" + f.name()
              + "': @ForeignKey(to = " + fk.targetType().getSimpleName() + ".class) points at a"
              + " model that is not registered in this store (rule: register every target)");
        }
        fk.link(f, target);
        target.addIncoming(f);
        checkKeyConstant(f, fk.setValue(), "on_delete SET value");
        checkKeyConstant(f, f.defaultValue(), "default");
      }
    }
    for (ModelMeta target : schema.models()) {
      checkReverseNames(target);
    }
  }

  private static void checkReverseNames(ModelMeta target) {
    Map<String, FieldMeta> taken = new HashMap<>();
    for (FieldMeta f : target.fields()) {
      taken.put(f.name(), f);
    }
    for (FieldMeta fk : target.incoming()) {
      if (fk.fk().hidden()) {
        continue;
      }
      for (String name : new java.util.LinkedHashSet<>(
          List.of(fk.fk().accessorName(), fk.fk().queryName()))) {
        FieldMeta other = taken.putIfAbsent(name, fk);
        if (other != null && other != fk) {
          throw new SchemaException("Model '" + fk.model().name() + "', field '" + fk.name()
              + "': reverse relation name '" + name + "' on model '" + target.name()
              + "' clashes with " + (other.model() == target ? "field '" + other.name() + "'"
              : "the reverse relation of " + other.qualifiedName())
              + " (rule: give one of them a distinct relatedName) [Django fields.E302-E305]");
        }
      }
    }
  }
}
