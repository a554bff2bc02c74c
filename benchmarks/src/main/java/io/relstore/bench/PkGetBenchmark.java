package io.relstore.bench;

import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
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
 * The foundation's one benchmark: primary-key get on relstore and on a hand-written
 * eclipse-collections map, side by side in one run (the full suite is its own issue). Each
 * contender sits behind {@link Contender}; {@code @Setup} checks that both answer the same rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PkGetBenchmark {

  /** A user row, as in the blog example. */
  public record User(@Id long id, @Char(maxLength = 50) String username) {
  }

  /** The implementations compared, behind one small facade. */
  public enum Impl {
    RELSTORE, BASELINE
  }

  interface Contender {
    User get(long pk);
  }

  @Param({"10000"})
  public int size;

  @Param({"RELSTORE", "BASELINE"})
  public Impl impl;

  private Contender contender;
  private long[] keys;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    List<User> users = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      users.add(new User(i, "user" + i));
    }
    contender = switch (impl) {
      case RELSTORE -> relstore(users);
      case BASELINE -> baseline(users);
    };
    SplittableRandom random = new SplittableRandom(42);
    keys = new long[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = 1 + random.nextInt(size);
    }
    for (long k : keys) {
      if (!contender.get(k).username().equals("user" + k)) {
        throw new IllegalStateException(impl + " returned a wrong row for " + k);
      }
    }
  }

  private static Contender relstore(List<User> users) {
    Store store = Store.builder().add(User.class).build();
    store.bulkCreate(users);
    return pk -> store.getOrNull(User.class, pk);
  }

  private static Contender baseline(List<User> users) {
    LongObjectHashMap<User> map = new LongObjectHashMap<>();
    users.forEach(u -> map.put(u.id(), u));
    return map::get;
  }

  @Benchmark
  public User pkGet() {
    long k = keys[next++ & (keys.length - 1)];
    return contender.get(k);
  }
}
