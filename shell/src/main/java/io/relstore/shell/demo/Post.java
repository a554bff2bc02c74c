package io.relstore.shell.demo;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Indexed;
import io.relstore.annotation.Model;
import io.relstore.annotation.Text;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A post: deleted with its author; uncategorised (category set to null) when its category goes. */
@Model(app = "blog")
public record Post(@Id long id,
    @Char(maxLength = 200) String title,
    @Text String content,
    @ForeignKey(to = User.class, onDelete = CASCADE, relatedName = "posts") long author,
    @ForeignKey(to = Category.class, onDelete = SET_NULL, relatedName = "posts")
    @Nullable Long category,
    @Indexed(sorted = true) Instant createdAt,
    int views) {
}
