package io.relstore.bench;

import io.relstore.bench.data.Blog;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk insert of 100k new posts (existing authors, Zipf-drawn; foreign keys checked) into the data
 * set, in one call (one transaction where the store has them), reported per row. One invocation
 * per iteration (single shot); after each iteration (not measured) the posts are deleted again.
 * Target: relstore ≤ 1.5× baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class BulkInsertBenchmark extends BlogState {
  private Rows rows;
  private long before;

  @Override
  protected void prepare() {
    rows = Rows.ofPosts(blog.newPosts(Blog.BULK_ROWS));
    before = db.rowCount();
    db.insert(rows);
    checkEqual(before + Blog.BULK_ROWS, db.rowCount(), "rows after the bulk insert");
    for (int i = 0; i < rows.posts().size(); i += 997) {
      Post p = rows.posts().get(i);
      checkEqual(p, db.post(p.id()), "inserted post");
    }
    undo();
  }

  @Benchmark
  @OperationsPerInvocation(Blog.BULK_ROWS)
  public void insert() {
    db.insert(rows);
  }

  @TearDown(Level.Iteration)
  public void undo() {
    db.deletePosts(rows.posts());
    checkEqual(before, db.rowCount(), "rows after deleting the inserted posts");
  }
}
