package io.relstore.differential;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import io.relstore.differential.SchemaTranslator.BuilderKind;
import io.relstore.differential.SchemaTranslator.BuilderRule;
import io.relstore.differential.SqlSchema.Action;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The schema translator: Django's table layout, every on_delete rule's SQL action, the field
 * rules as constraints, DDL that H2 loads in any foreign-key order, and a refusal for what SQL
 * cannot express.
 */
class SchemaTranslatorTest {

  @Model(app = "blog")
  record Author(@Id long id, @Char(maxLength = 20) @Unique String userName,
      @Text @Nullable String bio) {
  }

  @Model(app = "blog")
  record Post(@Id long id, @Slug(maxLength = 30) String slug, @Nullable BigDecimal price,
      LocalDate publishedOn, int views,
      @ForeignKey(to = Author.class, onDelete = CASCADE, relatedName = "posts") long author,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "edited")
      @Nullable Long editor,
      @ForeignKey(to = Author.class, onDelete = PROTECT, relatedName = "owned") @Nullable Long owner,
      @ForeignKey(to = Author.class, onDelete = RESTRICT, relatedName = "held") @Nullable Long holder,
      @Default("1") @ForeignKey(to = Author.class, onDelete = SET_DEFAULT, relatedName = "backed")
      long backup,
      @ForeignKey(to = Author.class, onDelete = SET, relatedName = "fixed") @Nullable Long fixed,
      @ForeignKey(to = Author.class, onDelete = SET, relatedName = "sentinels")
      @Nullable Long sentinel,
      @ForeignKey(to = Post.class, onDelete = DO_NOTHING, relatedName = "notes") @Nullable Long note,
      @ForeignKey(to = Post.class, onDelete = DO_NOTHING, dbConstraint = false,
          relatedName = "loose") @Nullable Long loose) {
  }

  record Cascading(@Id long id,
      @ForeignKey(to = Author.class, onDelete = CASCADE, dbConstraint = false) long author) {
  }

  private static final List<BuilderRule> RULES = List.of(
      new BuilderRule("Post", "fixed", BuilderKind.SET_CONSTANT, 7L),
      new BuilderRule("Post", "sentinel", BuilderKind.SET_SUPPLIER, null));

  private static SqlSchema blog() {
    return SchemaTranslator.translate(List.of(Author.class, Post.class), RULES);
  }

  @Test
  void tablesAndColumns_followDjangosNaming() {
    SqlSchema s = blog();

    assertEquals("blog_post", s.table("Post").table());
    assertEquals("blog.Post", s.table("Post").label());
    assertEquals("user_name", s.table("Author").column("userName").column());
    assertEquals("published_on", s.table("Post").column("publishedOn").column());
    assertEquals("author_id", s.table("Post").column("author").column());
  }

  @Test
  void everyRule_getsItsSqlAction() {
    SqlSchema s = blog();
    Map<String, Action> expected = Map.of(
        "author", Action.CASCADE,
        "editor", Action.SET_NULL,
        "owner", Action.RESTRICT,
        "holder", Action.NO_ACTION,
        "backup", Action.SET_DEFAULT,
        "fixed", Action.SET_DEFAULT,
        "sentinel", Action.NO_ACTION,
        "note", Action.NO_ACTION,
        "loose", Action.NONE);

    expected.forEach((field, action) -> assertEquals(action,
        s.table("Post").column(field).fk().action(), field));
    assertTrue(s.table("Post").column("sentinel").fk().supplier(), "SET(supplier)");
    assertEquals("7", s.table("Post").column("fixed").defaultSql(), "SET(7): DEFAULT 7");
    assertEquals("1", s.table("Post").column("backup").defaultSql());
    assertTrue(s.table("Post").column("backup").relstoreDefault());
    assertFalse(s.table("Post").column("fixed").relstoreDefault(),
        "the SET constant is no default for creates");
  }

  @Test
  void ddl_spellsOutTheTableWithItsConstraints() {
    List<String> ddl = blog().ddl();

    assertEquals(String.join("\n",
        "CREATE TABLE \"blog_author\" (",
        "  \"id\" BIGINT NOT NULL CHECK (\"id\" > 0),",
        "  \"user_name\" CHARACTER VARYING(20) NOT NULL,",
        "  \"bio\" CHARACTER VARYING,",
        "  CONSTRAINT \"pk_blog_author\" PRIMARY KEY (\"id\"),",
        "  CONSTRAINT \"uq_blog_author_user_name\" UNIQUE (\"user_name\")",
        ")"), ddl.get(0));
    assertTrue(ddl.get(1).contains("\"slug\" CHARACTER VARYING(30) NOT NULL"
        + " CHECK (REGEXP_LIKE(\"slug\", '^[-a-zA-Z0-9_]+$'))"), ddl.get(1));
    assertTrue(ddl.get(1).contains("\"price\" NUMERIC(30, 10),"), ddl.get(1));
    assertTrue(ddl.get(1).contains("\"backup_id\" BIGINT DEFAULT 1 NOT NULL"
        + " CHECK (\"backup_id\" > 0)"), ddl.get(1));
    assertTrue(ddl.contains("ALTER TABLE \"blog_post\" ADD CONSTRAINT \"fk_blog_post_owner\""
        + " FOREIGN KEY (\"owner_id\") REFERENCES \"blog_author\" (\"id\") ON DELETE RESTRICT"),
        ddl.toString());
    assertTrue(ddl.contains("ALTER TABLE \"blog_post\" ADD CONSTRAINT \"fk_blog_post_holder\""
        + " FOREIGN KEY (\"holder_id\") REFERENCES \"blog_author\" (\"id\") ON DELETE NO ACTION"),
        ddl.toString());
    assertEquals(2 + 8, ddl.size(), "two tables, eight constraints (the loose key has none)");
  }

  @Test
  void ddl_loadsIntoH2_inAnyForeignKeyOrder() {
    SqlSchema s = blog();
    List<String> orders = new ArrayList<>();
    for (long seed = 1; seed <= 5; seed++) {
      List<String> ddl = s.ddl(new SplittableRandom(seed));
      try (H2Side h2 = new H2Side(s, ddl)) {
        assertEquals(List.of(), h2.rows("Post"));
      }
      orders.add(String.join(";", ddl.subList(2, ddl.size())));
    }
    assertTrue(orders.stream().distinct().count() > 1, "the order changes with the seed");
  }

  @Test
  void aRuleWithoutADatabaseConstraint_hasNoSqlForm() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> SchemaTranslator.translate(List.of(Author.class, Cascading.class), List.of()));
    assertTrue(e.getMessage().contains("Cascading.author: on_delete=CASCADE without a database"
        + " constraint"), e.getMessage());
  }

  @Test
  void aDefaultComputedAtRunTime_hasNoSqlForm() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> SchemaTranslator.translate(List.of(Author.class), List.of(
            new BuilderRule("Author", "bio", BuilderKind.DEFAULT_SUPPLIER, null))));
    assertTrue(e.getMessage().contains("Author.bio"), e.getMessage());
  }
}
