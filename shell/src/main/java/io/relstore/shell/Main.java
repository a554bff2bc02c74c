package io.relstore.shell;

import io.relstore.Store;
import io.relstore.shell.demo.Blog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./relstore [shell] [-c EXPR] [--data FIXTURE.json] [--no-color]} and
 * {@code ./relstore dump [--data FIXTURE.json]}. With {@code -c}, or when stdin is not a terminal,
 * the shell runs the statements given, prints their results without prompts or colours, and exits
 * with status 1 at the first error.
 */
public final class Main {
  private Main() {
  }

  /** Options of one run. */
  record Options(String command, @Nullable String expression, @Nullable Path data,
      boolean colour) {
  }

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.in, System.out, System.err, System.console() != null));
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
      boolean interactive) throws IOException {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("relstore: " + e.getMessage());
      err.println("usage: relstore [shell] [-c EXPR] [--data FIXTURE.json] [--no-color]"
          + " | relstore dump [--data FIXTURE.json]");
      return 2;
    }
    Store store;
    try {
      store = store(o);
    } catch (ShellError | io.relstore.StoreException e) {
      err.println((e instanceof ShellError s ? s.kind() : e.getClass().getSimpleName()) + ": "
          + e.getMessage());
      return 1;
    }
    Session session = new Session(store, Blog.MODELS, 120);
    if (o.command().equals("dump")) {
      out.println(Fixtures.dump(session.store(), session.models()));
      return 0;
    }
    if (o.expression() != null) {
      return script(session, o.expression(), out, err);
    }
    if (!interactive) {
      return script(session, new String(in.readAllBytes(), StandardCharsets.UTF_8), out, err);
    }
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      boolean colour = o.colour() && !Terminal.TYPE_DUMB.equals(terminal.getType());
      Path history = Path.of(System.getProperty("user.home"), ".relstore_history");
      int width = terminal.getWidth() > 0 ? terminal.getWidth() : 120;
      new Repl(new Session(store, Blog.MODELS, width), terminal, colour).run(history);
    }
    return 0;
  }

  private static Store store(Options o) throws IOException {
    if (o.data() == null) {
      return Blog.demoStore();
    }
    Store store = Blog.emptyStore();
    Session loader = new Session(store, Blog.MODELS, 100);
    Fixtures.load(store, loader.models(), loader.interpreter(),
        Files.readString(o.data(), StandardCharsets.UTF_8));
    return store;
  }

  /** Runs a script statement by statement; prints each result; stops at the first error. */
  static int script(Session session, String text, PrintStream out, PrintStream err) {
    Session.Outcome o = session.execute(text);
    out.print(o.text());
    out.flush();
    if (o.failed()) {
      err.println(o.error());
      return 1;
    }
    return 0;
  }

  static Options parse(String[] args) {
    String command = "shell";
    String expression = null;
    Path data = null;
    boolean colour = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "shell", "dump" -> command = a;
        case "-c" -> expression = value(args, ++i, a);
        case "--data" -> data = Path.of(value(args, ++i, a));
        case "--no-color" -> colour = false;
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    return new Options(command, expression, data, colour);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
