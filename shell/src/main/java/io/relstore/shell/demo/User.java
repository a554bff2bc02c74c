package io.relstore.shell.demo;

import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import io.relstore.annotation.Unique;
import java.time.LocalDate;

/** A blog user (Django's auth.User, reduced). */
@Model(app = "blog")
public record User(@Id long id, @Char(maxLength = 150) @Unique String username,
    @Char(maxLength = 150) String firstName, @Char(maxLength = 150) String lastName,
    @Char(maxLength = 254) String email, LocalDate dateJoined) {
}
