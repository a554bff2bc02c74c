package io.relstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.IntegrityError;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.shell.demo.Blog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures (dump, load, bad records) and the interactive mode on JLine's dumb terminal. */
class FixtureAndReplTest {

  @Test
  void dumpThenLoadGivesIdenticalData() {
    Store demo = Blog.demoStore();
    Session s = new Session(demo, Blog.MODELS, 100);
    String json = Fixtures.dump(demo, s.models());
    Store loaded = Blog.emptyStore();
    Session t = new Session(loaded, Blog.MODELS, 100);
    int n = Fixtures.load(loaded, t.models(), t.interpreter(), json);
    assertEquals(40 + 8 + 600 + 2400, n);
    for (Class<? extends Record> m : Blog.MODELS) {
      assertEquals(demo.all(m), loaded.all(m), m.getSimpleName());
    }
    assertEquals(json, Fixtures.dump(loaded, t.models()));
    StoreInvariants.check(loaded);
  }

  @Test
  void aFixtureWithADanglingForeignKeyNamesTheRecordAndLoadsNothing() {
    String json = "[{\"model\": \"blog.user\", \"pk\": 1, \"fields\": {\"username\": \"a\","
        + " \"first_name\": \"A\", \"last_name\": \"B\", \"email\": \"a@b.c\","
        + " \"date_joined\": \"2024-01-01\"}},"
        + " {\"model\": \"blog.post\", \"pk\": 7, \"fields\": {\"title\": \"t\", \"content\": \"c\","
        + " \"author\": 99, \"category\": null, \"created_at\": \"2024-01-01T00:00:00Z\","
        + " \"views\": 0}}]";
    Store store = Blog.emptyStore();
    Session s = new Session(store, Blog.MODELS, 100);
    IntegrityError e = assertThrows(IntegrityError.class,
        () -> Fixtures.load(store, s.models(), s.interpreter(), json));
    assertTrue(e.getMessage().contains("Post(id=7).author = 99 points at no User row"),
        e.getMessage());
    assertEquals(0, store.count(io.relstore.shell.demo.User.class), "all or nothing");
  }

  @Test
  void aFixtureWithABadValueNamesTheRecordModelKeyAndField() {
    String json = "[{\"model\": \"blog.category\", \"pk\": 3, \"fields\": {\"name\": 5,"
        + " \"slug\": \"x\"}}]";
    Store store = Blog.emptyStore();
    Session s = new Session(store, Blog.MODELS, 100);
    ShellError e = assertThrows(ShellError.class,
        () -> Fixtures.load(store, s.models(), s.interpreter(), json));
    assertEquals("record 1 (blog.Category pk=3): field 'name': value 5 does not fit a String",
        e.getMessage());
  }

  @Test
  void theDataOptionLoadsAFixtureFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("blog.json");
    Store demo = Blog.demoStore();
    Files.writeString(file, Fixtures.dump(demo, new Session(demo, Blog.MODELS, 100).models()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"--data", file.toString(), "-c", "Comment.objects.count()"},
        new ByteArrayInputStream(new byte[0]), new java.io.PrintStream(out, true,
            StandardCharsets.UTF_8), System.err, false);
    assertEquals(0, status);
    assertEquals("2400\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void completionOffersFieldPathsAndLookups() {
    Session s = new Session(Blog.demoStore(), Blog.MODELS, 100);
    assertEquals(List.of("author__username"),
        Repl.candidates(s, "Post.objects.filter(author__us"));
    assertTrue(Repl.candidates(s, "Post.objects.filter(author__username__").contains(
        "author__username__icontains"));
    assertTrue(Repl.candidates(s, "Post.objects.").contains("filter"));
    assertEquals(List.of("objects"), Repl.candidates(s, "Post."));
    assertTrue(Repl.candidates(s, "Po").contains("Post"));
    assertTrue(Repl.candidates(s, "User.objects.filter(posts__comments__").contains(
        "posts__comments__body"));
  }

  @Test
  void theInteractiveModeRunsLinesCompletesWithTabAndExitsOnEndOfInput() throws Exception {
    String typed = "User.objects.count()\n"
        + "Post.objects.filter(author__us\t=\"bob\").count()\n"
        + "User.objects.get(pk=0)\n"
        + "1 + 1\n";
    // an xterm-type terminal on streams: key bindings (Tab) work as on a real terminal
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    try (Terminal terminal = TerminalBuilder.builder().system(false).type("xterm")
        .streams(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen)
        .encoding(StandardCharsets.UTF_8).build()) {
      Session s = new Session(Blog.demoStore(), Blog.MODELS, 100);
      new Repl(s, terminal, false).run(null);
    }
    String shown = screen.toString(StandardCharsets.UTF_8).replace("\r", "");
    assertTrue(shown.contains("relstore shell on the blog demo: 600 posts"), shown);
    // each result follows the prompt's redraw, then its time on the next line
    assertTrue(result(shown, "40"), "a result then its time: " + shown);
    assertTrue(result(shown, "56"), "Tab completed author__us, and the line ran: " + shown);
    assertTrue(shown.contains("DoesNotExist: User matching query does not exist."), shown);
    assertTrue(result(shown, "2"), "the shell went on after the error: " + shown);
  }

  private static boolean result(String screen, String value) {
    return java.util.regex.Pattern.compile("[^0-9]" + value + "\n\\([0-9.]+ ms\\)")
        .matcher(screen).find();
  }

  @Test
  void theDumbTerminalRunsLinesToo() throws Exception {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    try (Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB,
        new ByteArrayInputStream("User.objects.count()\n".getBytes(StandardCharsets.UTF_8)),
        screen, StandardCharsets.UTF_8)) {
      new Repl(new Session(Blog.demoStore(), Blog.MODELS, 100), terminal, false).run(null);
    }
    assertTrue(screen.toString(StandardCharsets.UTF_8).contains(">>> 40\n("),
        screen.toString(StandardCharsets.UTF_8));
  }
}
