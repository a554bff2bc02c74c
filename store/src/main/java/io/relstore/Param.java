package io.relstore;

import java.util.Objects;

/**
 * A named placeholder for a lookup value in a prepared query: the QuerySet is built (and its paths
 * resolved) once, then {@link QuerySet#bind(String, Object)} gives the value for each run:
 * <pre>{@code
 * QuerySet<Post> byAuthor = store.objects(Post.class).filter("author__username", Param.of("u"));
 * byAuthor.bind("u", "alice").list();
 * }</pre>
 *
 * @param name the parameter's name
 */
public record Param(String name) {
  public Param {
    Objects.requireNonNull(name, "name");
  }

  public static Param of(String name) {
    return new Param(name);
  }

  @Override
  public String toString() {
    return ":" + name;
  }
}
