package io.relstore.bench.model;

import java.util.List;

/**
 * Rows to insert together, parents first: what every contender's {@link
 * io.relstore.bench.contender.Contender#insert(Rows)} takes.
 */
public record Rows(List<User> users, List<Category> categories, List<Post> posts,
    List<Comment> comments) {

  public Rows {
    users = List.copyOf(users);
    categories = List.copyOf(categories);
    posts = List.copyOf(posts);
    comments = List.copyOf(comments);
  }

  public static Rows ofPosts(List<Post> posts) {
    return new Rows(List.of(), List.of(), posts, List.of());
  }

  public int size() {
    return users.size() + categories.size() + posts.size() + comments.size();
  }
}
