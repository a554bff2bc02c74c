package io.relstore.internal.query;

import io.relstore.FieldError;
import io.relstore.internal.schema.FieldKind;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The one resolver of Django paths ({@code author__username__startswith}) for filters, ordering,
 * values and aggregates; the typed metamodel builds the same strings, so both forms compile alike.
 * A segment is a field, a forward foreign key (a join to the parent) or a reverse relation's query
 * name (a multi-valued join to the children); then come transforms ({@code year}) and at most one
 * lookup ({@code exact} by default). {@code pk} names the primary key; {@code <fk>_id} the key value.
 * A path ending on a relation compares the related row's key; {@code author__id} is read from the
 * foreign key itself, without a join, as Django trims it.
 */
public final class PathResolver {

  /** One join: forward (child to parent, single-valued) or reverse (parent to children). */
  public record Hop(FieldMeta fk, boolean reverse) {
    /** The model this hop arrives at. */
    public ModelMeta to() {
      return reverse ? fk.model() : fk.fk().target();
    }

    @Override
    public String toString() {
      return reverse ? fk.fk().queryName() : fk.name();
    }
  }

  /**
   * A resolved path: joins from the root, the field read on the last model, transforms, lookup.
   * {@code valueKind} is the kind a query value is coerced to.
   */
  public record Resolved(ModelMeta root, List<Hop> hops, FieldMeta field,
      List<Transform> transforms, Lookup lookup, FieldKind valueKind, Class<?> valueType,
      String text, boolean relation) {

    public ModelMeta last() {
      return hops.isEmpty() ? root : hops.get(hops.size() - 1).to();
    }

    public boolean multiValued() {
      for (Hop h : hops) {
        if (h.reverse()) {
          return true;
        }
      }
      return false;
    }
  }

  private PathResolver() {
  }

  /** Resolves a filter path, whose tail may hold transforms and a lookup. */
  public static Resolved filter(ModelMeta root, String path) {
    return resolve(root, path, true);
  }

  /** Resolves a path to a value (ordering, values, aggregates): no lookup allowed. */
  public static Resolved value(ModelMeta root, String path) {
    return resolve(root, path, false);
  }

  private static Resolved resolve(ModelMeta root, String path, boolean lookups) {
    if (path.isEmpty()) {
      throw new FieldError("Empty path on model '" + root.name() + "'");
    }
    String[] segs = path.split("__", -1);
    List<Hop> hops = new ArrayList<>();
    ModelMeta cur = root;
    int i = 0;
    FieldMeta field = null;
    boolean relation = false;
    while (i < segs.length) {
      String seg = segs[i];
      FieldMeta f = field(cur, seg);
      boolean more = i + 1 < segs.length && !isTail(segs[i + 1], lookups);
      if (f != null) {
        if (f.foreignKey() != null && !seg.endsWith("_id") && more) {
          hops.add(new Hop(f, false));
          cur = f.fk().target();
          i++;
          continue;
        }
        field = f;
        relation = f.foreignKey() != null;
        i++;
        break;
      }
      FieldMeta reverse = reverse(cur, seg);
      if (reverse == null) {
        throw unknown(root, path, cur, seg, lookups);
      }
      hops.add(new Hop(reverse, true));
      cur = reverse.model();
      i++;
      if (!more) {
        field = cur.pk();
        relation = true;
        break;
      }
    }
    if (field == null) {
      throw unknown(root, path, cur, segs[segs.length - 1], lookups);
    }
    // author__id / author__pk: read the key from the foreign key itself, without the join
    if (!hops.isEmpty() && field.isPrimaryKey() && !hops.get(hops.size() - 1).reverse()) {
      field = hops.remove(hops.size() - 1).fk();
      relation = true;
    }
    return tail(root, path, segs, i, hops, field, relation, lookups);
  }

  private static boolean isTail(String seg, boolean lookups) {
    return Transform.named(seg) != null || lookups && Lookup.named(seg) != null;
  }

  private static Resolved tail(ModelMeta root, String path, String[] segs, int from, List<Hop> hops,
      FieldMeta field, boolean relation, boolean lookups) {
    List<Transform> transforms = new ArrayList<>();
    FieldKind kind = field.kind();
    Class<?> type = field.type().isPrimitive() ? kind.boxed() : field.type();
    Lookup lookup = Lookup.EXACT;
    for (int i = from; i < segs.length; i++) {
      String seg = segs[i];
      Transform t = Transform.named(seg);
      Lookup l = lookups ? Lookup.named(seg) : null;
      if (t != null && kind.isTemporal() && !(t.needsTime() && kind == FieldKind.LOCAL_DATE)) {
        transforms.add(t);
        kind = t == Transform.DATE ? FieldKind.LOCAL_DATE : FieldKind.INT;
        type = kind.boxed();
        continue;
      }
      if (l != null && i == segs.length - 1) {
        lookup = l;
        continue;
      }
      throw new FieldError("Unsupported lookup '" + seg + "' for " + kindName(field, kind)
          + " or join on the field not permitted, in path '" + path + "' on model '"
          + root.name() + "'" + (lookups ? "; lookups for it: " + lookupsFor(kind) : ""));
    }
    return new Resolved(root, List.copyOf(hops), field, List.copyOf(transforms), lookup, kind,
        type, canonical(hops, field, relation, transforms, lookup), relation);
  }

  /**
   * The path as the resolver understood it, the same for every spelling (typed or string,
   * camelCase or snake_case, {@code exact} implied or written, {@code author__id} or
   * {@code author}): query names, field names, transforms, and the lookup unless it is exact.
   */
  private static String canonical(List<Hop> hops, FieldMeta field, boolean relation,
      List<Transform> transforms, Lookup lookup) {
    List<String> segs = new ArrayList<>();
    for (Hop h : hops) {
      segs.add(h.toString());
    }
    boolean endsOnReverse = !hops.isEmpty() && hops.get(hops.size() - 1).reverse()
        && relation && field.isPrimaryKey();
    if (!endsOnReverse) {
      segs.add(field.name());
    }
    for (Transform t : transforms) {
      segs.add(t.djangoName());
    }
    if (lookup != Lookup.EXACT) {
      segs.add(lookup.djangoName());
    }
    return String.join("__", segs);
  }

  private static String kindName(FieldMeta f, FieldKind kind) {
    if (f.foreignKey() != null && kind == FieldKind.LONG) {
      return "ForeignKey";
    }
    return switch (kind) {
      case STRING -> f.constraints().maxLength() > 0 ? "CharField" : "TextField";
      case LONG, INT, SHORT, BYTE -> "IntegerField";
      case DOUBLE, FLOAT -> "FloatField";
      case BIG_DECIMAL -> "DecimalField";
      case BOOLEAN -> "BooleanField";
      case INSTANT, LOCAL_DATE_TIME -> "DateTimeField";
      case LOCAL_DATE -> "DateField";
      case UUID_ -> "UUIDField";
      case ENUM -> "EnumField";
    };
  }

  private static String lookupsFor(FieldKind kind) {
    List<String> out = new ArrayList<>();
    for (Lookup l : Lookup.values()) {
      out.add(l.djangoName());
    }
    if (kind.isTemporal()) {
      out.addAll(Transform.names());
    }
    return String.join(", ", out);
  }

  /** The field a path segment names ({@code pk}, a field, or {@code <fk>_id}), or null. */
  public static @Nullable FieldMeta field(ModelMeta m, String seg) {
    if (seg.equals("pk")) {
      return m.pk();
    }
    FieldMeta f = m.field(seg);
    if (f != null) {
      return f;
    }
    if (seg.endsWith("_id")) {
      FieldMeta fk = m.field(seg.substring(0, seg.length() - 3));
      return fk != null && fk.foreignKey() != null ? fk : null;
    }
    return null;
  }

  static @Nullable FieldMeta reverse(ModelMeta m, String seg) {
    for (FieldMeta fk : m.incoming()) {
      if (!fk.fk().hidden() && fk.fk().queryName().equals(seg)) {
        return fk;
      }
    }
    for (FieldMeta fk : m.incoming()) {
      if (!fk.fk().hidden() && fk.fk().accessorName().equals(seg)) {
        return fk;
      }
    }
    return null;
  }

  /** Django's "Choices are" list: fields and reverse query names, sorted. */
  public static List<String> choices(ModelMeta m) {
    TreeSet<String> names = new TreeSet<>();
    for (FieldMeta f : m.fields()) {
      names.add(f.name());
    }
    for (FieldMeta fk : m.incoming()) {
      if (!fk.fk().hidden()) {
        names.add(fk.fk().queryName());
      }
    }
    return new ArrayList<>(names);
  }

  private static FieldError unknown(ModelMeta root, String path, ModelMeta at, String seg,
      boolean lookups) {
    List<String> choices = choices(at);
    String hint = closest(seg, choices);
    return new FieldError("Cannot resolve keyword '" + seg + "' into field. Choices are: "
        + String.join(", ", choices) + " (model '" + at.name() + "', path '" + path + "' on '"
        + root.name() + "')" + (hint == null ? "" : "; did you mean '" + hint + "'?")
        + (lookups ? "" : " (lookups are not allowed here)"));
  }

  /** The choice nearest to {@code seg} by edit distance, if near enough to be a typo. */
  static @Nullable String closest(String seg, List<String> choices) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : choices) {
      int d = distance(seg, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= Math.max(1, seg.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
