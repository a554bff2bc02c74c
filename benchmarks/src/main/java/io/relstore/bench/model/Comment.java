package io.relstore.bench.model;

import static io.relstore.annotation.OnDelete.CASCADE;

import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Text;

/** A reader's comment (as in "Django by Example": a name, no user): deleted with its post. */
@Model(app = "blog")
public record Comment(@Id long id,
    @ForeignKey(to = Post.class, onDelete = CASCADE, relatedName = "comments") long post,
    @Char(maxLength = 80) String name,
    @Text String body) {
}
