package io.relstore.tx;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.relstore.Aggregate;
import io.relstore.DeleteResult;
import io.relstore.RelatedSet;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Indexed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Readers alongside writers, under load. Writers build and tear down "trees" (a {@link Tree} with
 * {@value #K} CASCADE {@link Branch}es and {@value #K} SET_NULL {@link Leaf}s tagged with the
 * tree's key), each in one transaction; readers check, on {@code store.snapshot()} and on single
 * terminal operations of the live store, that they never see a transaction half-applied.
 *
 * <p>Writers (2) repeat, at random: create a tree; delete a whole tree (the branches go, the
 * leaves are nulled, in one commit); adopt an orphaned leaf group into a new tree (a QuerySet
 * update re-points the whole group); purge orphaned leaf groups (a QuerySet delete); start a
 * tree and abort it half-built; and run a savepoint that deletes another tree and is rolled back.
 *
 * <p>Readers (3) check on a snapshot: every branch and every non-null leaf follows to an existing
 * tree; every leaf group (one tag) is all pointing at one tree or all null, and has {@value #K}
 * leaves; every tree's {@code related(...).count()} equals the size iterated and equals
 * {@value #K}; the totals agree. On the live store, each single operation must be consistent on
 * its own: a grouped {@code values().annotate()} has {@value #K} per group, a filtered count is a
 * multiple of {@value #K}, a tree's relation count, list, iterator and stream hold 0 or
 * {@value #K} rows; and they abandon lazy iterators half-way.
 *
 * <p>It runs {@code relstore.stress.seconds} seconds (default 3, for CI); for a long run:
 * <pre>mvn -B -pl src-test -am verify -Dbench.smoke.skip=true -Dtest=ConcurrencyStressTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Drelstore.stress.seconds=120</pre>
 * {@code relstore.stress.seed} replays the writers' and readers' random choices (thread timing
 * is not replayable); {@code -Drelstore.stress.report=/tmp/stress.txt} appends the figures to a
 * file, since Surefire does not show TestReporter entries. Every thread must finish within its bound (else the test fails with a
 * thread dump), every exception and violation is collected and reported, and the operation counts
 * are published through the TestReporter (and in any failure message).
 */
class ConcurrencyStressTest {
  static final int K = 4;
  private static final int WRITERS = 2;
  private static final int READERS = 3;
  private static final int MAX_TREES = 40;
  private static final int KEPT_MESSAGES = 20;

  record Tree(@Id long id, int writer) {
  }

  record Branch(@Id long id,
      @ForeignKey(to = Tree.class, onDelete = CASCADE, relatedName = "branches") long tree,
      long tag) {
  }

  record Leaf(@Id long id,
      @ForeignKey(to = Tree.class, onDelete = SET_NULL, relatedName = "leaves") @Nullable Long tree,
      @Indexed long tag) {
  }

  /** Thrown to abort a transaction on purpose. */
  static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort() {
      super("deliberate abort", null, false, false);
    }
  }

  Store store;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final LongAdder violations = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> counters = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeEach
  void openStore() {
    store = Store.builder().add(Tree.class, Branch.class, Leaf.class)
        .writerTimeout(Duration.ofSeconds(10))
        .build();
  }

  static Duration duration() {
    String v = System.getProperty("relstore.stress.seconds", "");
    v = v.strip();
    if (v.isEmpty() || v.startsWith("${")) {
      return Duration.ofSeconds(3);
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
  }

  static long seed() {
    String v = System.getProperty("relstore.stress.seed", "").strip();
    return v.isEmpty() || v.startsWith("${") ? System.nanoTime() : Long.parseLong(v);
  }

  private void count(String what) {
    counters.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  private void count(String what, long n) {
    counters.computeIfAbsent(what, k -> new LongAdder()).add(n);
  }

  /** Records a violation, counted under its kind: the message without numbers and rows. */
  private void violation(String message) {
    violations.increment();
    String kind = message.replaceAll("[A-Z][a-z]+\\[[^\\]]*\\]", "<row>")
        .replaceAll("-?[0-9]+", "N");
    count("violation: " + kind.substring(0, Math.min(kind.length(), 90)));
    if (messages.size() < KEPT_MESSAGES) {
      messages.add("[" + Thread.currentThread().getName() + "] " + message);
    }
  }

  private void error(Throwable t) {
    errors.increment();
    if (messages.size() < KEPT_MESSAGES) {
      java.io.StringWriter w = new java.io.StringWriter();
      t.printStackTrace(new java.io.PrintWriter(w));
      messages.add("[" + Thread.currentThread().getName() + "] " + w);
    }
  }

  // ------------------------------------------------------------------ writers

  private Tree createTree(int writer) {
    return store.atomic(() -> {
      Tree t = store.create(new Tree(0, writer));
      List<Record> rows = new ArrayList<>();
      for (int i = 0; i < K; i++) {
        rows.add(new Branch(0, t.id(), t.id()));
        rows.add(new Leaf(0, t.id(), t.id()));
      }
      store.bulkCreate(rows);
      return t;
    });
  }

  private void deleteTree(SplittableRandom rnd) {
    List<Tree> trees = store.all(Tree.class);
    if (trees.isEmpty()) {
      return;
    }
    Tree t = trees.get(rnd.nextInt(trees.size()));
    DeleteResult r = store.delete(t);
    if (r.total() == 0) {
      count("write: stale delete (0, {})");
    } else if (!r.equals(new DeleteResult(1 + K, Map.of("Tree", 1, "Branch", K)))) {
      violation("deleting " + t + " returned " + r);
    }
  }

  private void adoptOrphans(int writer) {
    store.atomic(() -> {
      Leaf orphan = store.objects(Leaf.class).filter("tree__isnull", true).first();
      if (orphan == null) {
        return;
      }
      Tree t = store.create(new Tree(0, writer));
      List<Branch> branches = new ArrayList<>();
      for (int i = 0; i < K; i++) {
        branches.add(new Branch(0, t.id(), t.id()));
      }
      store.bulkCreate(branches);
      long n = store.objects(Leaf.class).filter("tag", orphan.tag()).update("tree", t.id());
      if (n != K) {
        violation("adopting the orphans of tag " + orphan.tag() + " re-pointed " + n + " leaves");
      }
    });
  }

  private void purgeOrphans() {
    DeleteResult r = store.objects(Leaf.class).filter("tree__isnull", true).delete();
    if (r.count("Leaf") % K != 0 || r.total() != r.count("Leaf")) {
      violation("purging orphan leaves deleted " + r);
    }
  }

  private void abortedTree(int writer) {
    try {
      store.atomic(() -> {
        Tree t = store.create(new Tree(0, writer));
        for (int i = 0; i < K; i++) {
          store.create(new Branch(0, t.id(), t.id()));
        }
        store.create(new Leaf(0, t.id(), t.id()));
        throw new Abort();
      });
      violation("an aborted transaction returned normally");
    } catch (Abort expected) {
      count("write: aborted transactions");
    }
  }

  private void rolledBackSavepoint(int writer, SplittableRandom rnd) {
    store.atomic(() -> {
      List<Tree> trees = store.all(Tree.class);
      Tree victim = trees.isEmpty() ? null : trees.get(rnd.nextInt(trees.size()));
      try {
        store.atomic(() -> {
          if (victim != null) {
            store.delete(victim);
          }
          store.objects(Leaf.class).filter("tree__isnull", true).update("tag", -1L);
          throw new Abort();
        });
      } catch (Abort expected) {
        count("write: rolled-back savepoints");
      }
      if (victim != null && store.related(victim, ConcurrencyStressTest_Tree_.branches).count() != K) {
        violation("a rolled-back savepoint left " + victim + " with "
            + store.related(victim, ConcurrencyStressTest_Tree_.branches).count() + " branches");
      }
      createTree(writer);
    });
  }

  private void writer(int w, long seed, long deadline) {
    SplittableRandom rnd = new SplittableRandom(seed);
    while (!stop.get() && System.nanoTime() < deadline) {
      try {
        int op = rnd.nextInt(100);
        int trees = store.count(Tree.class);
        if (trees < 4 || op < 35 && trees < MAX_TREES) {
          createTree(w);
          count("write: create tree");
        } else if (op < 65) {
          deleteTree(rnd);
          count("write: delete tree");
        } else if (op < 80) {
          adoptOrphans(w);
          count("write: adopt orphans");
        } else if (op < 86) {
          purgeOrphans();
          count("write: purge orphans");
        } else if (op < 93) {
          abortedTree(w);
        } else {
          rolledBackSavepoint(w, rnd);
        }
        count("writes");
      } catch (Throwable t) {
        error(t);
      }
    }
  }

  // ------------------------------------------------------------------ readers

  /** The checks of a whole state, on a snapshot; returns the tree keys it saw. */
  private List<Tree> checkState(Store s, String where) {
    long ops = 0;
    List<Tree> trees = s.all(Tree.class);
    List<Branch> branches = s.all(Branch.class);
    List<Leaf> leaves = s.all(Leaf.class);
    ops += 3;
    Map<Long, Integer> branchesPerTree = new HashMap<>();
    for (Branch b : branches) {
      ops++;
      if (s.follow(b, ConcurrencyStressTest_Branch_.tree) == null) {
        violation(where + ": " + b + " follows to no tree");
      }
      branchesPerTree.merge(b.tree(), 1, Integer::sum);
    }
    Map<Long, Set<@Nullable Long>> groupTargets = new HashMap<>();
    Map<Long, Integer> groupSizes = new HashMap<>();
    long linked = 0;
    for (Leaf l : leaves) {
      if (l.tree() != null) {
        linked++;
        ops++;
        if (s.follow(l, ConcurrencyStressTest_Leaf_.tree) == null) {
          violation(where + ": " + l + " follows to no tree");
        }
      }
      groupTargets.computeIfAbsent(l.tag(), k -> new HashSet<>()).add(l.tree());
      groupSizes.merge(l.tag(), 1, Integer::sum);
    }
    groupTargets.forEach((tag, targets) -> {
      if (targets.size() != 1) {
        violation(where + ": leaf group " + tag + " is half set: " + targets);
      }
    });
    groupSizes.forEach((tag, n) -> {
      if (n != K) {
        violation(where + ": leaf group " + tag + " has " + n + " leaves");
      }
    });
    for (Tree t : trees) {
      RelatedSet<Branch> rb = s.related(t, ConcurrencyStressTest_Tree_.branches);
      RelatedSet<Leaf> rl = s.related(t, ConcurrencyStressTest_Tree_.leaves);
      int nb = rb.count();
      int iterated = 0;
      for (Branch b : rb) {
        iterated += b.tree() == t.id() ? 1 : 1000;
      }
      int nl = rl.count();
      int listed = rl.list().size();
      ops += 4;
      if (nb != K || iterated != K || nl != K || listed != K
          || branchesPerTree.getOrDefault(t.id(), 0) != K) {
        violation(where + ": " + t + " has branches count " + nb + " iterated " + iterated
            + " scanned " + branchesPerTree.get(t.id()) + ", leaves count " + nl + " listed "
            + listed + " (expected " + K + ")");
      }
    }
    if (branches.size() != K * trees.size() || linked != (long) K * trees.size()) {
      violation(where + ": " + trees.size() + " trees but " + branches.size() + " branches and "
          + linked + " linked leaves");
    }
    long thin = s.objects(Tree.class).annotate("nb", Aggregate.count("branches"))
        .filter("nb__lt", K).count();
    ops++;
    if (thin != 0) {
      violation(where + ": " + thin + " trees with fewer than " + K + " branches by annotate()");
    }
    count("read: snapshot checks");
    count("reads", ops);
    return trees;
  }

  private static long number(@Nullable Object v) {
    return ((Number) Objects.requireNonNull(v)).longValue();
  }

  /** Single terminal operations on the live store, each of which must be consistent alone. */
  private void checkLive(SplittableRandom rnd, List<Tree> recent) {
    long ops = 0;
    for (Map<String, @Nullable Object> g : store.objects(Branch.class).values("tree")
        .annotate("n", Aggregate.count("id")).dicts()) {
      if (number(g.get("n")) != K) {
        violation("live values(tree).annotate(count): " + g);
      }
    }
    ops++;
    for (Map<String, @Nullable Object> g : store.objects(Leaf.class).values("tag")
        .annotate("n", Aggregate.count("id")).annotate("linked", Aggregate.count("tree"))
        .dicts()) {
      long linked = number(g.get("linked"));
      if (number(g.get("n")) != K || linked != 0 && linked != K) {
        violation("live leaf group half set or incomplete: " + g);
      }
    }
    ops++;
    long linkedLeaves = store.objects(Leaf.class).filter("tree__isnull", false).count();
    long branches = store.count(Branch.class);
    ops += 2;
    if (linkedLeaves % K != 0 || branches % K != 0) {
      violation("live counts not multiples of " + K + ": " + linkedLeaves + " linked leaves, "
          + branches + " branches");
    }
    if (!recent.isEmpty()) {
      Tree t = recent.get(rnd.nextInt(recent.size()));
      RelatedSet<Branch> rb = store.related(t, ConcurrencyStressTest_Tree_.branches);
      int count = rb.count();
      int listed = rb.list().size();
      int iterated = 0;
      for (Iterator<Branch> it = rb.iterator(); it.hasNext(); it.next()) {
        iterated++;
      }
      int streamed;
      try {
        streamed = rb.stream().toList().size();
      } catch (IllegalStateException e) {
        streamed = -1;
        violation("live related(" + t + ").stream().toList() mixed two states: " + e);
      }
      long leafCount = store.related(t, ConcurrencyStressTest_Tree_.leaves).stream()
          .filter(l -> Objects.equals(l.tree(), t.id())).count();
      ops += 5;
      for (long n : new long[] {count, listed, iterated, leafCount}) {
        if (n != 0 && n != K) {
          violation("live relation of " + t + ": count " + count + " list " + listed
              + " iterated " + iterated + " leaves " + leafCount);
          break;
        }
      }
      if (streamed != -1 && streamed != 0 && streamed != K) {
        violation("live related(" + t + ").stream() gave " + streamed + " rows");
      }
    }
    Iterator<Leaf> abandoned = store.objects(Leaf.class).iterator();
    if (abandoned.hasNext()) {
      abandoned.next();
    }
    ops++;
    count("read: live checks");
    count("reads", ops);
  }

  private void reader(long seed, long deadline) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Tree> recent = List.of();
    while (!stop.get() && System.nanoTime() < deadline) {
      try {
        recent = checkState(store.snapshot(), "snapshot");
        checkLive(rnd, recent);
      } catch (Throwable t) {
        error(t);
      }
    }
  }

  // ------------------------------------------------------------------ the run

  private String report(Duration ran, long seed) {
    Map<String, Long> figures = new java.util.TreeMap<>();
    counters.forEach((k, v) -> figures.put(k, v.sum()));
    double s = ran.toNanos() / 1e9;
    long reads = figures.getOrDefault("reads", 0L);
    long writes = figures.getOrDefault("writes", 0L);
    return String.format(java.util.Locale.ROOT, "%d writers, %d readers, %.1f s, seed %d: %d write"
        + " transactions (%.0f/s), %d read operations (%.0f/s), %d violations, %d errors; %s",
        WRITERS, READERS, s, seed, writes, writes / s, reads, reads / s, violations.sum(),
        errors.sum(), figures);
  }

  /**
   * Publishes the figures through the TestReporter (Surefire drops report entries, so they are
   * also appended to the file named by {@code relstore.stress.report}, when given).
   */
  private static void publish(TestReporter reporter, String key, String summary) {
    reporter.publishEntry(key, summary);
    String file = System.getProperty("relstore.stress.report", "").strip();
    if (!file.isEmpty() && !file.startsWith("${")) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(file), key + ": " + summary + "\n",
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void readersNeverSeeAHalfAppliedTransactionWhileWritersBuildAndTearDownTrees(
      TestReporter reporter) throws InterruptedException {
    Duration length = duration();
    long seed = seed();
    long start = System.nanoTime();
    long deadline = start + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int w = 0; w < WRITERS; w++) {
      int id = w;
      long s = seeds.nextLong();
      threads.add(new Thread(() -> writer(id, s, deadline), "writer-" + w));
    }
    for (int r = 0; r < READERS; r++) {
      long s = seeds.nextLong();
      threads.add(new Thread(() -> reader(s, deadline), "reader-" + r));
    }
    for (Thread t : threads) {
      t.setDaemon(true);
      t.start();
    }
    long bound = deadline + Duration.ofSeconds(30).toNanos();
    List<String> stuck = new ArrayList<>();
    for (Thread t : threads) {
      t.join(Math.max(1, (bound - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) {
        stuck.add(t.getName());
      }
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - start);
    if (!stuck.isEmpty()) {
      String dump = Async.dump();
      stop.set(true);
      fail("threads " + stuck + " did not finish within 30 s after the deadline (deadlock or"
          + " starvation?)\n" + report(ran, seed) + "\n" + dump);
    }
    String summary = report(ran, seed);
    publish(reporter, "stress", summary);

    checkState(store, "final state");
    StoreInvariants.check(store);
    assertEquals(0, violations.sum() + errors.sum(), () -> summary + "\n"
        + String.join("\n", messages));
    assertTrue(counters.getOrDefault("writes", new LongAdder()).sum() > 0
        && counters.getOrDefault("read: snapshot checks", new LongAdder()).sum() > 0
        && counters.getOrDefault("read: live checks", new LongAdder()).sum() > 0,
        "the run did nothing: " + summary);
  }

  /**
   * The narrowest form of the live relation check: one tree whose {@value #K} branches are
   * deleted and recreated over and over while a reader streams the relation into a list. The
   * stream must come from one state (0 or {@value #K} rows); runs at most 2 s (or the stress
   * length, if shorter) and stops at the first failure.
   */
  @Test
  void aLiveRelatedSetStreamSeesOneStateWhileTheRelationChanges(TestReporter reporter) {
    Tree tree = store.create(new Tree(0, 0));
    Duration length = duration().compareTo(Duration.ofSeconds(2)) < 0 ? duration()
        : Duration.ofSeconds(2);
    long deadline = System.nanoTime() + length.toNanos();
    AtomicLong toggles = new AtomicLong();
    Async<Void> writer = Async.run("toggler", () -> {
      while (!stop.get() && System.nanoTime() < deadline) {
        store.atomic(() -> {
          for (int i = 0; i < K; i++) {
            store.create(new Branch(0, tree.id(), tree.id()));
          }
        });
        store.objects(Branch.class).filter("tree", tree.id()).delete();
        toggles.incrementAndGet();
      }
    });
    long reads = 0;
    List<String> failures = new ArrayList<>();
    try {
      while (System.nanoTime() < deadline && failures.isEmpty()) {
        reads++;
        try {
          int n = store.related(tree, ConcurrencyStressTest_Tree_.branches).stream().toList()
              .size();
          if (n != 0 && n != K) {
            failures.add("stream().toList() gave " + n + " rows");
          }
        } catch (IllegalStateException e) {
          failures.add("stream().toList() threw " + e);
        }
      }
    } finally {
      stop.set(true);
      writer.await(Duration.ofSeconds(30));
    }
    String summary = reads + " streams read while the relation was filled and emptied "
        + toggles.get() + " times";
    publish(reporter, "related-stream", summary);
    assertEquals(List.of(), failures, () -> "RelatedSet.stream() mixed two states after " + summary
        + ": it is built from iterator() (one state) with count() (read again, maybe another"
        + " state) as its exact SIZED size");
  }
}
