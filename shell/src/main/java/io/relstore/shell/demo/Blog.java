package io.relstore.shell.demo;

import io.relstore.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The embedded demo: Django's blog as records, and a deterministic generator of a few thousand
 * rows with realistic names and dates (the same data on every run).
 */
public final class Blog {
  /** The demo models, in registration order. */
  public static final List<Class<? extends Record>> MODELS =
      List.of(User.class, Category.class, Post.class, Comment.class);

  private static final String[] FIRST = {"Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace",
      "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent",
      "Uma", "Victor", "Walter", "Xena", "Yusuf", "Zoe", "Amir", "Bianca", "Chen", "Dmitri", "Elena",
      "Farah", "Goran", "Hana", "Ines", "Jonas", "Kemal", "Lucia", "Mateo", "Nadia", "Oskar",
      "Priya", "Quinn"};
  private static final String[] LAST = {"Smith", "Jones", "Garcia", "Müller", "Rossi", "Dubois",
      "Kowalski", "Nakamura", "Silva", "Okafor", "Larsen", "Novak", "Haddad", "Ivanova", "Kim"};
  private static final String[][] CATEGORIES = {{"Django", "django"}, {"Python", "python"},
      {"Databases", "databases"}, {"Testing", "testing"}, {"Performance", "performance"},
      {"Java", "java"}, {"Web", "web"}, {"Career", "career"}};
  private static final String[] TOPICS = {"QuerySets", "Migrations", "Indexes", "Transactions",
      "Caching", "Signals", "Forms", "Templates", "the ORM", "Property Testing", "Benchmarks",
      "Records", "Cascades", "Foreign Keys", "Joins", "Streams", "Profiling", "Deployment"};
  private static final String[] OPENERS = {"Understanding", "A Gentle Introduction to",
      "Ten Tips for", "Debugging", "Why I Love", "Rethinking", "Mastering", "Notes on",
      "Draft: Thoughts on", "Lessons Learned from", "Speeding Up", "Testing"};
  private static final String[] REMARKS = {"Great post, thanks!", "This saved me hours.",
      "I disagree with the second point.", "Could you expand on the benchmarks?",
      "Nice write-up.", "Typo in the third paragraph.", "What about PostgreSQL?",
      "Bookmarked.", "Does this work with Django 5?", "Clear and concise."};
  private static final Instant START = Instant.parse("2022-01-01T08:00:00Z");

  private Blog() {
  }

  /** A store with the demo models (an empty one). */
  public static Store emptyStore() {
    return Store.builder()
        .add(User.class)
        .add(Category.class)
        .add(Post.class, m -> m.defaultFrom("createdAt", s -> Instant.now()))
        .add(Comment.class, m -> m.defaultFrom("createdAt", s -> Instant.now()))
        .build();
  }

  /** The demo store filled with the generated data: 40 users, 8 categories, posts, comments. */
  public static Store demoStore() {
    Store store = emptyStore();
    fill(store, new SplittableRandom(2024));
    return store;
  }

  private static void fill(Store store, SplittableRandom random) {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < FIRST.length; i++) {
      String first = FIRST[i];
      String last = LAST[random.nextInt(LAST.length)];
      rows.add(new User(0, first.toLowerCase(Locale.ROOT), first, last,
          first.toLowerCase(Locale.ROOT) + "." + ascii(last) + "@example.org",
          java.time.LocalDate.of(2021, 1, 4).plusDays(random.nextInt(900))));
    }
    for (String[] c : CATEGORIES) {
      rows.add(new Category(0, c[0], c[1]));
    }
    store.bulkCreate(rows);
    rows.clear();
    int posts = 600;
    for (int i = 0; i < posts; i++) {
      long author = 1 + zipf(random, FIRST.length);
      Long category = random.nextInt(10) == 0 ? null : (long) (1 + random.nextInt(CATEGORIES.length));
      String title = OPENERS[random.nextInt(OPENERS.length)] + " "
          + TOPICS[random.nextInt(TOPICS.length)];
      Instant at = START.plusSeconds(i * 170_000L + random.nextInt(80_000));
      rows.add(new Post(0, title, "About " + title.toLowerCase(Locale.ROOT) + ".", author,
          category, at, random.nextInt(5000)));
    }
    store.bulkCreate(rows);
    rows.clear();
    for (int i = 0; i < 2400; i++) {
      long post = 1 + random.nextInt(posts);
      long author = 1 + random.nextInt(FIRST.length);
      Instant at = START.plusSeconds((post - 1) * 170_000L + 90_000 + random.nextInt(3_000_000));
      rows.add(new Comment(0, post, author, REMARKS[random.nextInt(REMARKS.length)], at));
    }
    store.bulkCreate(rows);
  }

  /** A Zipf-like skew: low ranks (alice, bob) write most posts. */
  private static int zipf(SplittableRandom random, int n) {
    double u = random.nextDouble();
    return Math.min(n - 1, (int) Math.floor(Math.pow(n + 1, u)) - 1);
  }

  private static String ascii(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
  }

  /** How a row shows up in a table cell or a reference: Django's {@code __str__}. */
  public static String display(Object row) {
    if (row instanceof User u) {
      return u.username();
    }
    if (row instanceof Category c) {
      return c.name();
    }
    if (row instanceof Post p) {
      return p.title();
    }
    if (row instanceof Comment c) {
      return c.body().length() <= 30 ? c.body() : c.body().substring(0, 29) + "…";
    }
    return String.valueOf(row);
  }
}
