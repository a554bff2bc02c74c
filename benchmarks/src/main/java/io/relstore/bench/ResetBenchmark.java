package io.relstore.bench;

import io.relstore.Store;
import io.relstore.bench.contender.Contender;
import io.relstore.bench.contender.Impl;
import io.relstore.bench.data.Blog;
import io.relstore.bench.model.Category;
import io.relstore.bench.model.Comment;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resetting a store to a fixture between the tries of a property test (issue 10): a 100k-row blog
 * (users, categories and posts: 90,891 posts and their 9,089 users and 20 categories make
 * 100,000 rows). {@code restore}: {@code store.restore(snapshot)}, alternating between the fixture and a
 * state a "test" changed (a user deleted with its posts through the cascade, 1,000 posts added), so
 * every call really changes the store's content. {@code copy}: {@code store.copy()}, what the JUnit
 * extension does per test. {@code reinsert}: a new relstore store and a {@code bulkCreate} of the
 * rows. {@code h2Reload}: a new H2 in-memory database (schema, constraints, indexes) and the rows
 * inserted in one batched transaction, then closed. The rows are made once, before measuring.
 * Targets: {@code restore} ≥ 10× faster than {@code reinsert}, ≥ 100× faster than {@code h2Reload}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class ResetBenchmark {
  static final int ROWS = 100_000;

  /** Posts in the fixture (not {@code size}: the smoke pass sets every {@code size} to 10k). */
  @Param({"90891"})
  public int posts;

  private final List<Rows> chunks = new ArrayList<>();
  private Store store;
  private Store fixture;
  private Store changed;
  private boolean atFixture;

  @Setup(Level.Trial)
  public void setUp() {
    Blog blog = Blog.of(posts);
    blog.loadInto(chunks::add, Blog.Tables.WITHOUT_COMMENTS);
    long rows = blog.rowCount(Blog.Tables.WITHOUT_COMMENTS);
    if (rows != ROWS) {
      throw new IllegalStateException(posts + " posts make " + rows + " rows, not " + ROWS);
    }
    store = Store.builder().add(User.class, Category.class, Post.class, Comment.class).build();
    for (Rows r : chunks) {
      store.bulkCreate(all(r));
    }
    fixture = store.snapshot();
    store.delete(blog.user(1));
    store.bulkCreate(blog.newPosts(1_000));
    changed = store.snapshot();
    check(store, rows - 1 - postsOf(blog, 1) + 1_000, "the changed state");
    store.restore(fixture);
    atFixture = true;
    check(store, rows, "the restored fixture");
    check(store.copy(), rows, "a copy");
    for (Impl impl : new Impl[] {Impl.RELSTORE, Impl.H2}) {
      try (Contender db = load(impl)) {
        if (db.rowCount() != rows) {
          throw new IllegalStateException(impl + " loaded " + db.rowCount() + " rows");
        }
      }
    }
  }

  private static long postsOf(Blog blog, long user) {
    long n = 0;
    for (long id = 1; id <= blog.posts(); id++) {
      if (blog.post(id).author() == user) {
        n++;
      }
    }
    return n;
  }

  private static void check(Store s, long rows, String what) {
    long n = (long) s.count(User.class) + s.count(Category.class) + s.count(Post.class);
    if (n != rows) {
      throw new IllegalStateException(what + " has " + n + " rows, expected " + rows);
    }
  }

  private static List<Record> all(Rows r) {
    List<Record> out = new ArrayList<>(r.size());
    out.addAll(r.users());
    out.addAll(r.categories());
    out.addAll(r.posts());
    return out;
  }

  private Contender load(Impl impl) {
    Contender db = impl.create(false);
    for (Rows r : chunks) {
      db.insert(r);
    }
    return db;
  }

  @Benchmark
  public Store restore() {
    store.restore(atFixture ? changed : fixture);
    atFixture = !atFixture;
    return store;
  }

  @Benchmark
  public Store copy() {
    return store.copy();
  }

  @Benchmark
  public long reinsert() {
    try (Contender db = load(Impl.RELSTORE)) {
      return db.rowCount();
    }
  }

  @Benchmark
  public long h2Reload() {
    try (Contender db = load(Impl.H2)) {
      return db.rowCount();
    }
  }
}
