package io.relstore.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * A primary-key get on a bounded table (issue 9): the same rows in an unbounded relstore table, in
 * a relstore table bounded by {@code maximumSize} (the bound above the row count, so every get is
 * a hit that the policy records, as a warm cache is read), and in a plain Caffeine cache with the
 * same bound, read with {@code getIfPresent}; keys drawn at random over all rows in each call.
 * Targets: {@code bounded} ≤ 2× {@code unbounded}; {@code bounded} ≤ 1.5× {@code caffeine}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class BoundedGetBenchmark {
  /** A row of a cached table: a key and a short payload, as a cached entity. */
  @Model(app = "bench")
  public record Item(@Id long id, @Char(maxLength = 40) String name, int quantity) {
  }

  @Param({"10000", "1000000"})
  public int size;

  private final Keys keys = new Keys();
  private Store unbounded;
  private Store bounded;
  private Cache<Long, Item> caffeine;

  @Setup(Level.Trial)
  public void setUp() {
    long bound = 2L * size;
    unbounded = Store.builder().add(Item.class).build();
    bounded = Store.builder().add(Item.class, m -> m.maximumSize(bound)).build();
    caffeine = Caffeine.newBuilder().maximumSize(bound).build();
    List<Item> items = new ArrayList<>(size);
    for (long id = 1; id <= size; id++) {
      items.add(new Item(id, "item " + id, (int) (id % 100)));
    }
    unbounded.bulkCreate(items);
    bounded.bulkCreate(items);
    for (Item item : items) {
      caffeine.put(item.id(), item);
    }
    bounded.cleanUp();
    caffeine.cleanUp();
    for (long id = 1; id <= size; id += Math.max(1, size / 1000)) {
      Item expected = items.get((int) id - 1);
      if (!expected.equals(unbounded.getOrNull(Item.class, id))
          || !expected.equals(bounded.getOrNull(Item.class, id))
          || !expected.equals(caffeine.getIfPresent(id))) {
        throw new IllegalStateException("item " + id + " differs between the three");
      }
    }
    if (bounded.count(Item.class) != size || caffeine.estimatedSize() != size) {
      throw new IllegalStateException("a bounded table evicted rows below its bound");
    }
  }

  @Benchmark
  public Item unbounded() {
    return unbounded.getOrNull(Item.class, 1 + keys.nextInt(size));
  }

  @Benchmark
  public Item bounded() {
    return bounded.getOrNull(Item.class, 1 + keys.nextInt(size));
  }

  @Benchmark
  public Item caffeine() {
    return caffeine.getIfPresent(1L + keys.nextInt(size));
  }
}
