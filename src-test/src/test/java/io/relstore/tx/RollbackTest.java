package io.relstore.tx;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.DeleteResult;
import io.relstore.F;
import io.relstore.IntegrityError;
import io.relstore.Q;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.tx.Shop.Agent;
import io.relstore.tx.Shop.Audit;
import io.relstore.tx.Shop.Customer;
import io.relstore.tx.Shop.Hold;
import io.relstore.tx.Shop.Line;
import io.relstore.tx.Shop.Note;
import io.relstore.tx.Shop.Order;
import io.relstore.tx.Shop.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code store.atomic(...)} is all or nothing across every model: a scripted transaction that
 * touches all of {@link Shop}'s models and on_delete rules is cut after each of its steps by an
 * exception, and each time the store must be exactly as before (every row of every model, the
 * invariants, no onCommit callback, no key consumed). Failures that happen inside the machinery
 * (a SET supplier, the foreign-key check at commit) must roll back just as completely, and the
 * transaction's own reads see its writes while another thread still sees the committed state.
 */
class RollbackTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

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

  /** One step of the script: what it does, and how its own transaction can tell it happened. */
  record Step(String description, Runnable apply, BooleanSupplier visible) {
  }

  private Customer dave() {
    return store.objects(Customer.class).get("email", "dave@shop");
  }

  private List<Step> script() {
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("create Customer dave",
        () -> store.create(new Customer(0, "dave@shop", 5)),
        () -> store.objects(Customer.class).filter("email", "dave@shop").count() == 1));
    steps.add(new Step("create an Order for dave and bulkCreate two Lines on it",
        () -> {
          Order o = store.create(new Order(0, dave().id(), 0));
          store.bulkCreate(List.of(new Line(0, o.id(), "plum", 5), new Line(0, o.id(), "lime", 6)));
        },
        () -> store.related(dave(), Shop_Customer_.orders).count() == 1
            && store.objects(Line.class).filter("order__customer__email", "dave@shop").count() == 2));
    steps.add(new Step("create Agent zed",
        () -> store.create(new Agent(0, "zed")),
        () -> store.count(Agent.class) == 2));
    steps.add(new Step("update alice's credit to 99",
        () -> store.update(new Customer(d.alice().id(), "alice@shop", 99)),
        () -> store.get(Customer.class, d.alice().id()).credit() == 99));
    steps.add(new Step("QuerySet.update: alice's order totals + 5 through F",
        () -> assertEquals(2, store.objects(Order.class).filter("customer", d.alice().id())
            .update("total", F.of("total").plus(5))),
        () -> store.get(Order.class, d.o1().id()).total() == 105
            && store.objects(Order.class).filter("total", 55).exists()));
    steps.add(new Step("save: re-point Note n4 at dave's order",
        () -> store.save(new Note(d.n4().id(),
            store.objects(Order.class).get("customer__email", "dave@shop").id(), "loose")),
        () -> dave().equals(store.follow(store.follow(store.get(Note.class, d.n4().id()),
            Shop_Note_.order), Shop_Order_.customer))));
    steps.add(new Step("onCommit: register the first callback",
        () -> store.onCommit(() -> callbacks.add("first")),
        () -> true));
    steps.add(new Step("delete alice: CASCADE her 2 orders and 3 lines, SET_NULL notes n1 n2,"
        + " SET her ticket to a sentinel the supplier creates",
        () -> assertEquals(new DeleteResult(6, Map.of("Customer", 1, "Order", 2, "Line", 3)),
            store.delete(d.alice())),
        () -> store.getOrNull(Customer.class, d.alice().id()) == null
            && store.related(d.o1(), Shop_Order_.lines).count() == 0
            && store.get(Note.class, d.n1().id()).order() == null
            && store.get(Note.class, d.n2().id()).order() == null
            && store.follow(store.get(Ticket.class, d.t1().id()), Shop_Ticket_.customer).email()
                .startsWith("sentinel-")
            && store.count(Line.class) == 3));
    steps.add(new Step("QuerySet.delete: the lines of quantity 5 or more",
        () -> assertEquals(new DeleteResult(2, Map.of("Line", 2)),
            store.objects(Line.class).filter("qty__gte", 5).delete()),
        () -> store.count(Line.class) == 1));
    steps.add(new Step("getOrCreate Agent bea",
        () -> assertTrue(store.objects(Agent.class)
            .getOrCreate(Q.of("name", "bea"), () -> new Agent(0, "bea")).created()),
        () -> store.objects(Agent.class).filter("name", "bea").exists()));
    steps.add(new Step("save: move order o3 from bob to dave",
        () -> store.save(new Order(d.o3().id(), dave().id(), 70)),
        () -> store.related(d.bob(), Shop_Customer_.orders).count() == 0
            && store.related(dave(), Shop_Customer_.orders).count() == 2
            && store.objects(Order.class).filter("customer__email", "dave@shop").count() == 2));
    steps.add(new Step("deleteAll: ticket t2",
        () -> assertEquals(1, store.deleteAll(Ticket.class, d.t2().id()).total()),
        () -> store.count(Ticket.class) == 1));
    steps.add(new Step("onCommit: register the second callback",
        () -> store.onCommit(() -> callbacks.add("second")),
        () -> true));
    steps.add(new Step("nested atomic: a Hold on dave",
        () -> store.atomic(() -> store.create(new Hold(0, dave().id()))),
        () -> store.related(dave(), Shop_Customer_.holds).count() == 1));
    return steps;
  }

  @Test
  void everyPrefixOfTheScriptCutByAnExceptionLeavesTheStoreExactlyAsItWas() {
    Map<String, List<Record>> before = shop.rows();
    List<Step> steps = script();
    for (int k = 0; k <= steps.size(); k++) {
      int cut = k;
      IllegalStateException boom = new IllegalStateException("boom after step " + k);
      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> store.atomic(() -> {
            for (int i = 0; i < cut; i++) {
              Step step = steps.get(i);
              step.apply().run();
              assertTrue(step.visible().getAsBoolean(), "inside the transaction, step " + (i + 1)
                  + " (" + step.description() + ") is not visible to the transaction's own reads");
              assertEquals(List.of(), callbacks, "an onCommit callback ran before the commit");
            }
            if (cut > 0) {
              assertNotEquals(before, shop.rows(), "steps 1.." + cut + " changed nothing");
            }
            throw boom;
          }));
      assertSame(boom, thrown, "atomic must rethrow the body's own exception");
      String after = "after an exception following step " + k
          + (k == 0 ? "" : " (" + steps.get(k - 1).description() + ")");
      assertEquals(before, shop.rows(), after + " the rows differ from before the transaction");
      StoreInvariants.check(store);
      assertEquals(List.of(), callbacks, after + " onCommit callbacks ran");
    }

    store.atomic(() -> steps.forEach(step -> step.apply().run()));
    assertEquals(List.of("first", "second"), callbacks);
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    shop.rows().forEach((model, rows) -> counts.put(model, rows.size()));
    assertEquals(Map.of("Customer", 4, "Order", 2, "Line", 1, "Note", 4, "Ticket", 1, "Audit", 1,
        "Hold", 2, "Agent", 3), counts, "the committed script left other rows than it should");
    long carol = d.carol().id();
    assertEquals(carol + 1, dave().id(),
        "the rolled-back runs consumed keys: dave should get the key after carol's");
    assertEquals(List.of("dave@shop", "sentinel-" + shop.supplierCalls.get() + "@shop"),
        store.objects(Customer.class).filter("id__gt", carol).valuesListFlat("email").flat());
    assertEquals(carol + 2, store.get(Ticket.class, d.t1().id()).customer(),
        "the sentinel should get the key after dave's");
    assertEquals("the writer is free after the rollbacks and the commit", Async.call("writer",
        BOUND, () -> {
          store.create(new Agent(0, "probe"));
          return "the writer is free after the rollbacks and the commit";
        }));
  }

  @Test
  void anExceptionInsideASetSupplierInTheMiddleOfACascadeRollsBackTheWholeTransaction() {
    Map<String, List<Record>> before = shop.rows();
    IllegalStateException failure = new IllegalStateException("supplier failed");
    shop.supplierFailure.set(failure);
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> store.atomic(() -> {
          store.create(new Customer(0, "dave@shop", 5));
          store.objects(Order.class).update("total", F.of("total").times(2));
          store.onCommit(() -> callbacks.add("never"));
          store.delete(d.alice());       // orders collected, then the supplier creates and throws
        }));
    assertSame(failure, thrown);
    assertEquals(1, shop.supplierCalls.get(), "the SET supplier never ran");
    assertEquals(before, shop.rows(), "the sentinel, dave or the doubled totals survived");
    assertEquals(List.of(), callbacks);
    StoreInvariants.check(store);

    shop.supplierFailure.set(null);
    Customer next = store.create(new Customer(0, "erin@shop", 1));
    assertEquals(d.carol().id() + 1, next.id(), "the failed transaction consumed keys");
  }

  @Test
  void anExceptionInsideASetSupplierFailsATopLevelDeleteWithoutATrace() {
    Map<String, List<Record>> before = shop.rows();
    IllegalStateException failure = new IllegalStateException("supplier failed");
    shop.supplierFailure.set(failure);
    assertSame(failure, assertThrows(IllegalStateException.class, () -> store.delete(d.alice())));
    assertEquals(1, shop.supplierCalls.get());
    assertEquals(before, shop.rows());
    StoreInvariants.check(store);
  }

  @Test
  void anExceptionInABlockThatRegisteredCallbacksRunsNoneOfThemNowOrLater() {
    Map<String, List<Record>> before = shop.rows();
    assertThrows(IllegalStateException.class, () -> store.atomic(() -> {
      store.onCommit(() -> callbacks.add("outer"));
      store.create(new Agent(0, "zed"));
      store.atomic(() -> store.onCommit(() -> callbacks.add("released savepoint")));
      store.onCommit(() -> callbacks.add("last"));
      throw new IllegalStateException("boom");
    }));
    assertEquals(List.of(), callbacks);
    assertEquals(before, shop.rows());

    store.atomic(() -> {
      store.create(new Agent(0, "yan"));
      store.onCommit(() -> callbacks.add("next transaction"));
    });
    assertEquals(List.of("next transaction"), callbacks,
        "callbacks of the rolled-back transaction leaked into the next one");
  }

  @Test
  void aDoNothingReferenceLeftDanglingFailsTheCommitAndRollsBackEveryWrite() {
    Map<String, List<Record>> before = shop.rows();
    IntegrityError e = assertThrows(IntegrityError.class, () -> store.atomic(() -> {
      store.create(new Customer(0, "dave@shop", 5));
      store.update(new Customer(d.bob().id(), "bob@shop", 77));
      store.objects(Note.class).update("text", "rewritten");
      store.onCommit(() -> callbacks.add("never"));
      assertEquals(new DeleteResult(1, Map.of("Customer", 1)), store.delete(d.carol()));
      assertNull(store.getOrNull(Customer.class, d.carol().id()),
          "the transaction should see carol deleted until the commit check");
    }));
    assertTrue(e.getMessage().startsWith("FOREIGN KEY constraint failed"), e.getMessage());
    assertTrue(e.getMessage().contains("Audit"), e.getMessage());
    assertEquals(before, shop.rows());
    assertEquals(List.of(), callbacks);
    StoreInvariants.check(store);
  }

  @Test
  void aDoNothingReferenceLeftDanglingFailsATopLevelDelete() {
    Map<String, List<Record>> before = shop.rows();
    assertThrows(IntegrityError.class, () -> store.delete(d.carol()));
    assertEquals(before, shop.rows());
  }

  @Test
  void aForeignKeyWrittenToARowThatTheSameTransactionDeletesLaterFailsTheCommit() {
    Map<String, List<Record>> before = shop.rows();
    IntegrityError created = assertThrows(IntegrityError.class, () -> store.atomic(() -> {
      Customer dave = store.create(new Customer(0, "dave@shop", 5));
      store.create(new Audit(0, dave.id(), "signup"));
      store.create(new Order(0, dave.id(), 12));
      store.delete(dave);
    }));
    assertTrue(created.getMessage().startsWith("FOREIGN KEY constraint failed"),
        created.getMessage());
    assertEquals(before, shop.rows());

    IntegrityError repointed = assertThrows(IntegrityError.class, () -> store.atomic(() -> {
      store.save(new Audit(d.a1().id(), d.alice().id(), "login"));
      store.delete(d.alice());
    }));
    assertTrue(repointed.getMessage().startsWith("FOREIGN KEY constraint failed"),
        repointed.getMessage());
    assertEquals(before, shop.rows());
    StoreInvariants.check(store);
  }

  /** How the transaction that deletes carol deals with her DO_NOTHING audit a1. */
  enum AuditFix {
    DELETE_IT_FIRST, DELETE_IT_AFTER_CAROL, REPOINT_IT_AT_BOB, NULL_IT_THROUGH_A_QUERYSET
  }

  @ParameterizedTest
  @EnumSource(AuditFix.class)
  void theSameTransactionThatAlsoDealsWithTheDanglingChildCommits(AuditFix fix) {
    store.atomic(() -> {
      store.onCommit(() -> callbacks.add("committed"));
      if (fix == AuditFix.DELETE_IT_FIRST) {
        store.delete(d.a1());
      }
      store.delete(d.carol());
      switch (fix) {
        case DELETE_IT_AFTER_CAROL -> store.delete(d.a1());
        case REPOINT_IT_AT_BOB -> store.update(new Audit(d.a1().id(), d.bob().id(), "login"));
        case NULL_IT_THROUGH_A_QUERYSET ->
            assertEquals(1, store.objects(Audit.class).filter("customer", d.carol().id())
                .update("customer", null));
        default -> {
        }
      }
    });
    assertNull(store.getOrNull(Customer.class, d.carol().id()));
    Audit audit = store.getOrNull(Audit.class, d.a1().id());
    switch (fix) {
      case DELETE_IT_FIRST, DELETE_IT_AFTER_CAROL -> assertNull(audit);
      case REPOINT_IT_AT_BOB -> assertEquals(new Audit(d.a1().id(), d.bob().id(), "login"), audit);
      case NULL_IT_THROUGH_A_QUERYSET -> assertEquals(new Audit(d.a1().id(), null, "login"), audit);
      default -> throw new AssertionError(fix);
    }
    assertEquals(List.of("committed"), callbacks);
  }

  /** What a thread reads of the parts of the store that the open transaction changes. */
  record Seen(Map<String, List<Record>> rows, boolean daveFound, long daveByQuery, long orders,
      int aliceOrders, @Nullable Customer o1Customer, int bobCredit, long lines,
      @Nullable Long n1Order) {
  }

  private Seen read() {
    return new Seen(shop.rows(), store.objects(Customer.class).filter("email", "dave@shop").exists(),
        store.objects(Customer.class).filter(Q.of("email__startswith", "dave")).count(),
        store.objects(Order.class).count(), store.related(d.alice(), Shop_Customer_.orders).count(),
        store.follow(d.o1(), Shop_Order_.customer), store.get(Customer.class, d.bob().id()).credit(),
        store.objects(Line.class).filter("order__customer__credit__gte", 0).count(),
        store.get(Note.class, d.n1().id()).order());
  }

  @Test
  void readsInsideTheTransactionSeeItsWritesWhileAnotherThreadSeesTheCommittedStateWithoutWaiting() {
    Seen committed = read();
    assertEquals(new Seen(committed.rows(), false, 0, 3, 2, d.alice(), 20, 4, d.o1().id()),
        committed);
    store.atomic(() -> {
      Customer dave = store.create(new Customer(0, "dave@shop", 5));
      Order order = store.create(new Order(0, dave.id(), 12));
      store.delete(d.alice());
      store.update(new Customer(d.bob().id(), "bob@shop", 77));

      assertAll("the transaction's own reads",
          () -> assertEquals(dave, store.get(Customer.class, dave.id())),
          () -> assertEquals(1, store.objects(Customer.class).filter("email", "dave@shop").count()),
          () -> assertEquals(List.of(order), store.related(dave, Shop_Customer_.orders).list()),
          () -> assertEquals(1, store.related(dave, Shop_Customer_.orders).count()),
          () -> assertEquals(dave, store.follow(order, Shop_Order_.customer)),
          () -> assertNull(store.follow(d.o1(), Shop_Order_.customer)),
          () -> assertEquals(0, store.related(d.alice(), Shop_Customer_.orders).count()),
          () -> assertEquals(2, store.objects(Order.class).count()),
          () -> assertEquals(1, store.objects(Line.class).count()),
          () -> assertEquals(77, store.get(Customer.class, d.bob().id()).credit()),
          () -> assertNull(store.get(Note.class, d.n1().id()).order()));

      Seen other = Async.call("reader", BOUND, this::read);
      assertEquals(committed, other, "another thread saw the open transaction's writes");
    });
    Seen after = Async.call("reader", BOUND, this::read);
    assertEquals(new Seen(after.rows(), true, 1, 2, 0, null, 77, 1, null), after);
  }
}
