package io.relstore.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns a JMH JSON result of the suite into a Markdown report: per benchmark and size each
 * contender's score, its ratio to the baseline of the same run, whether relstore meets its target
 * (the issue's table), the targets that compare relstore with itself (index against scan, O(1)
 * count, scaling, readers), and the allocation per operation from {@code -prof gc}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.relstore.bench.report.Report \
 *     results/run.json results/run.md [--commit SHA] [--cpu "model name"] [--command "..."]
 * </pre>
 */
public final class Report {
  static final String BASELINE = "BASELINE";
  static final String RELSTORE = "RELSTORE";
  static final List<String> CONTENDERS = List.of(BASELINE, RELSTORE, "CQENGINE", "H2");

  /** One line of the issue's table: a benchmark method and relstore's limit as a ratio. */
  record Line(String benchmark, String label, @Nullable Double maxRatio, String target) {
  }

  static final List<Line> LINES = List.of(
      new Line("PkGetBenchmark.pkGet", "pk get", 1.3, "≤ 1.3× baseline"),
      new Line("FollowBenchmark.follow", "forward follow post → author", 1.3,
          "≤ 1.3× a baseline pk get (the baseline's follow)"),
      new Line("ReverseRelationBenchmark.iterate", "reverse relation, ~10 children, iterate", 1.2,
          "≤ 1.2× baseline"),
      new Line("FilterBenchmark.indexed", "indexed eq + 2 residual filters", 1.3,
          "≤ 1.3× baseline"),
      new Line("FilterBenchmark.scan", "… the same by a scan", null, "(reference)"),
      new Line("OrderByBenchmark.indexedTop10", "order by indexed field, first 10", 1.5,
          "≤ 1.5× baseline"),
      new Line("OrderByBenchmark.fullSort", "… the same by a full sort", null, "(reference)"),
      new Line("CountBenchmark.count", "count of an indexed equality", null,
          "O(1): see below"),
      new Line("CascadeDeleteBenchmark.oneLevel",
          "cascade delete, 1 parent + 100 children, per deleted row", 2.0, "≤ 2× baseline"),
      new Line("CascadeDeleteBenchmark.twoLevels",
          "cascade delete, 1 root → 100 → 1,000, per deleted row", 2.0, "≤ 2× baseline"),
      new Line("BulkInsertBenchmark.insert", "bulk insert 100k rows, per row", 1.5,
          "≤ 1.5× baseline"),
      new Line("FootprintBenchmark.load:bytesPerRow", "heap bytes per row (posts + authors)", 1.2,
          "≤ 1.2× baseline"),
      new Line("ConcurrencyBenchmark.oneReader", "1 reader thread (reads/ms)", null, "see below"),
      new Line("ConcurrencyBenchmark.twoReaders", "2 reader threads (reads/ms)", null,
          "see below"),
      new Line("ConcurrencyBenchmark.underWriter:read",
          "2 reader threads beside a cascading writer (reads/ms)", null, "see below"),
      new Line("ConcurrencyBenchmark.underWriter:write", "… the writer (delete + re-insert/ms)",
          null, "(reference)"));

  /** A score: what the report needs of one JMH result (or one secondary result of it). */
  record Score(double value, double error, String unit, boolean higherIsBetter,
      @Nullable Double allocPerOp) {
    /** The score as a time-like cost: ratios are "× baseline time" for every mode. */
    double cost() {
      return higherIsBetter ? 1 / value : value;
    }
  }

  /** benchmark key → size → contender → score. */
  private final Map<String, Map<Integer, Map<String, Score>>> scores = new LinkedHashMap<>();
  private final JsonObject first;

  Report(JsonArray results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no results in the JSON file");
    }
    first = results.get(0).getAsJsonObject();
    for (JsonElement e : results) {
      add(e.getAsJsonObject());
    }
  }

  private void add(JsonObject r) {
    String name = r.get("benchmark").getAsString();
    String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    JsonObject params = r.getAsJsonObject("params");
    // benchmarks outside the contender facade (issues 9 and 10) have no impl: relstore's own
    String impl = params.has("impl") ? params.get("impl").getAsString() : RELSTORE;
    String sizeParam = params.has("size") ? "size" : params.has("posts") ? "posts" : null;
    int size = sizeParam == null ? 0 : Integer.parseInt(params.get(sizeParam).getAsString());
    boolean thrpt = "thrpt".equals(r.get("mode").getAsString());
    JsonObject secondary = r.getAsJsonObject("secondaryMetrics");
    Double alloc = secondary.has("gc.alloc.rate.norm")
        ? secondary.getAsJsonObject("gc.alloc.rate.norm").get("score").getAsDouble() : null;
    put(key, size, impl, score(r.getAsJsonObject("primaryMetric"), thrpt, alloc));
    for (Map.Entry<String, JsonElement> s : secondary.entrySet()) {
      if (!s.getKey().startsWith("gc.")) {
        put(key + ":" + s.getKey(), size, impl,
            score(s.getValue().getAsJsonObject(), thrpt && !s.getKey().equals("bytesPerRow"),
                null));
      }
    }
  }

  private static Score score(JsonObject metric, boolean higherIsBetter, @Nullable Double alloc) {
    double error = metric.get("scoreError").isJsonPrimitive()
        && metric.get("scoreError").getAsJsonPrimitive().isNumber()
        ? metric.get("scoreError").getAsDouble() : Double.NaN;
    String unit = metric.get("scoreUnit").getAsString();
    // JMH sums an @AuxCounters(EVENTS) counter ("#") over the iterations: report its mean
    double value = "#".equals(unit) ? mean(metric.getAsJsonArray("rawData"))
        : metric.get("score").getAsDouble();
    return new Score(value, error, unit, higherIsBetter, alloc);
  }

  private static double mean(JsonArray forks) {
    double sum = 0;
    int n = 0;
    for (JsonElement fork : forks) {
      for (JsonElement v : fork.getAsJsonArray()) {
        sum += v.getAsDouble();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private void put(String key, int size, String impl, Score s) {
    scores.computeIfAbsent(key, k -> new LinkedHashMap<>())
        .computeIfAbsent(size, k -> new LinkedHashMap<>()).put(impl, s);
  }

  private @Nullable Score get(String key, int size, String impl) {
    Map<Integer, Map<String, Score>> bySize = scores.get(key);
    Map<String, Score> byImpl = bySize == null ? null : bySize.get(size);
    return byImpl == null ? null : byImpl.get(impl);
  }

  private TreeSet<Integer> sizes(String key) {
    Map<Integer, Map<String, Score>> bySize = scores.get(key);
    return bySize == null ? new TreeSet<>() : new TreeSet<>(bySize.keySet());
  }

  // ---------------------------------------------------------------- rendering

  String render(Map<String, String> info) {
    StringBuilder out = new StringBuilder();
    out.append("# relstore benchmarks\n\n");
    header(out, info);
    mainTable(out);
    selfTargets(out);
    otherTargets(out);
    allocation(out);
    return out.toString();
  }

  private void header(StringBuilder out, Map<String, String> info) {
    out.append("| | |\n|---|---|\n");
    row(out, "JDK", str("jdkVersion") + " (" + str("vmName") + " " + str("vmVersion") + ")");
    row(out, "JMH", str("jmhVersion") + ", forks " + str("forks") + ", warm-up "
        + str("warmupIterations") + " × " + str("warmupTime") + ", measurement "
        + str("measurementIterations") + " × " + str("measurementTime")
        + " (single-shot benchmarks: iterations only)");
    row(out, "JVM options", first.has("jvmArgs") ? first.get("jvmArgs").toString() : "");
    for (Map.Entry<String, String> e : info.entrySet()) {
      row(out, e.getKey(), e.getValue());
    }
    out.append('\n');
    out.append("Ratios are to the baseline of the same run, as time (for throughput: baseline "
        + "throughput / contender throughput; for heap: bytes / baseline bytes): 1.00× is the "
        + "floor, higher is slower. \"met\" applies relstore's target of issue 7.\n\n");
  }

  private String str(String field) {
    return first.has(field) ? first.get(field).getAsString() : "?";
  }

  private static void row(StringBuilder out, String k, String v) {
    out.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
  }

  private void mainTable(StringBuilder out) {
    out.append("## Scores and ratios to the baseline\n\n");
    out.append("| benchmark | size | baseline | relstore | CQEngine | H2 | relstore target | met |\n");
    out.append("|---|---:|---:|---:|---:|---:|---|---|\n");
    for (Line line : LINES) {
      for (int size : sizes(line.benchmark())) {
        Score base = get(line.benchmark(), size, BASELINE);
        out.append("| ").append(line.label()).append(" | ").append(count(size)).append(" | ");
        for (String impl : CONTENDERS) {
          Score s = get(line.benchmark(), size, impl);
          out.append(s == null ? "–" : value(s));
          if (s != null && base != null && !impl.equals(BASELINE)) {
            out.append(" (").append(ratio(s.cost() / base.cost())).append(")");
          }
          out.append(" | ");
        }
        out.append(line.target()).append(" | ");
        Score rel = get(line.benchmark(), size, RELSTORE);
        if (line.maxRatio() != null && rel != null && base != null) {
          out.append(met(rel.cost() / base.cost() <= line.maxRatio()));
        }
        out.append(" |\n");
      }
    }
    out.append('\n');
  }

  /** Targets that compare a contender with itself: index against scan, O(1), scaling, readers. */
  private void selfTargets(StringBuilder out) {
    out.append("## Targets within a contender\n\n");
    out.append("| check | size | baseline | relstore | CQEngine | H2 | relstore target | met |\n");
    out.append("|---|---:|---:|---:|---:|---:|---|---|\n");
    perSize(out, "indexed eq: scan time / indexed time", "FilterBenchmark.scan",
        "FilterBenchmark.indexed", 5.0, true, "≥ 5×");
    perSize(out, "order by: full-sort time / top-10 time", "OrderByBenchmark.fullSort",
        "OrderByBenchmark.indexedTop10", 50.0, true, "≥ 50×");
    perSize(out, "readers: 2 threads / 1 thread (throughput)", "ConcurrencyBenchmark.twoReaders",
        "ConcurrencyBenchmark.oneReader", 1.6, true, "≥ 1.6×");
    perSize(out, "readers under a writer / without (throughput)",
        "ConcurrencyBenchmark.underWriter:read", "ConcurrencyBenchmark.twoReaders", 0.5,
        true, "≥ 0.5× (50 % kept)");
    acrossSizes(out, "count: time at largest size / at smallest", "CountBenchmark.count", false,
        "≤ 1.2× (O(1))");
    acrossSizes(out, "scaling pk get: ratio to baseline, largest size / smallest",
        "PkGetBenchmark.pkGet", true, "within 20 %");
    acrossSizes(out, "scaling reverse relation: ratio to baseline, largest size / smallest",
        "ReverseRelationBenchmark.iterate", true, "within 20 %");
    out.append('\n');
  }

  /**
   * The targets of issues 9 (bounded tables) and 10 (resets), from benchmarks outside the
   * contender facade: relstore's time for one operation against another in the same run.
   */
  private void otherTargets(StringBuilder out) {
    if (!scores.containsKey("ResetBenchmark.restore")
        && !scores.containsKey("BoundedGetBenchmark.bounded")) {
      return;
    }
    out.append("## Bounded tables (issue 9) and resets (issue 10)\n\n");
    out.append("| check | size | measured | against | ratio | target | met |\n");
    out.append("|---|---:|---:|---:|---:|---|---|\n");
    versus(out, "pk get, bounded table / unbounded table", "BoundedGetBenchmark.bounded",
        "BoundedGetBenchmark.unbounded", 2.0, false, "≤ 2×");
    versus(out, "pk get, bounded table / Caffeine getIfPresent", "BoundedGetBenchmark.bounded",
        "BoundedGetBenchmark.caffeine", 1.5, false, "≤ 1.5×");
    versus(out, "100k rows: re-insert time / restore(snapshot) time", "ResetBenchmark.reinsert",
        "ResetBenchmark.restore", 10.0, true, "≥ 10×");
    versus(out, "100k rows: H2 reset and reload time / restore(snapshot) time",
        "ResetBenchmark.h2Reload", "ResetBenchmark.restore", 100.0, true, "≥ 100×");
    versus(out, "100k rows: re-insert time / copy() time", "ResetBenchmark.reinsert",
        "ResetBenchmark.copy", null, true, "(reference)");
    out.append('\n');
  }

  private void versus(StringBuilder out, String label, String num, String den,
      @Nullable Double limit, boolean atLeast, String target) {
    for (int size : sizes(den)) {
      Score a = get(num, size, RELSTORE);
      Score b = get(den, size, RELSTORE);
      if (a == null || b == null) {
        continue;
      }
      double r = a.cost() / b.cost();
      out.append("| ").append(label).append(" | ").append(count(size)).append(" | ")
          .append(value(a)).append(" | ").append(value(b)).append(" | ").append(ratio(r))
          .append(" | ").append(target).append(" | ");
      if (limit != null) {
        out.append(met(atLeast ? r >= limit : r <= limit));
      }
      out.append(" |\n");
    }
  }

  private void perSize(StringBuilder out, String label, String num, String den,
      double limit, boolean atLeast, String target) {
    for (int size : sizes(den)) {
      out.append("| ").append(label).append(" | ").append(count(size)).append(" | ");
      Double relstore = null;
      for (String impl : CONTENDERS) {
        Score a = get(num, size, impl);
        Score b = get(den, size, impl);
        Double r = a == null || b == null ? null : a.value() / b.value();
        out.append(r == null ? "–" : ratio(r)).append(" | ");
        if (impl.equals(RELSTORE)) {
          relstore = r;
        }
      }
      out.append(target).append(" | ");
      if (relstore != null) {
        out.append(met(atLeast ? relstore >= limit : relstore <= limit));
      }
      out.append(" |\n");
    }
  }

  /**
   * The largest size against the smallest: the time itself ({@code toBaseline} false), or the ratio
   * to the baseline (the scaling run: flat within 20 %).
   */
  private void acrossSizes(StringBuilder out, String label, String key, boolean toBaseline,
      String target) {
    TreeSet<Integer> sizes = sizes(key);
    if (sizes.size() < 2) {
      return;
    }
    int lo = sizes.first();
    int hi = sizes.last();
    out.append("| ").append(label).append(" | ").append(count(lo)).append(" → ")
        .append(count(hi)).append(" | ");
    Double relstore = null;
    for (String impl : CONTENDERS) {
      Double r = growth(key, impl, lo, hi, toBaseline);
      out.append(r == null || (toBaseline && impl.equals(BASELINE)) ? "–" : ratio(r))
          .append(" | ");
      if (impl.equals(RELSTORE)) {
        relstore = r;
      }
    }
    out.append(target).append(" | ");
    if (relstore != null) {
      out.append(met(toBaseline ? Math.abs(relstore - 1) <= 0.2 : relstore <= 1.2));
    }
    out.append(" |\n");
  }

  private @Nullable Double growth(String key, String impl, int lo, int hi, boolean toBaseline) {
    Double a = cost(key, hi, impl, toBaseline);
    Double b = cost(key, lo, impl, toBaseline);
    return a == null || b == null ? null : a / b;
  }

  private @Nullable Double cost(String key, int size, String impl, boolean toBaseline) {
    Score s = get(key, size, impl);
    Score base = get(key, size, BASELINE);
    if (s == null || (toBaseline && base == null)) {
      return null;
    }
    return toBaseline ? s.cost() / base.cost() : s.cost();
  }

  private void allocation(StringBuilder out) {
    out.append("## Allocation per operation (`-prof gc`, gc.alloc.rate.norm)\n\n");
    out.append("Bytes allocated per operation (per row for the cascade and bulk benchmarks). The "
        + "cascade benchmarks include the unmeasured re-insertion of the victim before each "
        + "invocation; the heap benchmark includes loading.\n\n");
    out.append("| benchmark | size | baseline | relstore | CQEngine | H2 |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Map<Integer, Map<String, Score>>> b : scores.entrySet()) {
      if (b.getKey().contains(":")) {
        continue;
      }
      for (int size : new TreeSet<>(b.getValue().keySet())) {
        out.append("| ").append(b.getKey()).append(" | ").append(count(size)).append(" | ");
        for (String impl : CONTENDERS) {
          Score s = b.getValue().get(size).get(impl);
          out.append(s == null || s.allocPerOp() == null ? "–" : bytes(s.allocPerOp()))
              .append(" | ");
        }
        out.append('\n');
      }
    }
    out.append('\n');
  }

  // ---------------------------------------------------------------- formatting

  static String value(Score s) {
    String err = Double.isNaN(s.error()) || s.value() == 0 ? ""
        : String.format(Locale.ROOT, " ±%.0f%%", 100 * s.error() / s.value());
    return switch (s.unit()) {
      case "ns/op" -> time(s.value()) + err;
      case "#" -> String.format(Locale.ROOT, "%.0f B", s.value());
      default -> String.format(Locale.ROOT, "%.4g %s", s.value(), s.unit()) + err;
    };
  }

  static String time(double ns) {
    if (ns < 1_000) {
      return String.format(Locale.ROOT, "%.3g ns", ns);
    }
    if (ns < 1_000_000) {
      return String.format(Locale.ROOT, "%.3g µs", ns / 1e3);
    }
    if (ns < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3g ms", ns / 1e6);
    }
    return String.format(Locale.ROOT, "%.3g s", ns / 1e9);
  }

  static String ratio(double r) {
    return r >= 100 ? String.format(Locale.ROOT, "%.0f×", r)
        : String.format(Locale.ROOT, "%.2f×", r);
  }

  static String bytes(double b) {
    return b >= 10_000 ? String.format(Locale.ROOT, "%.0f kB", b / 1000)
        : String.format(Locale.ROOT, "%.0f B", b);
  }

  static String count(int n) {
    if (n % 1_000_000 == 0) {
      return n / 1_000_000 + "M";
    }
    return n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
  }

  static String met(boolean ok) {
    return ok ? "yes" : "**no**";
  }

  // ---------------------------------------------------------------- main

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Report <results.json> <report.md> [--commit SHA] [--cpu NAME]"
          + " [--command CMD]");
      System.exit(2);
    }
    Map<String, String> info = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(List.of(args).subList(2, args.length));
    for (int i = 0; i + 1 < rest.size(); i += 2) {
      String k = rest.get(i).replaceFirst("^--", "");
      info.put(k.equals("cpu") ? "CPU" : k.substring(0, 1).toUpperCase(Locale.ROOT)
          + k.substring(1), rest.get(i + 1));
    }
    JsonArray results;
    try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      results = JsonParser.parseReader(in).getAsJsonArray();
    }
    Files.writeString(Path.of(args[1]), new Report(results).render(info), StandardCharsets.UTF_8);
  }
}
