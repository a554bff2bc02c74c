package io.relstore.tx;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.relstore.Aggregate;
import io.relstore.DeletePlan;
import io.relstore.F;
import io.relstore.Q;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.tx.Shop.Agent;
import io.relstore.tx.Shop.Customer;
import io.relstore.tx.Shop.Line;
import io.relstore.tx.Shop.Note;
import io.relstore.tx.Shop.Order;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * One writer at a time, readers never wait: while thread A holds a transaction open, another
 * thread's write waits {@code writerTimeout} (200 ms here) and fails with a StoreException naming
 * the rule and the timeout, having changed nothing; readers return at once with the committed
 * state; lazy iterators and snapshots hold no lock, and a snapshot stays on its state and refuses
 * writes.
 */
class WriterPolicyTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private static final Duration BOUND = Duration.ofSeconds(10);

  Shop shop;
  Store store;
  Shop.Data d;
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private Async<Customer> holder;

  @BeforeEach
  void openShop() {
    shop = Shop.open(TIMEOUT);
    store = shop.store;
    d = shop.data;
  }

  @AfterEach
  void releaseTheHolder() {
    release.countDown();
    if (holder != null) {
      holder.await(BOUND);
    }
  }

  /**
   * Thread A: opens a transaction that creates dave, deletes alice (cascade, SET_NULL, SET
   * supplier) and updates bob, then waits, open, until {@link #release}.
   */
  private Async<Customer> holdATransactionOpen() {
    holder = Async.start("A (holds the transaction)", () -> store.atomic(() -> {
      Customer dave = store.create(new Customer(0, "dave@shop", 5));
      store.delete(d.alice());
      store.update(new Customer(d.bob().id(), "bob@shop", 77));
      opened.countDown();
      Async.awaitLatch(release, BOUND, "A was never released");
      return dave;
    }));
    Async.awaitLatch(opened, BOUND, "A never opened its transaction");
    return holder;
  }

  private static Map<String, List<Record>> plus(Map<String, List<Record>> rows, Record added) {
    Map<String, List<Record>> out = new LinkedHashMap<>();
    rows.forEach((model, list) -> out.put(model, new ArrayList<>(list)));
    out.get(added.getClass().getSimpleName()).add(added);
    return out;
  }

  /** How one write of thread B failed. */
  record Refusal(String write, StoreException error, long waitedMillis) {
  }

  @Test
  void aSecondWriterWaitsForTheTimeoutThenFailsNamingTheRuleAndChangesNothing() {
    Async<Customer> a = holdATransactionOpen();
    boolean[] bodyRan = {false};
    Map<String, Executable> writes = new LinkedHashMap<>();
    writes.put("create", () -> store.create(new Customer(0, "erin@shop", 1)));
    writes.put("atomic", () -> store.atomic(() -> {
      bodyRan[0] = true;
      store.create(new Customer(0, "erin@shop", 1));
    }));
    writes.put("delete", () -> store.delete(d.carol()));
    writes.put("QuerySet.update", () -> store.objects(Order.class).update("total", 0));
    writes.put("bulkCreate", () -> store.bulkCreate(List.of(new Agent(0, "zed"))));
    List<Refusal> refusals = Async.call("B (second writer)", BOUND, () -> {
      List<Refusal> out = new ArrayList<>();
      for (Map.Entry<String, Executable> w : writes.entrySet()) {
        long t0 = System.nanoTime();
        StoreException e = assertThrows(StoreException.class, w.getValue(),
            w.getKey() + " did not fail while A held the writer");
        out.add(new Refusal(w.getKey(), e, (System.nanoTime() - t0) / 1_000_000));
      }
      return out;
    });
    assertFalse(a.isDone(), "A finished early; B's writes did not run against an open transaction");
    release.countDown();
    Customer dave = a.await(BOUND);

    for (Refusal r : refusals) {
      String m = r.error().getMessage();
      assertAll(r.write(),
          () -> assertEquals(StoreException.class, r.error().getClass(),
              "a timeout is not a constraint failure"),
          () -> assertTrue(m.contains("one writer at a time"), "rule not named: " + m),
          () -> assertTrue(m.contains("200 ms"), "timeout not named: " + m),
          () -> assertTrue(m.contains("writerTimeout"), "setting not named: " + m),
          () -> assertTrue(r.waitedMillis() >= 190, "gave up after " + r.waitedMillis() + " ms"),
          () -> assertTrue(r.waitedMillis() < 5_000, "waited " + r.waitedMillis() + " ms"));
    }
    assertFalse(bodyRan[0], "the body of a refused atomic ran");
    assertNull(store.objects(Customer.class).filter("email", "erin@shop").first());
    assertTrue(store.find(Customer.class, d.carol().id()).isPresent());
    assertEquals(1, store.count(Agent.class));
    assertEquals(List.of(d.o3().id()), store.objects(Order.class).valuesListFlat("id").flat());
    assertEquals(d.o3().total(), store.get(Order.class, d.o3().id()).total());
    assertEquals(dave.id() + 2, store.create(new Customer(0, "erin@shop", 1)).id(),
        "B's refused writes consumed keys (dave, then the sentinel, then erin)");
  }

  /** What a reader read, and how long it took. */
  record Read(Map<String, List<Record>> rows, List<Object> queries, long millis) {
  }

  private Read readEverything(Store s) {
    long t0 = System.nanoTime();
    List<Object> q = new ArrayList<>();
    q.add(s.getOrNull(Customer.class, d.alice().id()));
    q.add(s.count(Line.class));
    q.add(s.objects(Customer.class).filter("email", "dave@shop").exists());
    q.add(s.objects(Order.class).filter("customer__email", "alice@shop").count());
    q.add(s.objects(Customer.class).get("email", "bob@shop").credit());
    q.add(s.objects(Order.class).aggregate(Aggregate.sum("total")));
    q.add(s.objects(Line.class).values("order").annotate("n", Aggregate.count("id")).dicts());
    q.add(s.objects(Customer.class).annotate("n", Aggregate.count("orders")).filter("n", 2)
        .valuesListFlat("email").flat());
    q.add(s.related(d.alice(), Shop_Customer_.orders).list());
    q.add(s.related(d.alice(), Shop_Customer_.orders).stream().count());
    q.add(s.follow(d.o1(), Shop_Order_.customer));
    q.add(s.get(Note.class, d.n1().id()).order());
    List<Line> iterated = new ArrayList<>();
    s.objects(Line.class).iterator().forEachRemaining(iterated::add);
    q.add(iterated);
    q.add(Shop.rows(s.snapshot()));
    return new Read(Shop.rows(s), q, (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void readersDuringAnOpenTransactionReturnAtOnceWithTheCommittedState() {
    Read committed = readEverything(store);
    Async<Customer> a = holdATransactionOpen();
    List<Async<Read>> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      readers.add(Async.start("C" + i + " (reader)", () -> readEverything(store)));
    }
    for (Async<Read> c : readers) {
      Read r = c.await(BOUND);
      assertFalse(a.isDone(), "A's transaction closed before the readers finished");
      assertEquals(committed.rows(), r.rows(), "a reader saw the open transaction's writes");
      assertEquals(committed.queries(), r.queries(), "a reader saw the open transaction's writes");
      assertTrue(r.millis() < 5_000, "a reader took " + r.millis() + " ms");
    }
    release.countDown();
    a.await(BOUND);
    Read after = readEverything(store);
    assertFalse(committed.rows().equals(after.rows()), "A's commit is not visible");
  }

  @Test
  void aDryRunOnAnotherThreadDuringAnOpenTransactionDoesNotWaitForTheWriter() {
    DeletePlan committed = store.planDelete(d.alice());
    Async<Customer> a = holdATransactionOpen();
    DeletePlan onSnapshot = Async.call("C (plans on a snapshot)", BOUND,
        () -> store.snapshot().planDelete(d.alice()));
    assertEquals(committed.deletions(), onSnapshot.deletions(), "snapshot().planDelete");
    DeletePlan seen = Async.call("C (plans a delete)", BOUND, () -> {
      long t0 = System.nanoTime();
      try {
        return store.planDelete(d.alice());
      } catch (StoreException e) {
        return fail("planDelete, which writes nothing, waited "
            + (System.nanoTime() - t0) / 1_000_000 + " ms for A's open transaction and failed: "
            + e.getMessage(), e);
      }
    });
    assertFalse(a.isDone());
    assertEquals(committed.deletions(), seen.deletions(),
        "a dry run on another thread did not plan against the committed state");
  }

  @Test
  void abandonedLazyIteratorsBlockNoWriterAndKeepTheirState() {
    Iterator<Line> lines = store.objects(Line.class).iterator();
    assertEquals(d.l1(), lines.next());
    Iterator<Order> aliceOrders = store.related(d.alice(), Shop_Customer_.orders).iterator();
    assertEquals(d.o1(), aliceOrders.next());
    Iterator<Note> notes = store.objects(Note.class).filter("text__contains", "i").stream()
        .iterator();
    assertEquals(d.n1(), notes.next());
    Iterator<Order> streamed = store.related(d.alice(), Shop_Customer_.orders).stream().iterator();
    assertEquals(d.o1(), streamed.next());
    Async.call("reader that abandons", BOUND, () -> {
      Iterator<Customer> it = store.objects(Customer.class).iterator();
      return it.next();
    });

    Async.call("writer", BOUND, () -> store.atomic(() -> {
      store.delete(d.alice());
      store.objects(Line.class).update("qty", F.of("qty").plus(100));
      return store.create(new Customer(0, "dave@shop", 5));
    }));
    store.create(new Agent(0, "zed"));

    List<Object> rest = new ArrayList<>();
    lines.forEachRemaining(rest::add);
    aliceOrders.forEachRemaining(rest::add);
    notes.forEachRemaining(rest::add);
    streamed.forEachRemaining(rest::add);
    assertEquals(List.of(d.l2(), d.l3(), d.l4(), d.o2(), d.n3(), d.o2()), rest,
        "an iterator did not keep the state it was made on");
    assertEquals(104, store.get(Line.class, d.l4().id()).qty());
  }

  @Test
  void snapshotReadsStayOnTheirStateAfterLaterCommits() {
    Store snap = store.snapshot();
    assertTrue(snap.isSnapshot());
    assertFalse(store.isSnapshot());
    Read before = readEverything(snap);
    assertEquals(readEverything(store).queries(), before.queries());

    store.atomic(() -> {
      store.create(new Customer(0, "dave@shop", 5));
      store.delete(d.alice());
      store.update(new Customer(d.bob().id(), "bob@shop", 77));
    });
    Async.call("writer", BOUND, () -> store.objects(Note.class).update("text", "rewritten"));

    Read later = readEverything(snap);
    assertEquals(before.rows(), later.rows(), "a snapshot moved with later commits");
    assertEquals(before.queries(), later.queries(), "a snapshot moved with later commits");
    assertEquals(before.rows(), Async.call("reader", BOUND, () -> Shop.rows(snap)));
    assertFalse(before.rows().equals(shop.rows()), "the commits are not visible on the store");
  }

  @Test
  void aSnapshotTakenInsideATransactionKeepsTheStateOfThatMoment() {
    Store[] snap = new Store[1];
    Map<String, List<Record>> atSnapshot = store.atomic(() -> {
      store.create(new Customer(0, "dave@shop", 5));
      snap[0] = store.snapshot();
      Map<String, List<Record>> rows = shop.rows();
      store.delete(d.alice());
      assertEquals(rows, Shop.rows(snap[0]), "the snapshot moved with the transaction's writes");
      return rows;
    });
    assertEquals(atSnapshot, Shop.rows(snap[0]));
  }

  @Test
  void writesOnASnapshotThrowAndChangeNothing() {
    Store snap = store.snapshot();
    Map<String, List<Record>> before = shop.rows();
    boolean[] bodyRan = {false};
    Map<String, Executable> writes = new LinkedHashMap<>();
    writes.put("create", () -> snap.create(new Agent(0, "zed")));
    writes.put("bulkCreate", () -> snap.bulkCreate(List.of(new Agent(0, "zed"))));
    writes.put("save (insert)", () -> snap.save(new Agent(0, "zed")));
    writes.put("save (update)", () -> snap.save(new Agent(d.g1().id(), "renamed")));
    writes.put("update", () -> snap.update(new Agent(d.g1().id(), "renamed")));
    writes.put("delete", () -> snap.delete(d.alice()));
    writes.put("deleteAll", () -> snap.deleteAll(Agent.class, d.g1().id()));
    writes.put("atomic", () -> snap.atomic(() -> {
      bodyRan[0] = true;
    }));
    writes.put("QuerySet.update", () -> snap.objects(Agent.class).update("name", "renamed"));
    writes.put("QuerySet.delete", () -> snap.objects(Agent.class).delete());
    writes.put("getOrCreate", () -> snap.objects(Agent.class)
        .getOrCreate(Q.of("name", "zed"), () -> new Agent(0, "zed")));
    writes.put("updateOrCreate", () -> snap.objects(Agent.class)
        .updateOrCreate(Q.of("name", "ann"), Map.of("name", "renamed"), () -> new Agent(0, "x")));
    List<Executable> checks = new ArrayList<>();
    for (Map.Entry<String, Executable> w : writes.entrySet()) {
      checks.add(() -> {
        StoreException e = assertThrows(StoreException.class, w.getValue(), w.getKey());
        assertTrue(e.getMessage().contains("read-only snapshot"), w.getKey() + ": " + e);
      });
    }
    assertAll("writes on a snapshot", checks.stream());
    assertFalse(bodyRan[0], "the body of atomic ran on a snapshot");
    assertEquals(before, Shop.rows(snap));
    assertEquals(before, shop.rows());
  }

  @Test
  void aSnapshotStillAnswersADryRunAgainstItsOwnState() {
    Store snap = store.snapshot();
    store.delete(d.alice());
    DeletePlan p = snap.planDelete(d.alice());
    assertEquals(List.of(d.alice()), p.roots());
    assertEquals(List.of(d.o1(), d.o2()), p.deletions().get("Order"));
    assertEquals(List.of(d.l1(), d.l2(), d.l3()), p.deletions().get("Line"));
  }
}
