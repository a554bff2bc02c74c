package io.relstore.tx;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The schema and data of the transaction tests: every on_delete rule a transaction has to undo.
 *
 * <pre>
 * Customer alice(credit 10) bob(20) carol(30)                 email @Unique
 * Order    o1(alice, 100) o2(alice, 50) o3(bob, 70)             customer CASCADE  → orders
 * Line     l1(o1 apple 1) l2(o1 pear 2) l3(o2 fig 3) l4(o3 kiwi 4)  order CASCADE → lines
 * Note     n1(o1) n2(o2) n3(o3) n4(-)                           order SET_NULL    → notes
 * Ticket   t1(alice) t2(bob)                                    customer SET(supplier: a new
 *                                                               "sentinel-N@shop" Customer)
 * Audit    a1(carol)                                            customer DO_NOTHING → audits
 * Hold     h1(bob)                                              customer PROTECT  → holds
 * Agent    g1 "ann"                                             (no relation)
 * </pre>
 *
 * Registration order (Customer, Order, Line, Note, Ticket, Audit, Hold, Agent) makes a delete of a
 * customer collect her orders first, then run the SET supplier of her tickets, then meet PROTECT.
 */
final class Shop {
  record Customer(@Id long id, @Unique @Char(maxLength = 60) String email, int credit) {
  }

  record Order(@Id long id,
      @ForeignKey(to = Customer.class, onDelete = CASCADE, relatedName = "orders") long customer,
      int total) {
  }

  record Line(@Id long id,
      @ForeignKey(to = Order.class, onDelete = CASCADE, relatedName = "lines") long order,
      @Char(maxLength = 20) String sku, int qty) {
  }

  record Note(@Id long id,
      @ForeignKey(to = Order.class, onDelete = SET_NULL, relatedName = "notes") @Nullable Long order,
      @Text String text) {
  }

  record Ticket(@Id long id,
      @ForeignKey(to = Customer.class, onDelete = SET, relatedName = "tickets")
      @Nullable Long customer,
      @Char(maxLength = 40) String subject) {
  }

  record Audit(@Id long id,
      @ForeignKey(to = Customer.class, onDelete = DO_NOTHING, relatedName = "audits")
      @Nullable Long customer,
      @Char(maxLength = 40) String what) {
  }

  record Hold(@Id long id,
      @ForeignKey(to = Customer.class, onDelete = PROTECT, relatedName = "holds") long customer) {
  }

  record Agent(@Id long id, @Char(maxLength = 20) String name) {
  }

  /** Every model, in registration order. */
  static final List<Class<? extends Record>> MODELS = List.of(Customer.class, Order.class,
      Line.class, Note.class, Ticket.class, Audit.class, Hold.class, Agent.class);

  /** The seeded rows, as stored. */
  record Data(Customer alice, Customer bob, Customer carol, Order o1, Order o2, Order o3,
      Line l1, Line l2, Line l3, Line l4, Note n1, Note n2, Note n3, Note n4, Ticket t1,
      Ticket t2, Audit a1, Hold h1, Agent g1) {
  }

  final Store store;
  final Data data;
  /** How many times the SET supplier ran (rolled-back runs included). */
  final AtomicInteger supplierCalls = new AtomicInteger();
  /** When set, the SET supplier runs it after it has created its sentinel (and before failing). */
  final AtomicReference<@Nullable Consumer<Store>> supplierHook = new AtomicReference<>();
  /** When set, the SET supplier throws it after it has created its sentinel. */
  final AtomicReference<@Nullable RuntimeException> supplierFailure = new AtomicReference<>();

  private Shop(Duration writerTimeout) {
    this.store = Store.builder()
        .add(Customer.class, Order.class, Line.class, Note.class)
        .add(Ticket.class, m -> m.onDeleteSetFrom("customer", st -> {
          Customer sentinel = st.create(
              new Customer(0, "sentinel-" + supplierCalls.incrementAndGet() + "@shop", 0));
          Consumer<Store> hook = supplierHook.get();
          if (hook != null) {
            hook.accept(st);
          }
          RuntimeException failure = supplierFailure.get();
          if (failure != null) {
            throw failure;
          }
          return sentinel;
        }))
        .add(Audit.class, Hold.class, Agent.class)
        .writerTimeout(writerTimeout)
        .build();
    this.data = seed(store);
  }

  /** A store with the seeded rows and the default writer timeout. */
  static Shop open() {
    return new Shop(Duration.ofSeconds(30));
  }

  /** A store with the seeded rows whose writers give up after {@code writerTimeout}. */
  static Shop open(Duration writerTimeout) {
    return new Shop(writerTimeout);
  }

  private static Data seed(Store s) {
    Customer alice = s.create(new Customer(0, "alice@shop", 10));
    Customer bob = s.create(new Customer(0, "bob@shop", 20));
    Customer carol = s.create(new Customer(0, "carol@shop", 30));
    Order o1 = s.create(new Order(0, alice.id(), 100));
    Order o2 = s.create(new Order(0, alice.id(), 50));
    Order o3 = s.create(new Order(0, bob.id(), 70));
    Line l1 = s.create(new Line(0, o1.id(), "apple", 1));
    Line l2 = s.create(new Line(0, o1.id(), "pear", 2));
    Line l3 = s.create(new Line(0, o2.id(), "fig", 3));
    Line l4 = s.create(new Line(0, o3.id(), "kiwi", 4));
    Note n1 = s.create(new Note(0, o1.id(), "first"));
    Note n2 = s.create(new Note(0, o2.id(), "second"));
    Note n3 = s.create(new Note(0, o3.id(), "third"));
    Note n4 = s.create(new Note(0, null, "loose"));
    Ticket t1 = s.create(new Ticket(0, alice.id(), "refund"));
    Ticket t2 = s.create(new Ticket(0, bob.id(), "late"));
    Audit a1 = s.create(new Audit(0, carol.id(), "login"));
    Hold h1 = s.create(new Hold(0, bob.id()));
    Agent g1 = s.create(new Agent(0, "ann"));
    return new Data(alice, bob, carol, o1, o2, o3, l1, l2, l3, l4, n1, n2, n3, n4, t1, t2, a1, h1,
        g1);
  }

  /** Every row of every model, model name → rows in primary-key order. */
  Map<String, List<Record>> rows() {
    return rows(store);
  }

  /** Every row of every model of {@code s} (the live store, a snapshot, or inside a transaction). */
  static Map<String, List<Record>> rows(Store s) {
    Map<String, List<Record>> out = new LinkedHashMap<>();
    for (Class<? extends Record> model : MODELS) {
      out.put(model.getSimpleName(), new ArrayList<Record>(s.all(model)));
    }
    return out;
  }
}
