package io.relstore.bench;

import io.relstore.bench.contender.Contender;
import io.relstore.bench.contender.Impl;
import io.relstore.bench.data.Blog;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Heap bytes per row: users, categories and posts (no comments) loaded into a fresh contender,
 * used heap measured after full GCs with the contender alive minus before it was created, divided by
 * the posts and users. The generator holds no rows, so the figure is the contender's own: the row
 * records (or, for H2, its own row values), keys, strings and every index. Reported as the
 * secondary result {@code bytesPerRow} (JMH's summary line shows its sum over the iterations; the
 * per-iteration lines and the report show the value); the primary score is the time to load the
 * rows. Target: relstore ≤ 1.2× baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class FootprintBenchmark {
  @Param({"10000", "1000000"})
  public int size;

  @Param({"RELSTORE", "CQENGINE", "H2", "BASELINE"})
  public Impl impl;

  private Blog blog;

  /** The measured footprint, read by JMH after each iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Heap {
    public double bytesPerRow;

    @Setup(Level.Iteration)
    public void clear() {
      bytesPerRow = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    blog = Blog.of(size);
  }

  @Benchmark
  public long load(Heap heap) {
    long before = usedHeapAfterGc();
    Contender db = impl.create(false);
    blog.loadInto(db::insert, Blog.Tables.WITHOUT_COMMENTS);
    long after = usedHeapAfterGc();
    long rows = db.rowCount();
    if (rows != blog.rowCount(Blog.Tables.WITHOUT_COMMENTS)
        || !blog.post(size).equals(db.post(size))) {
      throw new IllegalStateException(impl + " loaded " + rows + " rows wrongly");
    }
    heap.bytesPerRow = (after - before) / (double) (blog.users() + blog.posts());
    db.close();
    return rows;
  }

  /** Used heap after full collections, once it no longer shrinks. */
  static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used - used / 1000) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
