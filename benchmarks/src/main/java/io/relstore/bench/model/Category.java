package io.relstore.bench.model;

import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Unique;

/** A blog category with a unique slug. */
@Model(app = "blog")
public record Category(@Id long id, @Char(maxLength = 100) String name,
    @Slug @Unique String slug) {
}
