package io.relstore.differential;

import static io.relstore.differential.SqlSchema.q;

import io.relstore.differential.SqlSchema.Table;
import io.relstore.query.MatrixQuery;
import io.relstore.query.MatrixQuery.Agg;
import io.relstore.query.MatrixQuery.All;
import io.relstore.query.MatrixQuery.Any;
import io.relstore.query.MatrixQuery.Binding;
import io.relstore.query.MatrixQuery.Call;
import io.relstore.query.MatrixQuery.Cond;
import io.relstore.query.MatrixQuery.First;
import io.relstore.query.MatrixQuery.Hop;
import io.relstore.query.MatrixQuery.Key;
import io.relstore.query.MatrixQuery.Look;
import io.relstore.query.MatrixQuery.Not;
import io.relstore.query.MatrixQuery.Nulls;
import io.relstore.query.MatrixQuery.PathSpec;
import io.relstore.query.MatrixQuery.Query;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Query} (the query tree of {@code QueryMatrixTest}) compiled to the SQL Django generates
 * for it, run on H2. The compiled SQL follows Django's ORM, not relstore:
 *
 * <ul>
 *   <li><b>Joins per {@code filter()} call.</b> Each call joins the relation paths of its lookups
 *       that are not under a negation, once per distinct path. A path through a multi-valued
 *       (reverse) relation gets aliases of its own in each call, so conditions of one call hold for
 *       the same related row and calls multiply the rows; single-valued (forward) joins from the root
 *       are shared by all calls, as Django reuses them. A join is INNER when a lookup through it sits
 *       in the call's top-level AND and rejects NULL (Django's join promotion), LEFT OUTER otherwise.
 *   <li><b>Trimmed joins.</b> A path that ends on a forward relation's key ({@code author},
 *       {@code author__id}) reads the foreign-key column, with no join.
 *   <li><b>Negation.</b> A lookup under {@code exclude()} or {@code ~Q} through a multi-valued
 *       relation is an {@code EXISTS} subquery over the root with its own LEFT joins (Django's
 *       {@code split_exclude}; a missing related row is the NULL row of the LEFT join, so
 *       {@code exclude(rel__isnull=True)} removes rows without related rows); a single-valued
 *       lookup under a negation gets Django's {@code IS NOT NULL} guard, so that NOT of a comparison
 *       with NULL is true, as NOT applied to "false".
 *   <li><b>Values.</b> An ordering key or an aggregate over a multi-valued path reuses the join of
 *       the latest filter() call that made it ({@link MatrixQuery#bind}), otherwise joins anew.
 *       Ordering states its NULL placement (relstore: last ascending, first descending; H2's default
 *       is NULLS FIRST ascending) and breaks ties by key in the first key's direction.
 *       {@code count()} and {@code exists()} drop the ordering unless sliced; {@code distinct()}
 *       selects the key and the ordering values; {@code aggregate()} of a sliced or distinct
 *       QuerySet aggregates over that subquery; aggregates over joins count once per joined row.
 *   <li><b>Strings</b> compare by code point in both engines only for ASCII: the generated strings
 *       are ASCII. LIKE patterns escape {@code % _ \}; the {@code i...} lookups compare
 *       {@code LOWER()}, which for ASCII is relstore's {@code toLowerCase(Locale.ROOT)};
 *       {@code regex} is {@code REGEXP_LIKE}, Java's {@code find()} in both.
 * </ul>
 */
final class SqlQuery {
  private final SqlSchema schema;
  private final Query query;
  private final List<Set<String>> callJoins;
  private final Map<String, String[]> joins = new LinkedHashMap<>();
  private final Set<String> inner = new HashSet<>();
  private final List<@Nullable Object> params = new ArrayList<>();
  /** Join aliases are {@code prefix + n}: T1, T2... in the query, U1_1... in a subquery. */
  private final String prefix;
  private int aliases;
  private int subqueries;

  private SqlQuery(SqlSchema schema, Query query) {
    this(schema, query, "T");
  }

  private SqlQuery(SqlSchema schema, Query query, String prefix) {
    this.schema = schema;
    this.query = query;
    this.callJoins = query.callJoins();
    this.prefix = prefix;
  }

  /** The one SQL statement a query's terminal runs, with its parameters. */
  record Statement(String sql, List<@Nullable Object> params) {
    @Override
    public String toString() {
      return sql + (params.isEmpty() ? "" : "  -- parameters " + params);
    }
  }

  /** The statement H2 runs for the query's terminal operation. */
  static Statement statement(SqlSchema schema, Query query) {
    SqlQuery s = new SqlQuery(schema, query);
    String sql = switch (query.terminal()) {
      case LIST -> s.rows(true, query.distinct(), query.offset(), query.limit());
      case FIRST -> s.rows(true, query.distinct(), query.offset(),
          query.limit() < 0 ? 1 : Math.min(1, query.limit()));
      case COUNT -> "SELECT COUNT(*) FROM (" + (query.sliced()
          ? s.rows(true, query.distinct(), query.offset(), query.limit())
          : s.rows(false, query.distinct(), 0, -1)) + ") S";
      case EXISTS -> "SELECT COUNT(*) FROM (" + s.rows(false, query.distinct(), 0, -1) + ") S";
      case AGGREGATE -> s.aggregate();
    };
    return new Statement(sql, List.copyOf(s.params));
  }

  /** What relstore's {@code Query.run} returns for this query, computed by H2. */
  static Object run(H2Side h2, Query query) {
    Statement st = statement(h2.schema, query);
    try {
      List<List<@Nullable Object>> rows = h2.query(st.sql(), st.params());
      return switch (query.terminal()) {
        case LIST -> firstColumn(rows);
        case FIRST -> new First(rows.isEmpty() ? null : (Long) rows.get(0).get(0));
        case COUNT -> rows.get(0).get(0);
        case EXISTS -> query.limit() != 0
            && (Long) Objects.requireNonNull(rows.get(0).get(0)) > query.offset();
        case AGGREGATE -> {
          Map<String, @Nullable Object> out = new LinkedHashMap<>();
          for (int i = 0; i < query.aggregates().size(); i++) {
            out.put(query.aggregates().get(i).alias(), rows.get(0).get(i));
          }
          yield out;
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException("H2 refused the SQL of " + query.java() + ": " + st, e);
    }
  }

  private static List<Long> firstColumn(List<List<@Nullable Object>> rows) {
    List<Long> out = new ArrayList<>();
    for (List<@Nullable Object> row : rows) {
      out.add((Long) Objects.requireNonNull(row.get(0)));
    }
    return out;
  }

  /** {@code SELECT DISTINCT T0.id ...}: the keys of the matching rows, for update() and delete(). */
  static List<Long> matching(H2Side h2, Query query) throws SQLException {
    SqlQuery s = new SqlQuery(h2.schema, query);
    return h2.keys(s.rows(false, true, 0, -1), s.params);
  }

  // ------------------------------------------------------------------ statement forms

  private Table root() {
    return schema.table(query.model());
  }

  /** SELECT [DISTINCT] T0.id [, ordering] FROM ... WHERE ... ORDER BY ... OFFSET / FETCH. */
  private String rows(boolean ordered, boolean distinct, long offset, long limit) {
    String where = where();
    List<String> select = new ArrayList<>();
    select.add("T0." + q(root().pk().column()) + " AS " + q("pk"));
    List<String> order = new ArrayList<>();
    List<Key> keys = ordered && query.ordering() != null ? query.ordering() : List.of();
    for (int i = 0; i < keys.size(); i++) {
      Key k = keys.get(i);
      String alias = q("o" + (i + 1));
      select.add(valuePath(k.path()) + " AS " + alias);
      boolean nullsFirst = k.nulls() == Nulls.FIRST || k.nulls() == Nulls.DEFAULT && k.desc();
      order.add(alias + (k.desc() ? " DESC" : " ASC") + (nullsFirst ? " NULLS FIRST"
          : " NULLS LAST"));
    }
    order.add(q("pk") + (!keys.isEmpty() && keys.get(0).desc() ? " DESC" : " ASC"));
    StringBuilder sb = new StringBuilder("SELECT ");
    if (distinct) {
      sb.append("DISTINCT ");
    }
    sb.append(String.join(", ", select)).append(from()).append(where);
    sb.append(" ORDER BY ").append(String.join(", ", order));
    if (offset > 0) {
      sb.append(" OFFSET ").append(offset).append(" ROWS");
    }
    if (limit >= 0) {
      sb.append(" FETCH FIRST ").append(limit).append(" ROWS ONLY");
    }
    return sb.toString();
  }

  private String aggregate() {
    List<Agg> aggs = query.aggregates();
    List<String> select = new ArrayList<>();
    if (!query.sliced() && !query.distinct()) {
      String where = where();
      for (Agg a : aggs) {
        select.add(function(a, valuePath(a.path())));
      }
      return "SELECT " + String.join(", ", select) + from() + where;
    }
    String inner = rows(query.sliced(), query.distinct(), query.offset(), query.limit());
    SqlQuery outer = new SqlQuery(schema, query, "A");
    for (Agg a : aggs) {
      select.add(function(a, outer.forwardPath(a.path(), "A0")));
    }
    return "SELECT " + String.join(", ", select) + " FROM (" + inner + ") S INNER JOIN "
        + q(root().table()) + " A0 ON A0." + q(root().pk().column()) + " = S." + q("pk")
        + outer.joinClauses();
  }

  private static String function(Agg a, String x) {
    return switch (a.function()) {
      case COUNT -> "COUNT(" + x + ")";
      case COUNT_DISTINCT -> "COUNT(DISTINCT " + x + ")";
      case SUM -> "SUM(" + x + ")";
      case MIN -> "MIN(" + x + ")";
      case MAX -> "MAX(" + x + ")";
    };
  }

  private String from() {
    return " FROM " + q(root().table()) + " T0" + joinClauses();
  }

  private String joinClauses() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String[]> e : joins.entrySet()) {
      String[] j = e.getValue();
      sb.append(inner.contains(e.getKey()) ? " INNER JOIN " : " LEFT OUTER JOIN ")
          .append(j[0]).append(" ON ").append(j[1]);
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ WHERE

  private String where() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < query.calls().size(); i++) {
      Call call = query.calls().get(i);
      if (!call.exclude()) {
        markInner(i, call);
      }
      parts.add(cond(new All(call.args()), i, call.exclude()));
      if (call.exclude()) {
        parts.set(i, "NOT " + parts.get(i));
      }
    }
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  /** Django's join promotion: INNER for joins a top-level, NULL-rejecting lookup goes through. */
  private void markInner(int call, Call c) {
    List<Look> topLevel = new ArrayList<>();
    for (Cond a : c.args()) {
      conjuncts(a, topLevel);
    }
    for (Look l : topLevel) {
      if (!rejectsNull(l)) {
        continue;
      }
      int joined = joinedHops(l.path());
      for (int j = 0; j < joined; j++) {
        inner.add(callKey(call, l.path(), j));
      }
    }
  }

  private static void conjuncts(Cond c, List<Look> out) {
    if (c instanceof Look l) {
      out.add(l);
    } else if (c instanceof All a) {
      for (Cond p : a.parts()) {
        conjuncts(p, out);
      }
    }
  }

  private static boolean rejectsNull(Look l) {
    return switch (l.lookup()) {
      case "isnull" -> !(Boolean) Objects.requireNonNull(l.value());
      case "exact", "iexact" -> l.value() != null;
      default -> true;
    };
  }

  private String cond(Cond c, int call, boolean negated) {
    if (c instanceof Look l) {
      if (!negated) {
        return lookup(l, path(l.path(), j -> callKey(call, l.path(), j), "T0"), false);
      }
      if (l.path().multiValued()) {
        return exists(l);
      }
      return lookup(l, path(l.path(), j -> "r:" + l.path().prefixes().get(j), "T0"), true);
    }
    if (c instanceof All a) {
      return join(a.parts(), " AND ", "TRUE", call, negated);
    }
    if (c instanceof Any a) {
      return join(a.parts(), " OR ", "FALSE", call, negated);
    }
    return "NOT " + cond(((Not) c).part(), call, true);
  }

  private String join(List<Cond> parts, String op, String empty, int call, boolean negated) {
    if (parts.isEmpty()) {
      return empty;
    }
    List<String> out = new ArrayList<>();
    for (Cond p : parts) {
      out.add(cond(p, call, negated));
    }
    return "(" + String.join(op, out) + ")";
  }

  /** A negated multi-valued lookup: EXISTS over the root row with the path's own LEFT joins. */
  private String exists(Look l) {
    String alias = prefix + "U" + (++subqueries);
    SqlQuery sub = new SqlQuery(schema, query, alias + "_");
    String x = sub.path(l.path(), j -> "s:" + l.path().prefixes().get(j), alias);
    String test = sub.lookup(l, x, false);
    params.addAll(sub.params);
    return "EXISTS (SELECT 1 FROM " + q(root().table()) + " " + alias + sub.joinClauses()
        + " WHERE " + alias + "." + q(root().pk().column()) + " = T0." + q(root().pk().column())
        + " AND " + test + ")";
  }

  /** The alias key of hop j of a path in a call: per call after a reverse hop, else shared. */
  private static String callKey(int call, PathSpec path, int j) {
    boolean multi = false;
    for (int i = 0; i <= j; i++) {
      multi |= path.hops().get(i).reverse();
    }
    return (multi ? "c" + call : "r") + ":" + path.prefixes().get(j);
  }

  /** How many hops of a path need a join (a last forward hop to the key is trimmed). */
  private int joinedHops(PathSpec path) {
    int n = path.hops().size();
    if (n > 0 && !path.hops().get(n - 1).reverse() && isPk(path.last(), path.field())) {
      return n - 1;
    }
    return n;
  }

  private boolean isPk(String model, String field) {
    return schema.table(model).pk().field().equals(field);
  }

  /**
   * The SQL value of a path: joins its hops (creating the aliases the namer names), then reads the
   * field, with transforms.
   */
  private String path(PathSpec path, IntFunction<String> namer, String rootAlias) {
    int joined = joinedHops(path);
    String alias = rootAlias;
    for (int j = 0; j < joined; j++) {
      alias = joinAlias(namer.apply(j), alias, path.hops().get(j));
    }
    String column;
    if (joined < path.hops().size()) {
      Hop last = path.hops().get(joined);
      column = alias + "." + q(schema.table(last.from()).column(last.fk()).column());
    } else {
      column = alias + "." + q(schema.table(path.last()).column(path.field()).column());
    }
    return transform(column, path.transforms());
  }

  private String joinAlias(String key, String parentAlias, Hop hop) {
    String[] existing = joins.get(key);
    if (existing != null) {
      return existing[2];
    }
    String alias = prefix + (++aliases);
    Table to = schema.table(hop.to());
    String on;
    if (hop.reverse()) {
      Table from = schema.table(hop.from());
      on = alias + "." + q(to.column(hop.fk()).column()) + " = " + parentAlias + "."
          + q(from.pk().column());
    } else {
      Table from = schema.table(hop.from());
      on = alias + "." + q(to.pk().column()) + " = " + parentAlias + "."
          + q(from.column(hop.fk()).column());
    }
    joins.put(key, new String[] {q(to.table()) + " " + alias, on, alias});
    return alias;
  }

  /** An ordering key's or an aggregate's value: reverse joins bound as Django reuses them. */
  private String valuePath(PathSpec path) {
    Binding b = MatrixQuery.bind(path, callJoins);
    List<String> prefixes = path.prefixes();
    return path(path, j -> {
      int lastReverse = -1;
      for (int i = 0; i <= j; i++) {
        if (path.hops().get(i).reverse()) {
          lastReverse = i;
        }
      }
      if (lastReverse < 0) {
        return "r:" + prefixes.get(j);
      }
      boolean fresh = b.fresh().contains(prefixes.get(lastReverse));
      return (fresh ? "x" : "c") + b.owner() + ":" + prefixes.get(j);
    }, "T0");
  }

  /** A forward-only value path from {@code rootAlias} (aggregates over a subquery). */
  private String forwardPath(PathSpec path, String rootAlias) {
    return path(path, j -> "a:" + path.prefixes().get(j), rootAlias);
  }

  private static String transform(String column, List<String> transforms) {
    String x = column;
    for (String t : transforms) {
      x = switch (t) {
        case "year" -> "EXTRACT(YEAR FROM " + x + ")";
        case "iso_year" -> "EXTRACT(ISO_WEEK_YEAR FROM " + x + ")";
        case "month" -> "EXTRACT(MONTH FROM " + x + ")";
        case "day" -> "EXTRACT(DAY FROM " + x + ")";
        case "week" -> "EXTRACT(ISO_WEEK FROM " + x + ")";
        case "week_day" -> "(MOD(EXTRACT(ISO_DAY_OF_WEEK FROM " + x + "), 7) + 1)";
        case "iso_week_day" -> "EXTRACT(ISO_DAY_OF_WEEK FROM " + x + ")";
        case "quarter" -> "EXTRACT(QUARTER FROM " + x + ")";
        default -> throw new IllegalArgumentException(t);
      };
    }
    return x;
  }

  // ------------------------------------------------------------------ lookups

  /**
   * One lookup on the value {@code x}. {@code guard}: under a negation, a comparison with NULL
   * must be false, not unknown (Django adds {@code x IS NOT NULL}).
   */
  private String lookup(Look l, String x, boolean guard) {
    Object v = l.value();
    String test;
    switch (l.lookup()) {
      case "isnull":
        return x + ((Boolean) Objects.requireNonNull(v) ? " IS NULL" : " IS NOT NULL");
      case "exact":
        if (v == null) {
          return x + " IS NULL";
        }
        test = x + " = " + param(v);
        break;
      case "iexact":
        if (v == null) {
          return x + " IS NULL";
        }
        test = "LOWER(" + x + ") = LOWER(" + param(v) + ")";
        break;
      case "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith": {
        String s = escapeLike((String) Objects.requireNonNull(v));
        String pattern = l.lookup().contains("starts") ? s + "%"
            : l.lookup().contains("ends") ? "%" + s : "%" + s + "%";
        test = l.lookup().startsWith("i")
            ? "LOWER(" + x + ") LIKE LOWER(" + param(pattern) + ") ESCAPE '\\'"
            : x + " LIKE " + param(pattern) + " ESCAPE '\\'";
        break;
      }
      case "gt":
        test = x + " > " + param(v);
        break;
      case "gte":
        test = x + " >= " + param(v);
        break;
      case "lt":
        test = x + " < " + param(v);
        break;
      case "lte":
        test = x + " <= " + param(v);
        break;
      case "in": {
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) Objects.requireNonNull(v)) {
          if (item != null) {
            items.add(param(item));
          }
        }
        test = items.isEmpty() ? "FALSE" : x + " IN (" + String.join(", ", items) + ")";
        break;
      }
      case "range": {
        List<?> bounds = (List<?>) Objects.requireNonNull(v);
        test = x + " BETWEEN " + param(bounds.get(0)) + " AND " + param(bounds.get(1));
        break;
      }
      case "regex":
        test = "REGEXP_LIKE(" + x + ", " + param(v) + ")";
        break;
      case "iregex":
        test = "REGEXP_LIKE(" + x + ", " + param(v) + ", 'i')";
        break;
      default:
        throw new IllegalArgumentException(l.lookup());
    }
    return guard ? "(" + test + " AND " + x + " IS NOT NULL)" : test;
  }

  private String param(@Nullable Object v) {
    params.add(v);
    return "?";
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
