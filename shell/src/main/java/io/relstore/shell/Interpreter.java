package io.relstore.shell;

import io.relstore.Aggregate;
import io.relstore.DeletePlan;
import io.relstore.F;
import io.relstore.OrderBy;
import io.relstore.Q;
import io.relstore.QuerySet;
import io.relstore.RelatedSet;
import io.relstore.Store;
import io.relstore.shell.lang.Ast;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates the shell's syntax tree against a store with Django's manager and QuerySet API:
 * {@code Model.objects.filter(...)}, row attributes (fields, forward relations, reverse
 * relations), {@code Q}, {@code F}, aggregates, {@code plan_delete}, and variables. Every name the
 * user can type maps onto relstore's public API; nothing here reaches into the store's internals.
 */
final class Interpreter {

  /** A model name, such as {@code Post}; {@code Post.objects} is its manager. */
  record ModelRef(Class<? extends Record> type) {
  }

  /** A method looked up on a value, waiting for its call. */
  record Bound(Object target, String name) {
  }

  /** A built-in function such as {@code Q} or {@code plan_delete}. */
  record Builtin(String name) {
  }

  /** A text shown as is (explain(), help()). */
  record Text(String text) {
  }

  /** A Python tuple, printed as one. */
  record Tuple(List<@Nullable Object> items) {
  }

  static final List<String> BUILTINS = List.of("Q", "F", "Count", "Sum", "Avg", "Min", "Max",
      "plan_delete", "dump", "help");
  static final List<String> QUERYSET_METHODS = List.of("all", "filter", "exclude", "order_by",
      "reverse", "distinct", "values", "values_list", "annotate", "none", "count", "exists",
      "first", "last", "get", "aggregate", "update", "delete", "explain", "in_bulk", "create",
      "get_or_create");

  private final Store store;
  private final Models models;
  private final Map<String, @Nullable Object> vars = new TreeMap<>();

  Interpreter(Store store, Models models) {
    this.store = store;
    this.models = models;
  }

  Map<String, @Nullable Object> variables() {
    return vars;
  }

  /** Runs one statement; returns the value to print (null for an assignment: nothing printed). */
  @Nullable Object run(Ast statement) {
    if (statement instanceof Ast.Assign a) {
      vars.put(a.name(), materialise(eval(a.value())));
      return Silent.INSTANCE;
    }
    return eval(statement);
  }

  /** The result of an assignment: prints nothing. */
  enum Silent { INSTANCE }

  /** A QuerySet stored in a variable stays lazy; anything else is kept as it is. */
  private static @Nullable Object materialise(@Nullable Object v) {
    return v;
  }

  @Nullable Object eval(Ast e) {
    if (e instanceof Ast.Literal l) {
      return l.value();
    }
    if (e instanceof Ast.Name n) {
      return name(n);
    }
    if (e instanceof Ast.Attr a) {
      return attribute(eval(a.target()), a.name(), a.column());
    }
    if (e instanceof Ast.Call c) {
      return call(c);
    }
    if (e instanceof Ast.Slice s) {
      return slice(eval(s.target()), s);
    }
    if (e instanceof Ast.Index i) {
      return index(eval(i.target()), eval(i.index()), i.column());
    }
    if (e instanceof Ast.Unary u) {
      return unary(u);
    }
    if (e instanceof Ast.Binary b) {
      return binary(b);
    }
    List<Object> items = new ArrayList<>();
    for (Ast item : ((Ast.ListLit) e).items()) {
      items.add(eval(item));
    }
    return items;
  }

  private Object name(Ast.Name n) {
    if (vars.containsKey(n.name())) {
      return vars.get(n.name());
    }
    Class<? extends Record> model = models.find(n.name());
    if (model != null && models.byName().containsKey(n.name())) {
      return new ModelRef(model);
    }
    if (BUILTINS.contains(n.name())) {
      return new Builtin(n.name());
    }
    throw new ShellError("NameError", "name '" + n.name() + "' is not defined (models: "
        + String.join(", ", models.byName().keySet()) + "; variables: " + vars.keySet() + ")",
        n.column());
  }

  // ------------------------------------------------------------------ attributes

  private @Nullable Object attribute(@Nullable Object target, String name, int col) {
    if (target instanceof ModelRef m) {
      if (name.equals("objects")) {
        return store.objects(m.type());
      }
      throw new ShellError("AttributeError", "type object '" + Models.name(m.type())
          + "' has no attribute '" + name + "' (use " + Models.name(m.type()) + ".objects)", col);
    }
    if (target instanceof QuerySet<?> || target instanceof RelatedSet<?> || target instanceof F) {
      return new Bound(target, name);
    }
    if (target instanceof Record row) {
      return rowAttribute(row, name, col);
    }
    throw new ShellError("AttributeError", describe(target) + " has no attribute '" + name + "'",
        col);
  }

  private Object rowAttribute(Record row, String name, int col) {
    Class<?> type = row.getClass();
    if (name.equals("pk")) {
      return models.pkOf(row);
    }
    if (name.equals("delete")) {
      return new Bound(row, name);
    }
    Models.Field f = models.field(type, name);
    if (f != null) {
      Object v = models.get(row, f);
      return f.isForeignKey() ? store.follow(row, f.component().getName()) : v;
    }
    if (name.endsWith("_id")) {
      Models.Field fk = models.field(type, name.substring(0, name.length() - 3));
      if (fk != null && fk.isForeignKey()) {
        return models.get(row, fk);
      }
    }
    Models.Reverse r = models.reverse(type, name);
    if (r != null) {
      return store.related(row, name);
    }
    List<String> choices = new ArrayList<>();
    models.fields(type).forEach(x -> choices.add(x.name()));
    models.reverse(type).forEach(x -> choices.add(x.name()));
    throw new ShellError("AttributeError", "'" + Models.name(type) + "' object has no attribute '"
        + name + "'. Choices are: " + String.join(", ", choices), col);
  }

  // ------------------------------------------------------------------ calls

  private @Nullable Object call(Ast.Call c) {
    Object fn = eval(c.fn());
    List<Object> args = new ArrayList<>();
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Ast.Arg a : c.args()) {
      Object v = eval(a.value());
      if (a.keyword() == null) {
        args.add(v);
      } else {
        kwargs.put(a.keyword(), v);
      }
    }
    if (fn instanceof Builtin b) {
      return builtin(b.name(), args, kwargs, c.column());
    }
    if (fn instanceof Bound m) {
      if (m.target() instanceof QuerySet<?> qs) {
        return queryset(qs, m.name(), args, kwargs, c.column());
      }
      if (m.target() instanceof RelatedSet<?> rs) {
        return related(rs, m.name(), args, kwargs, c.column());
      }
      if (m.target() instanceof F f) {
        return order(f, m.name(), kwargs, c.column());
      }
      if (m.target() instanceof Record row && m.name().equals("delete")) {
        return store.delete(row);
      }
    }
    throw new ShellError("TypeError", "'" + describe(fn) + "' object is not callable",
        c.column());
  }

  private Object related(RelatedSet<?> rs, String name, List<Object> args,
      Map<String, Object> kwargs, int col) {
    if (name.equals("count")) {
      return (long) rs.count();
    }
    return queryset(rs.all(), name, args, kwargs, col);
  }

  private @Nullable Object queryset(QuerySet<?> qs, String name, List<Object> args,
      Map<String, Object> kwargs, int col) {
    return switch (name) {
      case "all" -> qs.all();
      case "none" -> qs.none();
      case "filter" -> qs.filter(conditions(args, kwargs, col));
      case "exclude" -> qs.exclude(conditions(args, kwargs, col));
      case "order_by" -> orderBy(qs, args, col);
      case "reverse" -> qs.reverse();
      case "distinct" -> args.isEmpty() ? qs.distinct() : qs.distinct(strings(args, col));
      case "values" -> qs.values(strings(args, col));
      case "values_list" -> Boolean.TRUE.equals(kwargs.get("flat"))
          ? qs.valuesListFlat(single(strings(args, col), col)) : qs.valuesList(strings(args, col));
      case "annotate" -> annotate(qs, kwargs, col);
      case "aggregate" -> aggregate(qs, args, kwargs, col);
      case "count" -> qs.count();
      case "exists" -> qs.exists();
      case "first" -> qs.first();
      case "last" -> qs.last();
      case "get" -> qs.get(conditions(args, kwargs, col));
      case "update" -> update(qs, kwargs, col);
      case "delete" -> qs.delete();
      case "explain" -> new Text(qs.explain());
      case "in_bulk" -> inBulk(qs, args, col);
      case "create" -> store.create(build(modelOf(qs), kwargs, col));
      case "get_or_create" -> getOrCreate(qs, kwargs, col);
      default -> throw new ShellError("AttributeError", "'QuerySet' object has no attribute '"
          + name + "'. Methods: " + String.join(", ", QUERYSET_METHODS), col);
    };
  }

  private Q[] conditions(List<Object> args, Map<String, Object> kwargs, int col) {
    List<Q> out = new ArrayList<>();
    for (Object a : args) {
      if (!(a instanceof Q q)) {
        throw new ShellError("TypeError", "positional arguments must be Q objects, not "
            + describe(a), col);
      }
      out.add(q);
    }
    kwargs.forEach((k, v) -> out.add(Q.of(k, value(v))));
    if (out.size() > 1) {
      return new Q[] {Q.and(out.toArray(new Q[0]))};
    }
    return out.toArray(new Q[0]);
  }

  /** A value given to a lookup: lists and tuples become lists; rows stay rows. */
  private static @Nullable Object value(@Nullable Object v) {
    return v instanceof Tuple t ? t.items() : v;
  }

  private QuerySet<?> orderBy(QuerySet<?> qs, List<Object> args, int col) {
    List<OrderBy> keys = new ArrayList<>();
    for (Object a : args) {
      if (a instanceof OrderBy o) {
        keys.add(o);
      } else if (a instanceof String s) {
        if (s.equals("?")) {
          return qs.orderBy("?");
        }
        keys.add(s.startsWith("-") ? OrderBy.desc(s.substring(1)) : OrderBy.asc(s));
      } else {
        throw new ShellError("TypeError", "order_by() takes field names or F(...).asc()/desc(),"
            + " not " + describe(a), col);
      }
    }
    return qs.orderBy(keys.toArray(new OrderBy[0]));
  }

  private OrderBy order(F f, String name, Map<String, Object> kwargs, int col) {
    if (!(f instanceof F.Field field) || !(name.equals("asc") || name.equals("desc"))) {
      throw new ShellError("AttributeError", "F has no method '" + name + "' here", col);
    }
    OrderBy o = name.equals("asc") ? OrderBy.asc(field.path()) : OrderBy.desc(field.path());
    if (Boolean.TRUE.equals(kwargs.get("nulls_first"))) {
      o = o.nullsFirst();
    }
    if (Boolean.TRUE.equals(kwargs.get("nulls_last"))) {
      o = o.nullsLast();
    }
    return o;
  }

  private QuerySet<?> annotate(QuerySet<?> qs, Map<String, Object> kwargs, int col) {
    QuerySet<?> out = qs;
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      if (!(e.getValue() instanceof Aggregate a)) {
        throw new ShellError("TypeError", "annotate(" + e.getKey() + "=...) needs an aggregate"
            + " such as Count(\"posts\"), not " + describe(e.getValue()), col);
      }
      out = out.annotate(e.getKey(), a);
    }
    return out;
  }

  private Map<String, @Nullable Object> aggregate(QuerySet<?> qs, List<Object> args,
      Map<String, Object> kwargs, int col) {
    Map<String, Aggregate> named = new LinkedHashMap<>();
    for (Object a : args) {
      if (!(a instanceof Aggregate agg)) {
        throw new ShellError("TypeError", "aggregate() takes aggregates, not " + describe(a), col);
      }
      named.put(agg.defaultAlias(), agg);
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      if (!(e.getValue() instanceof Aggregate agg)) {
        throw new ShellError("TypeError", "aggregate(" + e.getKey() + "=...) needs an aggregate",
            col);
      }
      named.put(e.getKey(), agg);
    }
    return qs.aggregate(named);
  }

  private long update(QuerySet<?> qs, Map<String, Object> kwargs, int col) {
    if (kwargs.isEmpty()) {
      throw new ShellError("TypeError", "update() needs field=value arguments", col);
    }
    List<Object> pairs = new ArrayList<>();
    kwargs.forEach((k, v) -> {
      pairs.add(k);
      pairs.add(value(v));
    });
    return qs.update((String) pairs.get(0), pairs.get(1),
        pairs.subList(2, pairs.size()).toArray());
  }

  private Map<Long, ?> inBulk(QuerySet<?> qs, List<Object> args, int col) {
    if (args.size() != 1 || !(value(args.get(0)) instanceof List<?> ids)) {
      throw new ShellError("TypeError", "in_bulk() takes one list of primary keys", col);
    }
    long[] keys = new long[ids.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ((Number) ids.get(i)).longValue();
    }
    return qs.inBulk(keys);
  }

  private Tuple getOrCreate(QuerySet<?> qs, Map<String, Object> kwargs, int col) {
    Map<String, Object> lookup = new LinkedHashMap<>(kwargs);
    Object defaults = lookup.remove("defaults");
    if (defaults != null) {
      throw new ShellError("TypeError", "get_or_create(defaults=...) is not supported in the"
          + " shell; pass every field as a keyword", col);
    }
    Q q = conditions(List.of(), lookup, col)[0];
    @SuppressWarnings({"unchecked", "rawtypes"})
    QuerySet.Obtained<?> got = ((QuerySet) qs).getOrCreate(q,
        () -> build(modelOf(qs), lookup, col));
    return new Tuple(List.of(got.object(), got.created()));
  }

  private static Class<? extends Record> modelOf(QuerySet<?> qs) {
    return qs.model();
  }

  /** A record of {@code model} from keyword arguments; absent fields are null (0 for a key). */
  Record build(Class<? extends Record> model, Map<String, Object> kwargs, int col) {
    RecordComponent[] components = model.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    Map<String, Object> left = new LinkedHashMap<>(kwargs);
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      Models.Field f = models.field(model, c.getName());
      Object v = take(left, f.name(), c.getName());
      if (v == null && f.isForeignKey()) {
        v = take(left, f.name() + "_id", c.getName() + "_id");
      }
      values[i] = convert(v, c.getType(), f, col);
    }
    if (!left.isEmpty()) {
      throw new ShellError("TypeError", Models.name(model) + "() got unexpected keyword arguments "
          + left.keySet() + "; fields: " + fieldNames(model), col);
    }
    try {
      Constructor<? extends Record> ctor = model.getDeclaredConstructor(types);
      return ctor.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new ShellError("TypeError", "cannot build " + Models.name(model) + ": "
          + (e.getCause() != null ? e.getCause() : e), col);
    }
  }

  private String fieldNames(Class<?> model) {
    List<String> names = new ArrayList<>();
    models.fields(model).forEach(f -> names.add(f.name()));
    return String.join(", ", names);
  }

  private static @Nullable Object take(Map<String, Object> kwargs, String a, String b) {
    if (kwargs.containsKey(a)) {
      return kwargs.remove(a);
    }
    return kwargs.remove(b);
  }

  /** A shell value as a component value: rows become keys, numbers and texts fit the type. */
  @Nullable Object convert(@Nullable Object v, Class<?> type, Models.Field f, int col) {
    if (v instanceof Record r && f.isForeignKey()) {
      v = models.pkOf(r);
    }
    if (v == null) {
      return type.isPrimitive() ? zero(type) : null;
    }
    try {
      if (type == long.class || type == Long.class) {
        return ((Number) v).longValue();
      }
      if (type == int.class || type == Integer.class) {
        return Math.toIntExact(((Number) v).longValue());
      }
      if (type == double.class || type == Double.class) {
        return ((Number) v).doubleValue();
      }
      if (type == BigDecimal.class) {
        return new BigDecimal(v.toString());
      }
      if (type == Instant.class && v instanceof String s) {
        return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant() : Instant.parse(s);
      }
      if (type == LocalDate.class && v instanceof String s) {
        return LocalDate.parse(s);
      }
      if (type == LocalDateTime.class && v instanceof String s) {
        return LocalDateTime.parse(s);
      }
      if (type.isInstance(v)) {
        return v;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new ShellError("ValidationError", "field '" + f.name() + "': value " + Printer.repr(v)
        + " does not fit a " + type.getSimpleName(), col);
  }

  /** The default value of a primitive type (what a new {@code type[]} holds), boxed. */
  private static Object zero(Class<?> type) {
    return Array.get(Array.newInstance(type, 1), 0);
  }

  // ------------------------------------------------------------------ builtins

  private Object builtin(String name, List<Object> args, Map<String, Object> kwargs, int col) {
    return switch (name) {
      case "Q" -> {
        if (!args.isEmpty() || kwargs.isEmpty()) {
          throw new ShellError("TypeError", "Q() takes keyword lookups, e.g. Q(title__icontains="
              + "\"x\")", col);
        }
        yield conditions(List.of(), kwargs, col)[0];
      }
      case "F" -> F.of(single(strings(args, col), col));
      case "Count", "Sum", "Avg", "Min", "Max" -> aggregateFunction(name, args, kwargs, col);
      case "plan_delete" -> planDelete(single(args, col), col);
      case "dump" -> new Text(Fixtures.dump(store, models));
      case "help" -> new Text(Repl.HELP);
      default -> throw new IllegalStateException(name);
    };
  }

  private Aggregate aggregateFunction(String name, List<Object> args, Map<String, Object> kwargs,
      int col) {
    String path = single(strings(args, col), col);
    boolean distinct = Boolean.TRUE.equals(kwargs.get("distinct"));
    Object filter = kwargs.get("filter");
    Aggregate a = switch (name) {
      case "Count" -> distinct ? Aggregate.countDistinct(path) : Aggregate.count(path);
      case "Sum" -> Aggregate.sum(path);
      case "Avg" -> Aggregate.avg(path);
      case "Min" -> Aggregate.min(path);
      default -> Aggregate.max(path);
    };
    if (filter instanceof Q q) {
      a = a instanceof Aggregate.Count c ? c.where(q) : a instanceof Aggregate.Sum s ? s.where(q)
          : a instanceof Aggregate.Avg v ? v.where(q) : a instanceof Aggregate.Min m ? m.where(q)
          : ((Aggregate.Max) a).where(q);
    }
    return a;
  }

  private DeletePlan planDelete(@Nullable Object target, int col) {
    if (target instanceof Record row) {
      return store.planDelete(row);
    }
    if (target instanceof QuerySet<?> qs) {
      return qs.planDelete();
    }
    throw new ShellError("TypeError", "plan_delete() takes a row or a QuerySet, not "
        + describe(target), col);
  }

  private static String[] strings(List<Object> args, int col) {
    String[] out = new String[args.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(args.get(i) instanceof String s)) {
        throw new ShellError("TypeError", "expected a field name string, got "
            + describe(args.get(i)), col);
      }
      out[i] = s;
    }
    return out;
  }

  private static <T> T single(List<T> items, int col) {
    if (items.size() != 1) {
      throw new ShellError("TypeError", "expected exactly one argument, got " + items.size(), col);
    }
    return items.get(0);
  }

  private static String single(String[] items, int col) {
    return single(List.of(items), col);
  }

  // ------------------------------------------------------------------ slices and operators

  private Object slice(@Nullable Object target, Ast.Slice s) {
    QuerySet<?> qs = sliceable(target, s.column());
    long low = s.low() == null ? 0 : index(eval(s.low()), s.column());
    QuerySet<?> out = qs.offset(low);
    if (s.high() != null) {
      long high = index(eval(s.high()), s.column());
      out = out.limit(Math.max(0, high - low));
    }
    return out;
  }

  private @Nullable Object index(@Nullable Object target, @Nullable Object at, int col) {
    if (target instanceof List<?> list && at instanceof Long i) {
      if (i < 0 || i >= list.size()) {
        throw new ShellError("IndexError", "list index out of range", col);
      }
      return list.get(i.intValue());
    }
    if (target instanceof Tuple t && at instanceof Long i) {
      return index(t.items(), at, col);
    }
    QuerySet<?> qs = sliceable(target, col);
    long i = index(at, col);
    List<?> rows = qs.offset(i).limit(1).results();
    if (rows.isEmpty()) {
      throw new ShellError("IndexError", "QuerySet index out of range", col);
    }
    return rows.get(0);
  }

  private QuerySet<?> sliceable(@Nullable Object target, int col) {
    if (target instanceof QuerySet<?> qs) {
      return qs;
    }
    if (target instanceof RelatedSet<?> rs) {
      return rs.all();
    }
    throw new ShellError("TypeError", "'" + describe(target) + "' object is not subscriptable", col);
  }

  private static long index(@Nullable Object v, int col) {
    if (!(v instanceof Long l)) {
      throw new ShellError("TypeError", "indices must be integers, not " + describe(v), col);
    }
    if (l < 0) {
      throw new ShellError("ValueError", "Negative indexing is not supported.", col);
    }
    return l;
  }

  private Object unary(Ast.Unary u) {
    Object v = eval(u.operand());
    if (u.op() == '~' && v instanceof Q q) {
      return q.negate();
    }
    if (u.op() == '-' && v instanceof Long l) {
      return -l;
    }
    if (u.op() == '-' && v instanceof Double d) {
      return -d;
    }
    throw new ShellError("TypeError", "bad operand type for unary " + u.op() + ": "
        + describe(v), u.column());
  }

  private Object binary(Ast.Binary b) {
    Object l = eval(b.left());
    Object r = eval(b.right());
    if (l instanceof Q x && r instanceof Q y && (b.op() == '|' || b.op() == '&')) {
      return b.op() == '|' ? x.or(y) : x.and(y);
    }
    if (l instanceof F f && (r instanceof F || r instanceof Number)) {
      return switch (b.op()) {
        case '+' -> f.plus(r);
        case '-' -> f.minus(r);
        case '*' -> f.times(r);
        case '/' -> f.div(r);
        default -> throw unsupported(b, l, r);
      };
    }
    if (l instanceof Long x && r instanceof Long y) {
      return switch (b.op()) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        case '/' -> y == 0 ? divisionByZero(b) : (double) x / y;
        default -> throw unsupported(b, l, r);
      };
    }
    if (l instanceof Number x && r instanceof Number y) {
      return switch (b.op()) {
        case '+' -> x.doubleValue() + y.doubleValue();
        case '-' -> x.doubleValue() - y.doubleValue();
        case '*' -> x.doubleValue() * y.doubleValue();
        case '/' -> x.doubleValue() / y.doubleValue();
        default -> throw unsupported(b, l, r);
      };
    }
    if (l instanceof String x && r instanceof String y && b.op() == '+') {
      return x + y;
    }
    throw unsupported(b, l, r);
  }

  private static double divisionByZero(Ast.Binary b) {
    throw new ShellError("ZeroDivisionError", "division by zero", b.column());
  }

  private static ShellError unsupported(Ast.Binary b, @Nullable Object l, @Nullable Object r) {
    return new ShellError("TypeError", "unsupported operand types for " + b.op() + ": "
        + describe(l) + " and " + describe(r), b.column());
  }

  static String describe(@Nullable Object v) {
    if (v == null) {
      return "NoneType";
    }
    if (v instanceof ModelRef m) {
      return "type " + Models.name(m.type());
    }
    if (v instanceof Bound m) {
      return "method " + m.name();
    }
    if (v instanceof Record r) {
      return Models.name(r.getClass());
    }
    if (v instanceof QuerySet<?>) {
      return "QuerySet";
    }
    return v.getClass().getSimpleName();
  }
}
