package io.relstore.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.IntegrityError;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.tx.Shop.Agent;
import io.relstore.tx.Shop.Customer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code store.onCommit(callback)} (Django's {@code transaction.on_commit}): after a successful
 * commit only, in registration order, once the commit is visible to every thread and the writer
 * is free; at once outside a transaction; a callback that throws ends the run of callbacks and
 * propagates from {@code atomic} without undoing the commit.
 */
class OnCommitTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  Shop shop;
  Store store;
  Shop.Data d;
  final List<String> callbacks = new CopyOnWriteArrayList<>();

  @BeforeEach
  void openShop() {
    shop = Shop.open(Duration.ofMillis(200));   // a writer that has to wait fails fast
    store = shop.store;
    d = shop.data;
  }

  private boolean customerExists(String email) {
    return store.objects(Customer.class).filter("email", email).exists();
  }

  @Test
  void callbacksRunAfterTheCommitOnlyAndInRegistrationOrder() {
    String result = store.atomic(() -> {
      store.onCommit(() -> callbacks.add("1"));
      store.create(new Customer(0, "dave@shop", 5));
      store.onCommit(() -> callbacks.add("2"));
      store.atomic(() -> store.onCommit(() -> callbacks.add("3 (nested)")));
      store.onCommit(() -> callbacks.add("4"));
      assertEquals(List.of(), callbacks, "a callback ran inside the transaction");
      return "body result";
    });
    assertEquals("body result", result);
    assertEquals(List.of("1", "2", "3 (nested)", "4"), callbacks);
  }

  /** What the callbacks of one commit observed. */
  record Observed(boolean sameThreadWriteCommitted, boolean otherThreadSawTheCommit,
      boolean otherThreadSawTheFirstCallbacksWrite, boolean otherThreadCouldWrite,
      boolean nestedRegistrationRanAtOnce) {
  }

  @Test
  void callbacksRunOnceTheCommitIsVisibleAndTheWriterIsFree() {
    boolean[] seen = new boolean[5];
    store.atomic(() -> {
      store.create(new Customer(0, "dave@shop", 5));
      store.onCommit(() -> {
        store.create(new Agent(0, "by a callback"));
        seen[0] = Async.call("checker", BOUND,
            () -> store.objects(Agent.class).filter("name", "by a callback").exists());
        store.onCommit(() -> seen[4] = true);
        seen[4] &= callbacks.isEmpty();
        callbacks.add("same-thread writer");
      });
      store.onCommit(() -> {
        boolean[] other = Async.call("other thread", BOUND, () -> new boolean[] {
            customerExists("dave@shop"),
            store.objects(Agent.class).filter("name", "by a callback").exists(),
            writes(() -> store.create(new Agent(0, "by another thread")))});
        seen[1] = other[0];
        seen[2] = other[1];
        seen[3] = other[2];
        callbacks.add("other-thread reader and writer");
      });
    });
    assertEquals(new Observed(true, true, true, true, true),
        new Observed(seen[0], seen[1], seen[2], seen[3], seen[4]));
    assertEquals(List.of("same-thread writer", "other-thread reader and writer"), callbacks);
    assertEquals(3, store.count(Agent.class));
  }

  /** Whether the write went through (false if it timed out waiting for the writer). */
  private static boolean writes(Runnable write) {
    try {
      write.run();
      return true;
    } catch (StoreException e) {
      return false;
    }
  }

  @Test
  void outsideATransactionACallbackRunsAtOnce() {
    store.onCommit(() -> callbacks.add("at once"));
    assertEquals(List.of("at once"), callbacks);
  }

  @Test
  void aThreadWithoutATransactionRunsItsCallbackAtOnceWhileAnotherThreadsTransactionIsOpen() {
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Async<Void> writer = Async.run("writer", () -> store.atomic(() -> {
      store.create(new Customer(0, "dave@shop", 5));
      store.onCommit(() -> callbacks.add("writer's"));
      open.countDown();
      Async.awaitLatch(release, BOUND, "the writer was never released");
    }));
    try {
      Async.awaitLatch(open, BOUND, "the writer never opened its transaction");
      Async.call("bystander", BOUND, () -> {
        store.onCommit(() -> callbacks.add("bystander's"));
        return null;
      });
      assertEquals(List.of("bystander's"), callbacks,
          "a thread outside any transaction had its callback attached to another's");
    } finally {
      release.countDown();
    }
    writer.await(BOUND);
    assertEquals(List.of("bystander's", "writer's"), callbacks);
  }

  @Test
  void aCallbackThatThrowsPropagatesFromAtomicTheCommitStandsAndLaterCallbacksAreSkipped() {
    IllegalStateException failure = new IllegalStateException("callback failed");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> store.atomic(
        () -> {
          store.create(new Customer(0, "dave@shop", 5));
          store.onCommit(() -> callbacks.add("before the failure"));
          store.onCommit(() -> {
            throw failure;
          });
          store.onCommit(() -> callbacks.add("after the failure"));
        }));
    assertSame(failure, thrown);
    assertEquals(List.of("before the failure"), callbacks);
    assertTrue(customerExists("dave@shop"), "the commit was undone by a failing callback");
    assertTrue(Async.call("other thread", BOUND, () -> {
      store.create(new Agent(0, "zed"));
      return customerExists("dave@shop");
    }), "another thread does not see the commit, or cannot write after a failing callback");

    store.atomic(() -> store.onCommit(() -> callbacks.add("next transaction")));
    assertEquals(List.of("before the failure", "next transaction"), callbacks,
        "the skipped callback ran with the next transaction");
  }

  @Test
  void aTransactionWhoseCommitCheckFailsRunsNoCallback() {
    assertThrows(IntegrityError.class, () -> store.atomic(() -> {
      store.onCommit(() -> callbacks.add("never"));
      store.delete(d.carol());             // her DO_NOTHING audit is left dangling
    }));
    assertEquals(List.of(), callbacks);
    assertFalse(customerExists("sentinel-1@shop"));
  }

  @Test
  void aCallbackRegisteredDuringASingleWriteRunsAfterThatWriteCommits() {
    boolean[] aliceGoneInCallback = {false};
    shop.supplierHook.set(st -> st.onCommit(() -> {
      aliceGoneInCallback[0] = Async.call("reader", BOUND,
          () -> store.getOrNull(Customer.class, d.alice().id()) == null);
      callbacks.add("after the delete");
    }));
    store.delete(d.alice());
    assertEquals(List.of("after the delete"), callbacks);
    assertTrue(aliceGoneInCallback[0], "the callback ran before the delete was visible");
  }
}
