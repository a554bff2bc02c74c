package io.relstore.tx;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.DeletePlan;
import io.relstore.F;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.Q;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.StoreInvariants;
import io.relstore.ValidationError;
import io.relstore.tx.Shop.Agent;
import io.relstore.tx.Shop.Customer;
import io.relstore.tx.Shop.Line;
import io.relstore.tx.Shop.Order;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Savepoints: a nested {@code atomic} and every single write inside a transaction. When one
 * throws, exactly its own work is undone (rows, cascades, SET-supplier sentinels, consumed keys,
 * onCommit callbacks) and the enclosing block goes on; when it succeeds, its work lives or dies
 * with the enclosing transaction.
 */
class SavepointTest {
  Shop shop;
  Store store;
  Shop.Data d;
  final List<String> callbacks = new CopyOnWriteArrayList<>();

  @BeforeEach
  void openShop() {
    shop = Shop.open();
    store = shop.store;
    d = shop.data;
  }

  /** {@code rows} with {@code added} appended to their models (new keys sort last). */
  private static Map<String, List<Record>> plus(Map<String, List<Record>> rows, Record... added) {
    Map<String, List<Record>> out = new LinkedHashMap<>();
    rows.forEach((model, list) -> out.put(model, new ArrayList<>(list)));
    for (Record r : added) {
      out.get(r.getClass().getSimpleName()).add(r);
    }
    return out;
  }

  @Test
  void aFailedNestedBlockRollsBackOnlyItselfAndTheOuterBlockCommitsTheRest() {
    Map<String, List<Record>> before = shop.rows();
    IllegalStateException boom = new IllegalStateException("inner failure");
    Customer[] dave = new Customer[1];
    Order[] order = new Order[1];
    store.atomic(() -> {
      dave[0] = store.create(new Customer(0, "dave@shop", 5));
      Map<String, List<Record>> beforeInner = shop.rows();
      assertSame(boom, assertThrows(IllegalStateException.class, () -> store.atomic(() -> {
        store.create(new Agent(0, "zed"));
        store.update(new Customer(d.bob().id(), "bob@shop", 1));
        store.delete(d.alice());
        store.objects(Line.class).update("qty", F.of("qty").plus(10));
        store.onCommit(() -> callbacks.add("inner"));
        assertEquals(0, store.related(d.o1(), Shop_Order_.lines).count());
        throw boom;
      })));
      assertEquals(beforeInner, shop.rows(), "the failed inner block left writes behind");
      assertEquals(2, store.related(d.o1(), Shop_Order_.lines).count());
      order[0] = store.create(new Order(0, dave[0].id(), 7));
      store.onCommit(() -> callbacks.add("outer"));
    });
    assertEquals(plus(before, dave[0], order[0]), shop.rows());
    assertEquals(List.of("outer"), callbacks);
    assertEquals(d.carol().id() + 1, dave[0].id());
    assertEquals(d.o3().id() + 1, order[0].id());
    assertEquals(d.g1().id() + 1, store.create(new Agent(0, "yan")).id(),
        "the agent created by the rolled-back block consumed a key");
    assertEquals(dave[0].id() + 1, store.create(new Customer(0, "erin@shop", 1)).id(),
        "the sentinel created by the rolled-back delete consumed a key");
  }

  @Test
  void aNestedBlockThatSucceededIsUndoneWhenTheOuterBlockFails() {
    Map<String, List<Record>> before = shop.rows();
    assertThrows(IllegalStateException.class, () -> store.atomic(() -> {
      store.create(new Customer(0, "dave@shop", 5));
      store.atomic(() -> {
        store.create(new Agent(0, "zed"));
        store.delete(d.alice());
        store.onCommit(() -> callbacks.add("inner"));
      });
      assertEquals(2, store.count(Agent.class), "the released savepoint's writes are not visible");
      assertEquals(List.of(), callbacks, "a released savepoint ran its callback before the commit");
      throw new IllegalStateException("outer failure");
    }));
    assertEquals(before, shop.rows());
    assertEquals(List.of(), callbacks);
    StoreInvariants.check(store);
  }

  /**
   * Three levels; each writes an agent "L-before", opens the next level, writes "L-after" and
   * registers a callback; level 2 also updates bob, level 3 also deletes alice (cascade and SET
   * supplier). The failing level throws at its end, and its parent catches (level 1's failure
   * leaves the transaction).
   */
  @ParameterizedTest(name = "failing level {0} (0: none)")
  @ValueSource(ints = {0, 1, 2, 3})
  void threeLevelsDeepEachLevelKeepsOrLosesExactlyItsOwnSubtree(int failing) {
    Map<String, List<Record>> before = shop.rows();
    Runnable[] level = new Runnable[4];
    for (int l = 3; l >= 1; l--) {
      int lv = l;
      level[l] = () -> {
        store.onCommit(() -> callbacks.add("level " + lv));
        store.create(new Agent(0, lv + "-before"));
        if (lv == 2) {
          store.update(new Customer(d.bob().id(), "bob@shop", 21));
        }
        if (lv == 3) {
          store.delete(d.alice());
        }
        if (lv < 3) {
          if (failing == lv + 1) {
            assertThrows(IllegalStateException.class, () -> store.atomic(level[lv + 1]));
          } else {
            store.atomic(level[lv + 1]);
          }
        }
        store.create(new Agent(0, lv + "-after"));
        if (failing == lv) {
          throw new IllegalStateException("level " + lv + " fails");
        }
      };
    }
    if (failing == 1) {
      assertThrows(IllegalStateException.class, () -> store.atomic(level[1]));
      assertEquals(before, shop.rows());
      assertEquals(List.of(), callbacks);
      return;
    }
    store.atomic(level[1]);
    List<String> agents = new ArrayList<>(List.of("ann"));
    List<String> ran = new ArrayList<>();
    int survivors = failing == 0 ? 3 : failing - 1;
    for (int l = 1; l <= survivors; l++) {
      agents.add(l + "-before");
      ran.add("level " + l);
    }
    for (int l = survivors; l >= 1; l--) {
      agents.add(l + "-after");
    }
    List<Long> expectedKeys = new ArrayList<>();
    for (long k = 1; k <= agents.size(); k++) {
      expectedKeys.add(k);
    }
    List<Long> keys = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Agent a : store.all(Agent.class)) {
      keys.add(a.id());
      names.add(a.name());
    }
    assertAll(
        () -> assertEquals(agents, names, "agents left by the surviving levels, in key order"),
        () -> assertEquals(expectedKeys, keys, "rolled-back levels consumed agent keys"),
        () -> assertEquals(ran, callbacks, "callbacks of the surviving levels, in order"),
        () -> assertEquals(survivors >= 2 ? 21 : 20,
            store.get(Customer.class, d.bob().id()).credit()),
        () -> assertEquals(survivors < 3, store.find(Customer.class, d.alice().id()).isPresent()),
        () -> assertEquals(3, store.count(Customer.class),
            "alice's deletion adds a sentinel: 3 customers either way"),
        () -> assertEquals(survivors < 3 ? 4 : 1, store.count(Line.class)));
  }

  /** A single write that fails inside a transaction after doing part of its work. */
  enum FailingWrite {
    /** create with a taken @Unique email: a key is allocated before the unique check fails. */
    CREATE_WITH_A_TAKEN_EMAIL(IntegrityError.class,
        s -> s.store.create(new Customer(0, "bob@shop", 1))),
    /** bulkCreate whose third row is a duplicate: the first two are inserted, then undone. */
    BULK_CREATE_WITH_A_DUPLICATE_LAST(IntegrityError.class,
        s -> s.store.bulkCreate(List.of(new Customer(0, "x@shop", 1),
            new Customer(0, "y@shop", 1), new Customer(0, "alice@shop", 1)))),
    /** QuerySet.update giving every customer one email: the first row changes, the second fails. */
    QUERYSET_UPDATE_TO_ONE_EMAIL(IntegrityError.class,
        s -> s.store.objects(Customer.class).update("email", "same@shop", "credit", 0)),
    /** update with a too-long email. */
    UPDATE_BREAKING_MAX_LENGTH(ValidationError.class,
        s -> s.store.update(new Customer(s.data.bob().id(), "b".repeat(61), 20))),
    /**
     * delete bob: his order and lines are collected, the SET supplier of his ticket creates a
     * sentinel, then PROTECT (hold h1) refuses the delete.
     */
    DELETE_REFUSED_BY_PROTECT(ProtectedError.class, s -> s.store.delete(s.data.bob())),
    /** The same refusal through QuerySet.delete. */
    QUERYSET_DELETE_REFUSED_BY_PROTECT(ProtectedError.class,
        s -> s.store.objects(Customer.class).filter("email__startswith", "b").delete()),
    /** getOrCreate whose factory builds a duplicate. */
    GET_OR_CREATE_OF_A_DUPLICATE(IntegrityError.class,
        s -> s.store.objects(Customer.class).getOrCreate(Q.of("email", "nobody@shop"),
            () -> new Customer(0, "carol@shop", 1)));

    final Class<? extends StoreException> error;
    final java.util.function.Consumer<Shop> write;

    FailingWrite(Class<? extends StoreException> error, java.util.function.Consumer<Shop> write) {
      this.error = error;
      this.write = write;
    }
  }

  @ParameterizedTest
  @EnumSource(FailingWrite.class)
  void aFailedSingleWriteCaughtInsideAtomicLeavesNoTraceAndTheRestCommits(FailingWrite failing) {
    Map<String, List<Record>> before = shop.rows();
    shop.supplierHook.set(st -> st.onCommit(() -> callbacks.add("registered by the supplier")));
    Customer[] kept = new Customer[2];
    store.atomic(() -> {
      kept[0] = store.create(new Customer(0, "dave@shop", 5));
      Map<String, List<Record>> beforeWrite = shop.rows();
      StoreException e = assertThrows(StoreException.class, () -> failing.write.accept(shop));
      assertInstanceOf(failing.error, e);
      assertEquals(beforeWrite, shop.rows(), "the failed write left partial work in the"
          + " transaction");
      kept[1] = store.create(new Customer(0, "erin@shop", 6));
      assertEquals(kept[0].id() + 1, kept[1].id(),
          "the failed write consumed a Customer key: erin did not get the key after dave's");
    });
    assertEquals(plus(before, kept[0], kept[1]), shop.rows());
    assertEquals(List.of(), callbacks, "a callback registered inside the failed write ran");
    if (failing.name().contains("PROTECT")) {
      assertEquals(1, shop.supplierCalls.get(), "the SET supplier should have run before PROTECT");
    }
  }

  @Test
  void onCommitOfARolledBackSavepointNeverRunsOneOfAReleasedSavepointRunsAfterTheOuterCommit() {
    shop.supplierHook.set(st -> st.onCommit(() -> callbacks.add("supplier of a refused delete")));
    store.atomic(() -> {
      store.onCommit(() -> callbacks.add("outer 1"));
      store.atomic(() -> store.onCommit(() -> callbacks.add("released")));
      assertEquals(List.of(), callbacks, "the released savepoint's callback ran at its release");
      assertThrows(IllegalStateException.class, () -> store.atomic(() -> {
        store.onCommit(() -> callbacks.add("rolled back"));
        store.atomic(() -> store.onCommit(() -> callbacks.add("released inside rolled back")));
        throw new IllegalStateException("boom");
      }));
      assertThrows(ProtectedError.class, () -> store.delete(d.bob()));
      store.onCommit(() -> callbacks.add("outer 2"));
      assertEquals(List.of(), callbacks);
    });
    assertEquals(List.of("outer 1", "released", "outer 2"), callbacks);
  }

  @Test
  void planDeleteInsideAtomicSeesTheTransactionsWritesAndChangesNothing() {
    Map<String, List<Record>> before = shop.rows();
    shop.supplierHook.set(st -> st.onCommit(() -> callbacks.add("supplier of a dry run")));
    Customer[] kept = new Customer[2];
    Order[] order = new Order[1];
    store.atomic(() -> {
      kept[0] = store.create(new Customer(0, "dave@shop", 5));
      order[0] = store.create(new Order(0, d.alice().id(), 1));
      Map<String, List<Record>> beforePlans = shop.rows();

      DeletePlan alice = store.planDelete(d.alice());
      assertTrue(alice.allowed());
      assertEquals(List.of(d.o1(), d.o2(), order[0]), alice.deletions().get("Order"),
          "the plan does not see the order the transaction created");
      assertEquals(1, shop.supplierCalls.get(), "the dry run did not run the SET supplier");
      DeletePlan bob = store.objects(Customer.class).filter("email", "bob@shop").planDelete();
      assertFalse(bob.allowed());
      assertEquals(1, bob.protectedBy().size());
      DeletePlan all = store.planDeleteAll(Customer.class, d.alice().id(), d.carol().id());
      assertEquals(2, all.deletions().get("Customer").size());

      assertEquals(beforePlans, shop.rows(), "a plan left rows (a sentinel?) in the transaction");
      kept[1] = store.create(new Customer(0, "erin@shop", 6));
      assertEquals(kept[0].id() + 1, kept[1].id(), "a dry run consumed a Customer key");
    });
    assertEquals(plus(before, kept[0], order[0], kept[1]), shop.rows());
    assertEquals(List.of(), callbacks, "a callback registered during a dry run ran");
    assertEquals(3, shop.supplierCalls.get());
  }

  /** Throws a checked exception through a signature that declares none (as Lombok or Kotlin do). */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** A nested block whose exception the outer block catches, and what the outer block saw. */
  record Caught(@Nullable Throwable exception, Map<String, List<Record>> rowsAfterCatch) {
  }

  @Test
  void aCheckedExceptionThrownFromANestedBlockRollsItBackLikeAnUncheckedOne() {
    Map<String, List<Record>> before = shop.rows();
    Supplier<Caught> outer = () -> {
      Throwable caught = null;
      try {
        store.atomic(() -> {
          store.create(new Agent(0, "zed"));
          store.delete(d.alice());
          store.onCommit(() -> callbacks.add("inner"));
          throw sneaky(new IOException("disk full"));
        });
      } catch (Exception e) {
        caught = e;
      }
      return new Caught(caught, shop.rows());
    };
    Caught seen = store.atomic(outer);
    assertInstanceOf(IOException.class, seen.exception());
    assertAll(
        () -> assertEquals(before, seen.rowsAfterCatch(),
            "after the nested block threw, its writes were still in the transaction"),
        () -> assertEquals(before, shop.rows(),
            "the writes of a nested block that threw a checked exception were committed"),
        () -> assertEquals(List.of(), callbacks,
            "the callback of a nested block that threw a checked exception ran"));
    StoreInvariants.check(store);
  }
}
