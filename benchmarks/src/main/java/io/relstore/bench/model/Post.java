package io.relstore.bench.model;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Indexed;
import io.relstore.annotation.Model;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A blog post: deleted with its author, kept (uncategorised) when its category goes. Indexed as in
 * every contender: the primary key, both foreign keys (reverse indexes) and {@code published}
 * (sorted, for "latest posts"); {@code status} and {@code rating} are not indexed (residual filters).
 */
@Model(app = "blog")
public record Post(@Id long id,
    @ForeignKey(to = User.class, onDelete = CASCADE, relatedName = "posts") long author,
    @ForeignKey(to = Category.class, onDelete = SET_NULL, relatedName = "posts")
    @Nullable Long category,
    @Char(maxLength = 200) String title,
    @Char(maxLength = 10) String status,
    int rating,
    @Indexed(sorted = true) Instant published) {

  public static final String PUBLISHED = "published";
  public static final String DRAFT = "draft";
}
