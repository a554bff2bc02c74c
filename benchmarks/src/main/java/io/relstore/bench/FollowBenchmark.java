package io.relstore.bench;

import io.relstore.bench.model.Post;
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
 * Forward foreign key: the author of a post in hand ({@code post.author} in Django). The posts are
 * 64k random posts (all of them at 10k) as the contender returned them; the authors are spread over
 * the whole user table. The baseline's follow is a pk get in its user map, so relstore's ratio to
 * it is the target: ≤ 1.3× a baseline pk get.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class FollowBenchmark extends BlogState {
  private final Keys keys = new Keys();
  private Post[] posts;

  @Override
  protected void prepare() {
    Keys sample = new Keys();
    posts = new Post[Math.min(size, 1 << 16)];
    for (int i = 0; i < posts.length; i++) {
      posts[i] = db.post(1 + sample.nextInt(size));
    }
    for (Post p : posts) {
      checkEqual(blog.user(p.author()), db.author(p), "author of " + p);
    }
  }

  @Benchmark
  public User follow() {
    return db.author(posts[keys.nextInt(posts.length)]);
  }
}
