package io.relstore.query;

import io.relstore.Aggregate;
import io.relstore.OrderBy;
import io.relstore.Q;
import io.relstore.QuerySet;
import io.relstore.Store;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The queries of {@link QueryMatrixTest} as data: a schema described by hand (nothing is read from
 * relstore), paths as explicit joins, condition trees, and a query with its terminal operation. A
 * {@link Query} runs on a relstore {@link Store} ({@link Query#run}), prints as the Java that does
 * so ({@link Query#java}), and is evaluated separately by {@link NaiveDatabase}.
 */
public final class MatrixQuery {
  private MatrixQuery() {
  }

  // ------------------------------------------------------------------ schema

  enum Kind { ID, KEY, INT, STRING, DECIMAL, DATE }

  /** A field: {@code target} and {@code relatedName} are set for a foreign key (kind KEY). */
  record FieldDef(String name, Kind kind, boolean nullable, @Nullable String target,
      @Nullable String relatedName) {
  }

  record ModelDef(String name, List<FieldDef> fields) {
  }

  static final List<ModelDef> SCHEMA = List.of(
      new ModelDef("Author", List.of(
          new FieldDef("id", Kind.ID, false, null, null),
          new FieldDef("name", Kind.STRING, false, null, null),
          new FieldDef("rating", Kind.INT, true, null, null),
          new FieldDef("born", Kind.DATE, false, null, null),
          new FieldDef("mentor", Kind.KEY, true, "Author", "mentees"))),
      new ModelDef("Book", List.of(
          new FieldDef("id", Kind.ID, false, null, null),
          new FieldDef("author", Kind.KEY, false, "Author", "books"),
          new FieldDef("title", Kind.STRING, false, null, null),
          new FieldDef("price", Kind.DECIMAL, true, null, null),
          new FieldDef("pages", Kind.INT, false, null, null),
          new FieldDef("published", Kind.DATE, false, null, null))),
      new ModelDef("Review", List.of(
          new FieldDef("id", Kind.ID, false, null, null),
          new FieldDef("book", Kind.KEY, false, "Book", "reviews"),
          new FieldDef("reviewer", Kind.KEY, true, "Author", "reviews"),
          new FieldDef("stars", Kind.INT, false, null, null),
          new FieldDef("text", Kind.STRING, true, null, null))));

  static final List<String> MODELS = List.of("Author", "Book", "Review");

  static ModelDef model(String name) {
    for (ModelDef m : SCHEMA) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  static FieldDef field(String model, String name) {
    for (FieldDef f : model(model).fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(model + "." + name);
  }

  /**
   * One join: forward (child to parent through the child's foreign key {@code fk}) or reverse
   * (parent to the children whose {@code fk} points at it).
   */
  public record Hop(String name, String from, String to, String fk, boolean reverse) {
  }

  /** The joins a path may take from a model: its foreign keys, then the reverse relations. */
  static List<Hop> relations(String model) {
    List<Hop> out = new ArrayList<>();
    for (FieldDef f : model(model).fields()) {
      if (f.kind() == Kind.KEY) {
        out.add(new Hop(f.name(), model, Objects.requireNonNull(f.target()), f.name(), false));
      }
    }
    for (ModelDef m : SCHEMA) {
      for (FieldDef f : m.fields()) {
        if (f.kind() == Kind.KEY && model.equals(f.target())) {
          out.add(new Hop(Objects.requireNonNull(f.relatedName()), model, m.name(), f.name(),
              true));
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ paths

  /**
   * A path from {@code root}: joins, then a field of the last model, then date transforms. With
   * {@code shortRelation} and field {@code id} after a join, it prints as the relation alone
   * ({@code reviews}, {@code author}): Django's "compare the related row's key".
   */
  public record PathSpec(String root, List<Hop> hops, String field, List<String> transforms,
      boolean shortRelation) {

    public String last() {
      return hops.isEmpty() ? root : hops.get(hops.size() - 1).to();
    }

    FieldDef fieldDef() {
      return MatrixQuery.field(last(), field);
    }

    /** The kind of the value the path reads (a transform gives an integer). */
    Kind kind() {
      return transforms.isEmpty() ? fieldDef().kind() : Kind.INT;
    }

    public boolean multiValued() {
      for (Hop h : hops) {
        if (h.reverse()) {
          return true;
        }
      }
      return false;
    }

    /** The prefixes (join keys) of the path: {@code reviews}, {@code reviews__reviewer}, ... */
    public List<String> prefixes() {
      List<String> out = new ArrayList<>();
      StringBuilder sb = new StringBuilder();
      for (Hop h : hops) {
        if (sb.length() > 0) {
          sb.append("__");
        }
        sb.append(h.name());
        out.add(sb.toString());
      }
      return out;
    }

    /** The prefixes that end on a reverse join: the multi-valued joins of the path. */
    public Set<String> multiPrefixes() {
      Set<String> out = new HashSet<>();
      List<String> prefixes = prefixes();
      for (int i = 0; i < hops.size(); i++) {
        if (hops.get(i).reverse()) {
          out.add(prefixes.get(i));
        }
      }
      return out;
    }

    public String text() {
      List<String> segs = new ArrayList<>();
      for (Hop h : hops) {
        segs.add(h.name());
      }
      if (!(shortRelation && !hops.isEmpty() && field.equals("id"))) {
        segs.add(field);
      }
      segs.addAll(transforms);
      return String.join("__", segs);
    }
  }

  // ------------------------------------------------------------------ conditions

  /** A condition tree, Django's Q. */
  public sealed interface Cond permits Look, All, Any, Not {
    Q q();

    String java();
  }

  /** One lookup; {@code explicitExact} prints {@code __exact}. */
  public record Look(PathSpec path, String lookup, @Nullable Object value, boolean explicitExact)
      implements Cond {
    public String pathText() {
      return path.text() + (lookup.equals("exact") && !explicitExact ? "" : "__" + lookup);
    }

    @Override
    public Q q() {
      return Q.of(pathText(), value);
    }

    @Override
    public String java() {
      return "Q.of(" + str(pathText()) + ", " + javaValue(value) + ")";
    }
  }

  public record All(List<Cond> parts) implements Cond {
    @Override
    public Q q() {
      return Q.and(qs(parts));
    }

    @Override
    public String java() {
      return "Q.and(" + javaList(parts) + ")";
    }
  }

  public record Any(List<Cond> parts) implements Cond {
    @Override
    public Q q() {
      return Q.or(qs(parts));
    }

    @Override
    public String java() {
      return "Q.or(" + javaList(parts) + ")";
    }
  }

  public record Not(Cond part) implements Cond {
    @Override
    public Q q() {
      return part.q().negate();
    }

    @Override
    public String java() {
      return part.java() + ".negate()";
    }
  }

  private static Q[] qs(List<Cond> parts) {
    Q[] out = new Q[parts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = parts.get(i).q();
    }
    return out;
  }

  private static String javaList(List<Cond> parts) {
    List<String> out = new ArrayList<>();
    for (Cond c : parts) {
      out.add(c.java());
    }
    return String.join(", ", out);
  }

  /** Every lookup of a tree with whether it sits under a negation. */
  public static void lookups(Cond c, boolean negated, List<Map.Entry<Look, Boolean>> out) {
    if (c instanceof Look l) {
      out.add(Map.entry(l, negated));
    } else if (c instanceof All a) {
      for (Cond p : a.parts()) {
        lookups(p, negated, out);
      }
    } else if (c instanceof Any a) {
      for (Cond p : a.parts()) {
        lookups(p, negated, out);
      }
    } else {
      lookups(((Not) c).part(), true, out);
    }
  }

  /**
   * One {@code filter(...)} or {@code exclude(...)} call with its arguments (AND-ed); a single
   * lookup in {@code stringForm} is passed as {@code filter(path, value)}.
   */
  public record Call(boolean exclude, List<Cond> args, boolean stringForm) {
    public boolean single() {
      return stringForm && args.size() == 1 && args.get(0) instanceof Look;
    }

    /** The join keys of the call: the prefixes of its lookups that are not negated. */
    public Set<String> joins() {
      Set<String> out = new HashSet<>();
      if (exclude) {
        return out;
      }
      List<Map.Entry<Look, Boolean>> all = new ArrayList<>();
      for (Cond c : args) {
        lookups(c, false, all);
      }
      for (Map.Entry<Look, Boolean> e : all) {
        if (!e.getValue()) {
          out.addAll(e.getKey().path().prefixes());
        }
      }
      return out;
    }

    public QuerySet<?> apply(QuerySet<?> qs) {
      if (single()) {
        Look l = (Look) args.get(0);
        return exclude ? qs.exclude(l.pathText(), l.value()) : qs.filter(l.pathText(), l.value());
      }
      Q[] q = qs(args);
      return exclude ? qs.exclude(q) : qs.filter(q);
    }

    public String java() {
      String verb = exclude ? ".exclude(" : ".filter(";
      if (single()) {
        Look l = (Look) args.get(0);
        return verb + str(l.pathText()) + ", " + javaValue(l.value()) + ")";
      }
      return verb + javaList(args) + ")";
    }
  }

  // ------------------------------------------------------------------ ordering, aggregates

  public enum Nulls { DEFAULT, FIRST, LAST }

  public record Key(PathSpec path, boolean desc, Nulls nulls) {
    public OrderBy orderBy() {
      OrderBy o = desc ? OrderBy.desc(path.text()) : OrderBy.asc(path.text());
      return nulls == Nulls.FIRST ? o.nullsFirst() : nulls == Nulls.LAST ? o.nullsLast() : o;
    }

    public String java() {
      String o = (desc ? "OrderBy.desc(" : "OrderBy.asc(") + str(path.text()) + ")";
      return o + (nulls == Nulls.FIRST ? ".nullsFirst()" : nulls == Nulls.LAST ? ".nullsLast()"
          : "");
    }

    public String text() {
      return (desc ? "-" : "") + path.text();
    }
  }

  public enum Function { COUNT, COUNT_DISTINCT, SUM, MIN, MAX }

  public record Agg(Function function, PathSpec path) {
    public String alias() {
      String f = function == Function.COUNT_DISTINCT ? "count" : function.name().toLowerCase(
          java.util.Locale.ROOT);
      return path.text() + "__" + f;
    }

    public Aggregate aggregate() {
      String p = path.text();
      return switch (function) {
        case COUNT -> Aggregate.count(p);
        case COUNT_DISTINCT -> Aggregate.countDistinct(p);
        case SUM -> Aggregate.sum(p);
        case MIN -> Aggregate.min(p);
        case MAX -> Aggregate.max(p);
      };
    }

    public String java() {
      String f = switch (function) {
        case COUNT -> "count";
        case COUNT_DISTINCT -> "countDistinct";
        case SUM -> "sum";
        case MIN -> "min";
        case MAX -> "max";
      };
      return "Aggregate." + f + "(" + str(path.text()) + ")";
    }
  }

  public enum Terminal { LIST, COUNT, EXISTS, FIRST, AGGREGATE }

  /** The outcome of {@code first()}: the key of the row, or null. */
  public record First(@Nullable Long pk) {
  }

  /**
   * A query: calls in order, an optional ordering (null: none; the string form when no key places
   * nulls), distinct, a slice ({@code limit} -1: none) and the terminal operation.
   */
  public record Query(String model, List<Call> calls, @Nullable List<Key> ordering, boolean distinct,
      long offset, long limit, Terminal terminal, List<Agg> aggregates) {

    public boolean sliced() {
      return offset > 0 || limit >= 0;
    }

    public boolean multiValuedOrdering() {
      if (ordering == null) {
        return false;
      }
      for (Key k : ordering) {
        if (k.path().multiValued()) {
          return true;
        }
      }
      return false;
    }

    /** The join keys of each call, in order (empty for exclude calls). */
    public List<Set<String>> callJoins() {
      List<Set<String>> out = new ArrayList<>();
      for (Call c : calls) {
        out.add(c.joins());
      }
      return out;
    }

    QuerySet<?> build(Store store) {
      return build(store.objects(QueryMatrixTest.type(model)));
    }

    /** This query's calls, ordering, distinct and slice applied to {@code root} (its model). */
    public QuerySet<?> build(QuerySet<?> root) {
      QuerySet<?> qs = root;
      for (Call c : calls) {
        qs = c.apply(qs);
      }
      if (ordering != null) {
        boolean placed = ordering.stream().anyMatch(k -> k.nulls() != Nulls.DEFAULT);
        if (placed) {
          qs = qs.orderBy(ordering.stream().map(Key::orderBy).toArray(OrderBy[]::new));
        } else {
          qs = qs.orderBy(ordering.stream().map(Key::text).toArray(String[]::new));
        }
      }
      if (distinct) {
        qs = qs.distinct();
      }
      if (offset > 0 && limit >= 0) {
        qs = qs.slice(offset, offset + limit);
      } else if (offset > 0) {
        qs = qs.offset(offset);
      } else if (limit >= 0) {
        qs = qs.limit(limit);
      }
      return qs;
    }

    /** Runs the query on a store: the outcome as relstore returns it, rows as their keys. */
    Object run(Store store) {
      return run(store.objects(QueryMatrixTest.type(model)));
    }

    /** Runs the query from {@code root} (a QuerySet of its model), as {@link #run(Store)}. */
    public Object run(QuerySet<?> root) {
      QuerySet<?> qs = build(root);
      return switch (terminal) {
        case LIST -> keys(qs.list());
        case COUNT -> qs.count();
        case EXISTS -> qs.exists();
        case FIRST -> {
          Record r = qs.first();
          yield new First(r == null ? null : QueryMatrixTest.pk(r));
        }
        case AGGREGATE -> new LinkedHashMap<>(qs.aggregate(aggregates.stream()
            .map(Agg::aggregate).toArray(Aggregate[]::new)));
      };
    }

    public String java() {
      StringBuilder sb = new StringBuilder("store.objects(" + model + ".class)");
      for (Call c : calls) {
        sb.append(c.java());
      }
      if (ordering != null) {
        boolean placed = ordering.stream().anyMatch(k -> k.nulls() != Nulls.DEFAULT);
        List<String> keys = new ArrayList<>();
        for (Key k : ordering) {
          keys.add(placed ? k.java() : str(k.text()));
        }
        sb.append(".orderBy(").append(String.join(", ", keys)).append(')');
      }
      if (distinct) {
        sb.append(".distinct()");
      }
      if (offset > 0 && limit >= 0) {
        sb.append(".slice(").append(offset).append(", ").append(offset + limit).append(')');
      } else if (offset > 0) {
        sb.append(".offset(").append(offset).append(')');
      } else if (limit >= 0) {
        sb.append(".limit(").append(limit).append(')');
      }
      sb.append(switch (terminal) {
        case LIST -> ".list()";
        case COUNT -> ".count()";
        case EXISTS -> ".exists()";
        case FIRST -> ".first()";
        case AGGREGATE -> ".aggregate(" + String.join(", ", aggregates.stream().map(Agg::java)
            .toList()) + ")";
      });
      return sb.append(';').toString();
    }
  }

  private static List<Long> keys(List<? extends Record> rows) {
    List<Long> out = new ArrayList<>();
    for (Record r : rows) {
      out.add(QueryMatrixTest.pk(r));
    }
    return out;
  }

  // ------------------------------------------------------------------ shrinking

  /**
   * Simpler variants of a query, for shrinking: a call, the ordering, a key, distinct, the slice,
   * the terminal or an aggregate left out, or one condition simplified.
   */
  public static List<Query> simpler(Query q) {
    List<Query> out = new ArrayList<>();
    for (int i = 0; i < q.calls().size(); i++) {
      List<Call> fewer = new ArrayList<>(q.calls());
      fewer.remove(i);
      out.add(withCalls(q, fewer));
    }
    if (q.ordering() != null) {
      out.add(new Query(q.model(), q.calls(), null, q.distinct(), q.offset(), q.limit(),
          q.terminal(), q.aggregates()));
      for (int i = 0; q.ordering().size() > 1 && i < q.ordering().size(); i++) {
        List<Key> fewer = new ArrayList<>(q.ordering());
        fewer.remove(i);
        out.add(new Query(q.model(), q.calls(), fewer, q.distinct(), q.offset(), q.limit(),
            q.terminal(), q.aggregates()));
      }
    }
    if (q.distinct()) {
      out.add(new Query(q.model(), q.calls(), q.ordering(), false, q.offset(), q.limit(),
          q.terminal(), q.aggregates()));
    }
    if (q.offset() > 0) {
      out.add(new Query(q.model(), q.calls(), q.ordering(), q.distinct(), 0, q.limit(),
          q.terminal(), q.aggregates()));
    }
    if (q.limit() >= 0) {
      out.add(new Query(q.model(), q.calls(), q.ordering(), q.distinct(), q.offset(), -1,
          q.terminal(), q.aggregates()));
    }
    if (q.terminal() != Terminal.LIST && q.terminal() != Terminal.AGGREGATE) {
      out.add(new Query(q.model(), q.calls(), q.ordering(), q.distinct(), q.offset(), q.limit(),
          Terminal.LIST, List.of()));
    }
    for (int i = 0; q.aggregates().size() > 1 && i < q.aggregates().size(); i++) {
      List<Agg> fewer = new ArrayList<>(q.aggregates());
      fewer.remove(i);
      out.add(new Query(q.model(), q.calls(), q.ordering(), q.distinct(), q.offset(), q.limit(),
          q.terminal(), fewer));
    }
    for (int i = 0; i < q.calls().size(); i++) {
      Call c = q.calls().get(i);
      for (Call s : simpler(c)) {
        List<Call> copy = new ArrayList<>(q.calls());
        copy.set(i, s);
        out.add(withCalls(q, copy));
      }
    }
    return out;
  }

  /** The query with other filter() and exclude() calls. */
  public static Query withCalls(Query q, List<Call> calls) {
    return new Query(q.model(), calls, q.ordering(), q.distinct(), q.offset(), q.limit(),
        q.terminal(), q.aggregates());
  }

  private static List<Call> simpler(Call c) {
    List<Call> out = new ArrayList<>();
    for (int i = 0; c.args().size() > 1 && i < c.args().size(); i++) {
      List<Cond> fewer = new ArrayList<>(c.args());
      fewer.remove(i);
      out.add(new Call(c.exclude(), fewer, c.stringForm()));
    }
    for (int i = 0; i < c.args().size(); i++) {
      for (Cond s : simpler(c.args().get(i))) {
        List<Cond> copy = new ArrayList<>(c.args());
        copy.set(i, s);
        out.add(new Call(c.exclude(), copy, c.stringForm()));
      }
    }
    return out;
  }

  private static List<Cond> simpler(Cond c) {
    List<Cond> out = new ArrayList<>();
    if (c instanceof Not n) {
      out.add(n.part());
      for (Cond s : simpler(n.part())) {
        out.add(new Not(s));
      }
    } else if (c instanceof All a) {
      out.addAll(a.parts());
      for (int i = 0; i < a.parts().size(); i++) {
        for (Cond s : simpler(a.parts().get(i))) {
          List<Cond> copy = new ArrayList<>(a.parts());
          copy.set(i, s);
          out.add(new All(copy));
        }
      }
    } else if (c instanceof Any a) {
      out.addAll(a.parts());
      for (int i = 0; i < a.parts().size(); i++) {
        for (Cond s : simpler(a.parts().get(i))) {
          List<Cond> copy = new ArrayList<>(a.parts());
          copy.set(i, s);
          out.add(new Any(copy));
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ joins reused by values

  /**
   * Which joins a value path (an ordering key or an aggregate) reads through, Django's rule: a
   * reverse join is the one the latest {@code filter()} call made for the same relation from the
   * same alias, if any; otherwise a new LEFT join (which later keys and aggregates share).
   *
   * @param owner the call whose joins the path reuses, or -1 (the root alias only)
   * @param fresh the prefixes joined anew, under {@code owner}
   */
  public record Binding(int owner, List<String> fresh) {
    public boolean reuses() {
      return owner >= 0;
    }
  }

  public static Binding bind(PathSpec path, List<Set<String>> callJoins) {
    int owner = -1;
    boolean fresh = false;
    List<String> freshPrefixes = new ArrayList<>();
    List<String> prefixes = path.prefixes();
    for (int i = 0; i < path.hops().size(); i++) {
      if (!path.hops().get(i).reverse()) {
        continue;
      }
      String p = prefixes.get(i);
      if (fresh) {
        freshPrefixes.add(p);
        continue;
      }
      int found = -1;
      if (owner < 0) {
        for (int c = 0; c < callJoins.size(); c++) {
          if (callJoins.get(c).contains(p)) {
            found = c;
          }
        }
      } else if (callJoins.get(owner).contains(p)) {
        found = owner;
      }
      if (found >= 0) {
        owner = found;
      } else {
        fresh = true;
        freshPrefixes.add(p);
      }
    }
    return new Binding(owner, freshPrefixes);
  }

  // ------------------------------------------------------------------ Java text

  public static String str(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  public static String javaValue(@Nullable Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return str(s);
    }
    if (v instanceof Long l) {
      return l + "L";
    }
    if (v instanceof BigDecimal d) {
      return "new BigDecimal(\"" + d + "\")";
    }
    if (v instanceof LocalDate d) {
      return "LocalDate.parse(\"" + d + "\")";
    }
    if (v instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object o : list) {
        items.add(javaValue(o));
      }
      return "Arrays.asList(" + String.join(", ", items) + ")";
    }
    return String.valueOf(v);
  }

  public static List<@Nullable Object> listOf(@Nullable Object... items) {
    return Arrays.asList(items);
  }
}
