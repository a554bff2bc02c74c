package io.relstore.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What Tab offers at the cursor: model names, variables and built-ins at the start of a term;
 * {@code objects} after a model; QuerySet methods after {@code objects.} or a call; a row's fields
 * and relations after a variable holding one; and, inside a call's arguments or an ordering
 * string, field paths with lookups ({@code author__us} → {@code author__username}, then
 * {@code author__username__icontains}...). The returned candidates are whole words.
 */
final class Completions {
  private static final Pattern MANAGER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\.objects\\b");
  private static final List<String> LOOKUPS = List.of("exact", "iexact", "contains", "icontains",
      "in", "gt", "gte", "lt", "lte", "startswith", "istartswith", "endswith", "iendswith",
      "range", "isnull", "regex", "iregex", "year", "month", "day", "week_day", "hour", "minute",
      "date");

  private final Models models;
  private final Map<String, @Nullable Object> variables;

  Completions(Models models, Map<String, @Nullable Object> variables) {
    this.models = models;
    this.variables = variables;
  }

  /** The word being typed at {@code cursor} (letters, digits, underscores). */
  static String wordAt(String line, int cursor) {
    int start = cursor;
    while (start > 0 && (Character.isLetterOrDigit(line.charAt(start - 1))
        || line.charAt(start - 1) == '_')) {
      start--;
    }
    return line.substring(start, cursor);
  }

  List<String> complete(String line, int cursor) {
    String word = wordAt(line, cursor);
    int start = cursor - word.length();
    String before = line.substring(0, start);
    TreeSet<String> out = new TreeSet<>();
    if (before.endsWith(".")) {
      afterDot(before.substring(0, before.length() - 1), out);
    } else if (insideArguments(before)) {
      Class<?> model = modelOfChain(before);
      if (model != null) {
        paths(model, word, out);
      }
    } else {
      out.addAll(models.byName().keySet());
      out.addAll(variables.keySet());
      out.addAll(Interpreter.BUILTINS);
    }
    List<String> matching = new ArrayList<>();
    for (String c : out) {
      if (c.startsWith(word)) {
        matching.add(c);
      }
    }
    return matching;
  }

  private void afterDot(String target, TreeSet<String> out) {
    String last = wordAt(target, target.length());
    if (models.byName().containsKey(last) && target.equals(last)
        || target.endsWith(" " + last) && models.byName().containsKey(last)) {
      out.add("objects");
    } else if (last.equals("objects") || target.endsWith(")") || target.endsWith("]")) {
      out.addAll(Interpreter.QUERYSET_METHODS);
    } else if (variables.get(last) instanceof Record row) {
      models.fields(row.getClass()).forEach(f -> out.add(f.name()));
      models.reverse(row.getClass()).forEach(r -> out.add(r.name()));
      out.add("pk");
      out.add("delete");
    } else if (models.byName().containsKey(last)) {
      out.add("objects");
    }
  }

  /** Inside an unclosed call, at the start of an argument or inside a string argument. */
  private static boolean insideArguments(String before) {
    int depth = 0;
    boolean quoted = false;
    char quote = 0;
    for (char c : before.toCharArray()) {
      if (quoted) {
        if (c == quote) {
          quoted = false;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
    }
    String trimmed = before.stripTrailing();
    return depth > 0 && (quoted || trimmed.endsWith("(") || trimmed.endsWith(",")
        || trimmed.endsWith("-") && quoted);
  }

  /** The model of the last {@code Model.objects} chain (or row variable's relation) before the cursor. */
  private @Nullable Class<?> modelOfChain(String before) {
    Matcher m = MANAGER.matcher(before);
    String name = null;
    while (m.find()) {
      name = m.group(1);
    }
    if (name != null) {
      return models.find(name);
    }
    return null;
  }

  /** Paths for {@code word}: walk its complete segments, then offer the next ones. */
  private void paths(Class<?> model, String word, TreeSet<String> out) {
    String[] segs = word.split("__", -1);
    Class<?> cur = model;
    StringBuilder prefix = new StringBuilder();
    boolean onField = false;
    for (int i = 0; i < segs.length - 1; i++) {
      String s = segs[i];
      Models.Field f = models.field(cur, s);
      Models.Reverse r = f == null ? models.reverse(cur, s) : null;
      if (f != null && f.isForeignKey()) {
        cur = f.target();
        onField = false;
      } else if (r != null) {
        cur = r.model();
        onField = false;
      } else if (f != null) {
        onField = true;
      } else {
        return;
      }
      prefix.append(s).append("__");
    }
    if (onField) {
      LOOKUPS.forEach(l -> out.add(prefix + l));
      return;
    }
    for (Models.Field f : models.fields(cur)) {
      out.add(prefix + f.name());
    }
    for (Models.Reverse r : models.reverse(cur)) {
      out.add(prefix + r.name());
    }
  }
}
