package io.relstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The examples of the shell issue run through {@code -c} and through a script on stdin, on the
 * deterministic demo data, with the printed output asserted.
 */
class ShellScriptTest {

  private record Run(int status, String out, String err) {
  }

  private static Run run(String... args) throws IOException {
    return runWithInput("", args);
  }

  private static Run runWithInput(String input, String... args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new Run(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static String c(String expr) throws IOException {
    Run r = run("shell", "-c", expr);
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    return r.out();
  }

  @Test
  void filterExcludeOrderBySliceGivesATableOfFiveRows() throws IOException {
    String out = c("Post.objects.filter(author__username=\"alice\")"
        + ".exclude(title__icontains=\"draft\").order_by(\"-created_at\")[:5]");
    String[] lines = out.split("\n");
    assertEquals(7, lines.length, out);
    assertTrue(lines[0].startsWith("id   title"), out);
    assertTrue(lines[0].contains("author") && lines[0].contains("created_at"), out);
    for (int i = 2; i < 7; i++) {
      assertTrue(lines[i].contains("1 (alice)"), "the author as id (name): " + lines[i]);
      assertTrue(!lines[i].toLowerCase(java.util.Locale.ROOT).contains("draft"), lines[i]);
    }
  }

  @Test
  void aReverseRelationCounts() throws IOException {
    assertEquals("118\n", c("User.objects.get(username=\"alice\").posts.count()"));
  }

  @Test
  void getOfAMissingKeyIsDoesNotExistNamingModelAndFilter() throws IOException {
    Run r = run("-c", "Post.objects.get(pk=999999)");
    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertEquals("DoesNotExist: Post matching query does not exist. (filters: id=999999)\n",
        r.err());
  }

  @Test
  void firstOfNothingIsNone() throws IOException {
    assertEquals("None\n", c("Post.objects.filter(pk=999999).first()"));
  }

  @Test
  void deletingACategoryNullsItsPostsAndPrintsDjangosCounts() throws IOException {
    assertEquals("65\n(1, {\"blog.Category\": 1})\n0\n",
        c("c = Category.objects.get(slug=\"django\"); c.posts.count(); c.delete();"
            + " Post.objects.filter(category__slug=\"django\").count()"));
  }

  @Test
  void annotateThenOrderByTheAnnotation() throws IOException {
    String out = c("User.objects.annotate(n=Count(\"posts\")).order_by(\"-n\")[:3]");
    String[] lines = out.split("\n");
    assertEquals(5, lines.length, out);
    assertTrue(lines[0].endsWith(" n"), out);
    assertTrue(lines[2].startsWith("1   alice") && lines[2].endsWith("118"), out);
  }

  @Test
  void explainNamesTheDriver() throws IOException {
    String out = c("Post.objects.filter(category__isnull=True).explain()");
    assertTrue(out.startsWith("QuerySet<Post>\n  driver: full scan of Post"), out);
    assertTrue(out.contains("actual: 69 matching rows"), out);
    String indexed = c("Post.objects.filter(author__username=\"bob\").explain()");
    assertTrue(indexed.contains("driver: unique index on User.username"), indexed);
  }

  @Test
  void planDeleteShowsWhatWouldBeDeletedAndWhatProtects() throws IOException {
    String out = c("plan_delete(User.objects.get(pk=1))");
    assertTrue(out.startsWith("Delete User: BLOCKED"), out);
    assertTrue(out.contains("delete blog.Post: 118 rows"), out);
    assertTrue(out.contains("PROTECTED by 'Comment.author'"), out);
    assertEquals("40\n", c("User.objects.count()"), "planning changed nothing");
  }

  @Test
  void qAndFValuesAggregateUpdateAndCreate() throws IOException {
    assertEquals("10\n", c("Post.objects.filter(Q(views__gt=4900) | Q(title__startswith=\"Draft\"),"
        + " category__slug=\"java\").count()"));
    assertEquals("1\nviews\n-----\n4938\n", c("x = Post.objects.filter(pk=1);"
        + " x.update(views=F(\"views\") + 1); x.values(\"views\")"));
    assertTrue(c("Post.objects.aggregate(Avg(\"views\"), Max(\"created_at\"))")
        .startsWith("{'views__avg': 2422.35"));
    String created = c("p = Post.objects.create(title=\"Hello\", content=\"x\","
        + " author=User.objects.get(username=\"bob\")); p.author.username; p.pk");
    assertEquals("'bob'\n601\n", created);
    assertTrue(c("Post.objects.filter(views__gt=4990).values_list(\"title\", flat=True)")
        .startsWith("['"));
  }

  @Test
  void variablesHoldRowsAndTheirRelations() throws IOException {
    String out = c("alice = User.objects.get(username=\"alice\"); alice.posts.all()[:2]");
    assertTrue(out.split("\n")[2].contains("1 (alice)"), out);
  }

  @Test
  void aScriptOnStdinStopsAtTheFirstErrorWithStatusOne() throws IOException {
    Run r = runWithInput("User.objects.count()\nUser.objects.get(pk=0)\nUser.objects.count()\n");
    assertEquals(1, r.status());
    assertEquals("40\n", r.out());
    assertTrue(r.err().startsWith("DoesNotExist: User matching query does not exist."), r.err());
  }

  @Test
  void aMultiLineStatementInAScriptIsOneStatement() throws IOException {
    Run r = runWithInput("Post.objects.filter(\n  author__username=\"bob\",\n).count()\n");
    assertEquals(0, r.status(), r.err());
    assertEquals("56\n", r.out());
  }

  @Test
  void anUnknownFieldIsOneClearLineWithADidYouMean() throws IOException {
    Run r = run("-c", "User.objects.filter(usernam=\"x\")");
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("FieldError: Cannot resolve keyword 'usernam' into field."),
        r.err());
    assertTrue(r.err().contains("did you mean 'username'?"), r.err());
    assertEquals(1, r.err().split("\n").length, "one line: " + r.err());
  }

  @Test
  void badArgumentsExitWithUsage() throws IOException {
    Run r = run("--nope");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("usage: relstore"), r.err());
  }
}
