package io.relstore.blog;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.annotation.AutoNowAdd;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Text;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A blog post: deleted with its author, kept (uncategorised) when its category goes. */
@Model(app = "blog")
public record Post(@Id long id,
    @Char(maxLength = 200) String title,
    @Text String content,
    @ForeignKey(to = User.class, onDelete = CASCADE, relatedName = "posts") long author,
    @ForeignKey(to = Category.class, onDelete = SET_NULL, relatedName = "posts")
    @Nullable Long category,
    @AutoNowAdd @Nullable Instant createdAt) {
}
