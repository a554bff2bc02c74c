package io.relstore.bench;

import io.relstore.bench.contender.Contender;
import io.relstore.bench.contender.Impl;
import io.relstore.bench.data.Blog;
import io.relstore.bench.data.Expected;
import java.util.Objects;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The blog loaded into one contender, once per fork: the {@code size} (posts) and {@code impl}
 * parameters of every benchmark class that extends it. A subclass checks its answers against
 * {@link Expected} in {@link #prepare()}, which runs after loading.
 */
@State(Scope.Benchmark)
public abstract class BlogState {
  /** Posts in the data set; 10M only in the scaling run (see the README). */
  @Param({"10000", "1000000"})
  public int size;

  @Param({"RELSTORE", "CQENGINE", "H2", "BASELINE"})
  public Impl impl;

  protected Blog blog;
  protected Contender db;
  private Expected expected;

  @Setup(Level.Trial)
  public final void load() {
    blog = Blog.of(size);
    db = impl.create(shared());
    blog.loadInto(db::insert, tables());
    long rows = db.rowCount();
    check(rows == blog.rowCount(tables()), () -> "loaded " + rows + " rows");
    prepare();
  }

  @TearDown(Level.Trial)
  public final void close() {
    db.close();
  }

  /**
   * The tables to load: comments only where a benchmark reaches them (the cascades), which halves
   * the loading time and the heap of the others (and makes the 10M scaling run fit).
   */
  protected Blog.Tables tables() {
    return Blog.Tables.WITHOUT_COMMENTS;
  }

  /** Whether several threads use the contender at once, a writer among them. */
  protected boolean shared() {
    return false;
  }

  /** Draws keys and checks the contender's answers, after loading. */
  protected abstract void prepare();

  protected final Expected expected() {
    if (expected == null) {
      expected = Expected.of(blog);
    }
    return expected;
  }

  /** Fails the benchmark (before any measurement) when the contender answers wrongly. */
  protected final void check(boolean ok, Supplier<String> what) {
    if (!ok) {
      throw new IllegalStateException(impl + " at size " + size + " answered wrongly: "
          + what.get());
    }
  }

  protected final void checkEqual(Object expected, Object actual, String what) {
    check(Objects.equals(expected, actual), () -> what + ": expected " + expected + ", got "
        + actual);
  }
}
