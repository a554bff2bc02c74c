package io.relstore.bench;

import io.relstore.bench.data.Blog;
import io.relstore.bench.data.Blog.Victim;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cascading delete of one user inside the full data set, reported per deleted row:
 * {@code oneLevel} deletes 1 user + its 100 posts (101 rows), {@code twoLevels} 1 user → 100
 * posts → 1,000 comments (1,101 rows). The victims are extra users on keys above the data set;
 * before every invocation (not measured) the deleted victim is inserted again, so every invocation
 * deletes the same rows. Note: {@code -prof gc}'s allocation per operation includes that
 * re-insertion. Target: relstore ≤ 2× baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class CascadeDeleteBenchmark extends BlogState {
  static final int ONE_LEVEL_ROWS = 1 + Blog.VICTIM_CHILDREN;
  static final int TWO_LEVEL_ROWS =
      1 + Blog.VICTIM_CHILDREN * (1 + Blog.VICTIM_GRANDCHILDREN_PER_CHILD);

  private Victim oneLevel;
  private Victim twoLevels;
  private boolean oneLevelStored;
  private boolean twoLevelsStored;

  @Override
  protected Blog.Tables tables() {
    return Blog.Tables.ALL;
  }

  @Override
  protected void prepare() {
    oneLevel = blog.victim(0, 0);
    twoLevels = blog.victim(1, Blog.VICTIM_GRANDCHILDREN_PER_CHILD);
    checkEqual(ONE_LEVEL_ROWS, oneLevel.deletedRows(), "victim rows");
    checkEqual(TWO_LEVEL_ROWS, twoLevels.deletedRows(), "victim rows");
    long rows = db.rowCount();
    for (Victim v : new Victim[] {oneLevel, twoLevels}) {
      db.insert(v.rows());
      checkEqual(rows + v.deletedRows(), db.rowCount(), "rows after inserting " + v.user());
      int reported = db.deleteUser(v.user());
      check(reported == -1 || reported == v.deletedRows(),
          () -> "deleting " + v.user() + " reported " + reported + " rows");
      checkEqual(rows, db.rowCount(), "rows after deleting " + v.user());
    }
  }

  @Setup(Level.Invocation)
  public void restore() {
    if (!oneLevelStored) {
      db.insert(oneLevel.rows());
      oneLevelStored = true;
    }
    if (!twoLevelsStored) {
      db.insert(twoLevels.rows());
      twoLevelsStored = true;
    }
  }

  @Benchmark
  @OperationsPerInvocation(ONE_LEVEL_ROWS)
  public int oneLevel() {
    oneLevelStored = false;
    return db.deleteUser(oneLevel.user());
  }

  @Benchmark
  @OperationsPerInvocation(TWO_LEVEL_ROWS)
  public int twoLevels() {
    twoLevelsStored = false;
    return db.deleteUser(twoLevels.user());
  }
}
