package io.relstore.testkit;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Unique;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A schema with most of what a generator must respect: the testkit's own test schema. */
public final class Shop implements DatasetSchema {
  /** Kinds of product. */
  public enum Kind { BOOK, TOOL, FOOD }

  /** A category tree (self-reference through a nullable key). */
  public record Category(@Id long id, @Char(maxLength = 20) String name, @Slug @Unique String slug,
      @ForeignKey(to = Category.class, onDelete = CASCADE, relatedName = "children")
      @Nullable Long parent) {
  }

  /** A customer, with a referrer (a cycle through a nullable key) and a unique email. */
  public record Customer(@Id long id, @Char(maxLength = 30) @Unique String email,
      @Nullable LocalDate born, UUID token,
      @ForeignKey(to = Customer.class, onDelete = SET_NULL, relatedName = "referred")
      @Nullable Long referrer) {
  }

  /** A product in a category. */
  public record Product(@Id long id, @Char(maxLength = 40) String title, Kind kind,
      BigDecimal price, @Default("1") int stock,
      @ForeignKey(to = Category.class, onDelete = PROTECT, relatedName = "products") long category) {
  }

  /** An order line: a customer buys a product. */
  public record Line(@Id long id,
      @ForeignKey(to = Customer.class, onDelete = CASCADE, relatedName = "lines") long customer,
      @ForeignKey(to = Product.class, onDelete = PROTECT, relatedName = "lines") long product,
      int quantity) {
  }

  @Override
  public Store newStore() {
    return Store.builder().add(Category.class, Customer.class, Product.class, Line.class).build();
  }
}
