package io.relstore.shell;

import io.relstore.DeletePlan;
import io.relstore.DeleteResult;
import io.relstore.QuerySet;
import io.relstore.RelatedSet;
import io.relstore.Store;
import io.relstore.shell.demo.Blog;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Shows shell values the way a person reads them: rows as aligned tables (one column a field, a
 * foreign key as {@code id (name)}), cut to the terminal width with a "… N more rows" line; delete
 * results and plans as Django prints them; everything else in Python's notation.
 */
final class Printer {
  private final Store store;
  private final Models models;
  private final int width;
  private final int maxRows;

  Printer(Store store, Models models, int width, int maxRows) {
    this.store = store;
    this.models = models;
    this.width = Math.max(40, width);
    this.maxRows = maxRows;
  }

  /** The text to print for a value; empty for an assignment. */
  String format(@Nullable Object v) {
    if (v == Interpreter.Silent.INSTANCE) {
      return "";
    }
    if (v instanceof Interpreter.Text t) {
      return t.text();
    }
    if (v instanceof RelatedSet<?> rs) {
      return format(rs.all());
    }
    if (v instanceof QuerySet<?> qs) {
      return queryset(qs);
    }
    if (v instanceof DeleteResult || v instanceof DeletePlan) {
      return v.toString();
    }
    if (isRow(v)) {
      return rows(List.of(v), 1);
    }
    if (v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(this::isRow)) {
      return rows(list, list.size());
    }
    return repr(v);
  }

  /** A row of one of the shell's models (not any record, such as a DeleteResult). */
  private boolean isRow(@Nullable Object v) {
    return v instanceof Record && models.byName().containsValue(v.getClass());
  }

  private String queryset(QuerySet<?> qs) {
    List<?> shown = qs.limit(maxRows + 1).results();
    if (shown.isEmpty()) {
      return "<QuerySet []>";
    }
    long total = shown.size() > maxRows ? qs.count() : shown.size();
    List<?> head = shown.subList(0, Math.min(maxRows, shown.size()));
    Object first = head.get(0);
    if (first instanceof Record && !qs.annotations().isEmpty()) {
      // rows with annotations: show the fields and the annotated values side by side
      return dicts(qs.values().limit(maxRows).dicts(), total);
    }
    if (first instanceof Record) {
      return rows(head, total);
    }
    if (first instanceof Map<?, ?> || first instanceof List<?>) {
      List<Map<String, Object>> dicts = qs.limit(maxRows).dicts();
      return dicts(dicts, total);
    }
    return repr(head) + (total > head.size() ? " … " + (total - head.size()) + " more" : "");
  }

  private String rows(List<?> rows, long total) {
    Class<?> type = rows.get(0).getClass();
    List<Models.Field> fields = models.fields(type);
    List<String> header = new ArrayList<>();
    fields.forEach(f -> header.add(f.name()));
    List<List<String>> cells = new ArrayList<>();
    for (Object row : rows) {
      List<String> line = new ArrayList<>();
      for (Models.Field f : fields) {
        line.add(cell(row, f));
      }
      cells.add(line);
    }
    return table(header, cells, total);
  }

  private String cell(Object row, Models.Field f) {
    Object v = models.get(row, f);
    if (f.isForeignKey() && v != null) {
      Object parent = store.follow((Record) row, f.component().getName());
      return v + (parent == null ? "" : " (" + Blog.display(parent) + ")");
    }
    return plain(v);
  }

  private String dicts(List<Map<String, Object>> dicts, long total) {
    List<String> keys = new ArrayList<>(dicts.get(0).keySet());
    List<List<String>> cells = new ArrayList<>();
    for (Map<String, Object> d : dicts) {
      List<String> line = new ArrayList<>();
      for (String h : keys) {
        line.add(plain(d.get(h)));
      }
      cells.add(line);
    }
    List<String> header = new ArrayList<>();
    keys.forEach(k -> header.add(Models.snake(k)));
    return table(header, cells, total);
  }

  /** A table fitted to the width: wide columns are cut with an ellipsis, from the widest down. */
  private String table(List<String> header, List<List<String>> cells, long total) {
    int n = header.size();
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = header.get(i).length();
      for (List<String> line : cells) {
        w[i] = Math.max(w[i], line.get(i).length());
      }
    }
    while (sum(w) + 2 * (n - 1) > width) {
      int widest = 0;
      for (int i = 1; i < n; i++) {
        if (w[i] > w[widest]) {
          widest = i;
        }
      }
      if (w[widest] <= 6) {
        break;
      }
      w[widest]--;
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, w);
    List<String> rule = new ArrayList<>();
    for (int x : w) {
      rule.add("-".repeat(x));
    }
    line(sb, rule, w);
    for (List<String> l : cells) {
      line(sb, l, w);
    }
    if (total > cells.size()) {
      sb.append("… ").append(total - cells.size()).append(" more rows\n");
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  private static int sum(int[] w) {
    int s = 0;
    for (int x : w) {
      s += x;
    }
    return s;
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (c.length() > w[i]) {
        c = c.substring(0, Math.max(0, w[i] - 1)) + "…";
      }
      l.append(c).append(" ".repeat(w[i] - c.length()));
      if (i < cells.size() - 1) {
        l.append("  ");
      }
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  /** A value inside a table cell: no quotes. */
  static String plain(@Nullable Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Record r) {
      return Blog.display(r);
    }
    return String.valueOf(v);
  }

  /** Python's notation for a value. */
  static String repr(@Nullable Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (v instanceof Record r) {
      return "<" + Models.name(r.getClass()) + ": " + Blog.display(r) + ">";
    }
    if (v instanceof TemporalAccessor t) {
      return "'" + t + "'";
    }
    if (v instanceof Interpreter.Tuple t) {
      return t.items().stream().map(Printer::repr)
          .collect(Collectors.joining(", ", "(", t.items().size() == 1 ? ",)" : ")"));
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Printer::repr).collect(Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (v instanceof Interpreter.ModelRef m) {
      return "<class '" + Models.label(m.type()) + "'>";
    }
    return String.valueOf(v);
  }
}
