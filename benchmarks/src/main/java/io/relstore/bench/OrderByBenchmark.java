package io.relstore.bench;

import io.relstore.bench.model.Post;
import java.util.List;
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
 * {@code Post.objects.order_by("-published")[:10]}: served by the sorted index ({@code
 * indexedTop10}), and the same answer from a full sort of every post ({@code fullSort}). Targets:
 * relstore's {@code indexedTop10} ≤ 1.5× baseline, and ≥ 50× faster than relstore's
 * {@code fullSort}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class OrderByBenchmark extends BlogState {
  static final int K = 10;

  @Override
  protected void prepare() {
    checkEqual(expected().latest(K), db.latest(K), "latest " + K);
    checkEqual(expected().latest(K), db.latestFullSort(K), "latest " + K + " by a full sort");
  }

  @Benchmark
  public List<Post> indexedTop10() {
    return db.latest(K);
  }

  @Benchmark
  public List<Post> fullSort() {
    return db.latestFullSort(K);
  }
}
