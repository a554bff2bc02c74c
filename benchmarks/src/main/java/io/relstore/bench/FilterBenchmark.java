package io.relstore.bench;

import io.relstore.bench.data.Expected;
import io.relstore.bench.model.Post;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * {@code Post.objects.filter(author=a, status="published", rating__gte=3)}: an indexed equality
 * (the author's reverse index, a user with about 10 posts) and two residual filters, about 5 rows;
 * and the same question answered by a scan of every post. Targets: relstore's {@code indexed} ≤
 * 1.3× baseline, and ≥ 5× faster than relstore's {@code scan}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class FilterBenchmark extends BlogState {
  static final int MIN_RATING = 3;
  private final Keys keys = new Keys();
  private long[] authors;

  @Override
  protected void prepare() {
    authors = expected().usersWithAboutTenPosts();
    long[] sample = Arrays.copyOf(authors, Math.min(authors.length, 64));
    Map<Long, List<Post>> answers = expected().publishedRated(sample, MIN_RATING);
    for (int i = 0; i < sample.length; i++) {
      long a = sample[i];
      checkEqual(answers.get(a), Expected.byKey(db.publishedRated(a, MIN_RATING)),
          "published rated posts of " + a);
      if (i < 3) {
        checkEqual(answers.get(a), Expected.byKey(db.publishedRatedScan(a, MIN_RATING)),
            "published rated posts of " + a + " by a scan");
      }
    }
  }

  @Benchmark
  public List<Post> indexed() {
    return db.publishedRated(authors[keys.nextInt(authors.length)], MIN_RATING);
  }

  @Benchmark
  public List<Post> scan() {
    return db.publishedRatedScan(authors[keys.nextInt(authors.length)], MIN_RATING);
  }
}
