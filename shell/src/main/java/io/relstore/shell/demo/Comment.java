package io.relstore.shell.demo;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.PROTECT;

import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Text;
import java.time.Instant;

/** A comment: deleted with its post; its author cannot be deleted while it exists (PROTECT). */
@Model(app = "blog")
public record Comment(@Id long id,
    @ForeignKey(to = Post.class, onDelete = CASCADE, relatedName = "comments") long post,
    @ForeignKey(to = User.class, onDelete = PROTECT, relatedName = "comments") long author,
    @Text String body,
    Instant createdAt) {
}
