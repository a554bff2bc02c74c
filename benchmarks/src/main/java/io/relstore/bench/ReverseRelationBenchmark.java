package io.relstore.bench;

import io.relstore.bench.model.User;
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
 * Reverse relation: iterate the posts of a user with about 10 posts ({@code user.posts.all()}),
 * reading a field of each. The user is drawn at random from all users with 8 to 12 posts (a few
 * thousand at 1M posts). Also the second half of the scaling run. Target: relstore ≤ 1.2× baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class ReverseRelationBenchmark extends BlogState {
  private final Keys keys = new Keys();
  private User[] authors;

  @Override
  protected void prepare() {
    long[] ids = expected().usersWithAboutTenPosts();
    authors = new User[ids.length];
    for (int i = 0; i < ids.length; i++) {
      authors[i] = blog.user(ids[i]);
      checkEqual(expected().checksumOf(ids[i]), db.postsChecksum(authors[i]),
          "posts of user " + ids[i]);
    }
  }

  @Benchmark
  public long iterate() {
    return db.postsChecksum(authors[keys.nextInt(authors.length)]);
  }
}
