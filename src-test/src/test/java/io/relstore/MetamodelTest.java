package io.relstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.relstore.blog.Category_;
import io.relstore.blog.Comment;
import io.relstore.blog.Post;
import io.relstore.blog.Post_;
import io.relstore.blog.User;
import io.relstore.blog.User_;
import org.junit.jupiter.api.Test;

/**
 * The metamodel written by the annotation processor: that these names compile is half the test;
 * the other half checks what they name.
 */
class MetamodelTest {

  @Test
  void fieldsAreAttributesWithBoxedValueTypes() {
    assertEquals("title", Post_.title.name());
    assertSame(Post.class, Post_.title.model());
    assertSame(String.class, Post_.title.type());
    assertSame(Long.class, Post_.id.type());
    assertSame(java.time.Instant.class, Post_.createdAt.type());
  }

  @Test
  void foreignKeysKnowTheirTarget() {
    assertSame(User.class, Post_.author.target());
    assertSame(Long.class, Post_.author.type());
    assertSame(io.relstore.blog.Category.class, Post_.category.target());
  }

  @Test
  void relatedNamesBecomeReverseRelationsOnTheTarget() {
    assertEquals("posts", User_.posts.name());
    assertSame(Post.class, User_.posts.related());
    assertSame(Comment.class, User_.comments.related());
    assertSame(Post.class, Category_.posts.related());
    assertSame(Comment.class, Post_.comments.related());
  }

  @Test
  void nestedRecordsGetAnOuterPrefixedMetamodelAndDefaultReverseNames() {
    assertSame(Nested.Child.class, MetamodelTest_Nested_Child_.parent.model());
    assertEquals("child_set", MetamodelTest_Nested_Parent_.child_set.name());
  }

  @Test
  void anAttributeOfAnotherModelIsRefused() {
    Store store = Store.builder().add(User.class, io.relstore.blog.Category.class, Post.class,
        Comment.class).build();
    User u = store.create(new User(0, "u"));
    @SuppressWarnings({"unchecked", "rawtypes"})
    ForeignKeyAttribute<User, User> wrong = (ForeignKeyAttribute) Post_.author;
    FieldError e = assertThrows(FieldError.class, () -> store.follow(u, wrong));
    assertEquals("Post.author belongs to Post, not to User", e.getMessage());
  }

  static final class Nested {
    record Parent(@io.relstore.annotation.Id long id) {
    }

    record Child(@io.relstore.annotation.Id long id,
        @io.relstore.annotation.ForeignKey(to = Parent.class,
            onDelete = io.relstore.annotation.OnDelete.CASCADE) long parent) {
    }
  }
}
