package io.relstore.bench;

import io.relstore.bench.data.Blog;
import io.relstore.bench.data.Blog.Victim;
import io.relstore.bench.model.User;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Readers beside a cascading writer, in throughput (reads per millisecond, all reader threads
 * together). A read is the reverse-relation read (the posts of a user with about 10 posts). {@code
 * oneReader}: 1 thread; {@code twoReaders}: 2 threads; {@code underWriter}: 2 reader threads and 1
 * writer thread that, without pause, deletes a user with 100 posts (cascade) and inserts it again.
 * The contender is shared: relstore, CQEngine and H2 as they are (H2 with a connection per thread),
 * the baseline behind a read-write lock. Targets: relstore's {@code twoReaders} ≥ 1.6× {@code
 * oneReader}; {@code underWriter}'s reads ≥ 50 % of {@code twoReaders}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class ConcurrencyBenchmark extends BlogState {
  private User[] authors;
  private Victim victim;

  /** Each thread's own key stream. */
  @State(Scope.Thread)
  public static class Reader {
    final Keys keys = new Keys();
  }

  @Override
  protected boolean shared() {
    return true;
  }

  @Override
  protected Blog.Tables tables() {
    return Blog.Tables.ALL;
  }

  @Override
  protected void prepare() {
    long[] ids = expected().usersWithAboutTenPosts();
    authors = new User[ids.length];
    for (int i = 0; i < ids.length; i++) {
      authors[i] = blog.user(ids[i]);
      checkEqual(expected().checksumOf(ids[i]), db.postsChecksum(authors[i]),
          "posts of user " + ids[i]);
    }
    victim = blog.victim(0, 0);
    long rows = db.rowCount();
    db.insert(victim.rows());
    write();
    checkEqual(rows + victim.deletedRows(), db.rowCount(), "rows after a write");
  }

  private long readOnce(Reader reader) {
    return db.postsChecksum(authors[reader.keys.nextInt(authors.length)]);
  }

  @Benchmark
  @Threads(1)
  public long oneReader(Reader reader) {
    return readOnce(reader);
  }

  @Benchmark
  @Threads(2)
  public long twoReaders(Reader reader) {
    return readOnce(reader);
  }

  @Benchmark
  @Group("underWriter")
  @GroupThreads(2)
  public long read(Reader reader) {
    return readOnce(reader);
  }

  @Benchmark
  @Group("underWriter")
  @GroupThreads(1)
  public int write() {
    int deleted = db.deleteUser(victim.user());
    db.insert(victim.rows());
    return deleted;
  }
}
