package io.relstore.bench.model;

import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Unique;

/** Django's auth user, reduced to what the blog needs: a key and a unique username. */
@Model(app = "auth")
public record User(@Id long id, @Char(maxLength = 150) @Unique String username) {
}
