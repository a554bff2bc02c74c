package io.relstore.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jspecify.annotations.Nullable;

/**
 * The interactive shell on a JLine terminal: a prompt, history saved between runs, Tab completion,
 * multi-line input while a bracket or quote is open, Ctrl-C to drop the line, Ctrl-D to leave.
 * Results print with the time they took; errors print on one line, in red on a colour terminal,
 * and the shell goes on.
 */
final class Repl {
  static final String HELP = String.join("\n",
      "relstore shell: Django's QuerySet API on the blog demo (User, Category, Post, Comment).",
      "  Post.objects.filter(author__username=\"alice\").exclude(title__icontains=\"draft\")"
          + ".order_by(\"-created_at\")[:5]",
      "  User.objects.get(username=\"alice\").posts.count()",
      "  alice = User.objects.get(username=\"alice\");  alice.posts.all()",
      "  User.objects.annotate(n=Count(\"posts\")).order_by(\"-n\")[:3]",
      "  Post.objects.filter(Q(views__gt=4000) | Q(category__isnull=True)).count()",
      "  Post.objects.filter(pk=1).update(views=F(\"views\") + 1)",
      "  plan_delete(User.objects.get(pk=1))      Post.objects.filter(...).explain()",
      "  Tab completes models, methods, fields and lookups (author__us<Tab>); Ctrl-D exits.");

  private final Session session;
  private final Terminal terminal;
  private final boolean colour;

  Repl(Session session, Terminal terminal, boolean colour) {
    this.session = session;
    this.terminal = terminal;
    this.colour = colour;
  }

  /** Reads and runs lines until Ctrl-D. */
  void run(@Nullable Path history) throws IOException {
    DefaultParser parser = new DefaultParser() {
      // words are identifiers, so that Tab completes author__us inside filter(...)
      @Override
      public boolean isDelimiterChar(CharSequence buffer, int pos) {
        char c = buffer.charAt(pos);
        return !(Character.isLetterOrDigit(c) || c == '_');
      }
    };
    parser.setQuoteChars(new char[0]);
    parser.setEofOnUnclosedBracket(DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
    Completions completions = new Completions(session.models(),
        session.interpreter().variables());
    LineReaderBuilder builder = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("relstore")
        .parser(parser)
        .completer((reader, line, candidates) -> {
          String text = line.line();
          for (String c : completions.complete(text, line.cursor())) {
            candidates.add(new Candidate(c, c, null, null, null, null, false));
          }
        })
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "... ")
        .variable(LineReader.WORDCHARS, "_");
    if (history != null) {
      builder.variable(LineReader.HISTORY_FILE, history);
    }
    LineReader reader = builder.build();
    PrintWriter out = terminal.writer();
    out.println("relstore shell on the blog demo: " + session.store().count(
        io.relstore.shell.demo.Post.class) + " posts. Type help() for examples, Ctrl-D to exit.");
    while (true) {
      String line;
      try {
        line = reader.readLine(">>> ");
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        break;
      }
      if (line.isBlank()) {
        continue;
      }
      Session.Outcome o = session.execute(line);
      print(out, o);
    }
    reader.getHistory().save();
    out.flush();
  }

  private void print(PrintWriter out, Session.Outcome o) {
    out.print(o.text());
    if (o.failed()) {
      out.println(colour ? "\u001b[31m" + o.error() + "\u001b[0m" : o.error());
    } else {
      String t = Session.timing(o.nanos());
      out.println(colour ? "\u001b[2m" + t + "\u001b[0m" : t);
    }
    out.flush();
  }

  /** Candidates for a line, for tests of completion without a terminal. */
  static List<String> candidates(Session session, String line) {
    return new Completions(session.models(), session.interpreter().variables())
        .complete(line, line.length());
  }
}
