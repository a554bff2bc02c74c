package io.relstore.bench;

import io.relstore.bench.model.Post;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Primary-key get of a post, the key drawn at random over the whole table in each call. Also the
 * first half of the scaling run (10k → 10M posts). Target: relstore ≤ 1.3× baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class PkGetBenchmark extends BlogState {
  private final Keys keys = new Keys();

  @Override
  protected void prepare() {
    Keys sample = new Keys();
    for (int i = 0; i < 1000; i++) {
      long id = 1 + sample.nextInt(size);
      checkEqual(blog.post(id), db.post(id), "post " + id);
    }
    checkEqual(null, db.post(size + 1L), "post " + (size + 1));
  }

  @Benchmark
  public Post pkGet() {
    return db.post(1 + keys.nextInt(size));
  }
}
