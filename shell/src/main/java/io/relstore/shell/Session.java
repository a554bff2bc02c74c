package io.relstore.shell;

import io.relstore.StoreException;
import io.relstore.Store;
import io.relstore.shell.lang.Ast;
import io.relstore.shell.lang.ParseError;
import io.relstore.shell.lang.Parser;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One shell session on one store: parses input, runs it, and renders the results or the error.
 * The interactive REPL and the scripting mode ({@code -c}, a script on stdin) share it.
 */
final class Session {
  private final Store store;
  private final Models models;
  private final Interpreter interpreter;
  private final Printer printer;

  /** The outcome of one input: the results printed before any error, and the error, if any. */
  record Outcome(String text, @Nullable String error, long nanos) {
    boolean failed() {
      return error != null;
    }
  }

  Session(Store store, List<Class<? extends Record>> modelTypes, int width) {
    this.store = store;
    this.models = new Models(modelTypes);
    this.interpreter = new Interpreter(store, models);
    this.printer = new Printer(store, models, width, 20);
  }

  Store store() {
    return store;
  }

  Models models() {
    return models;
  }

  Interpreter interpreter() {
    return interpreter;
  }

  /**
   * Runs every statement of {@code input}; stops at the first error. The text holds each result
   * on its own line(s), or the error as one line (a syntax error adds the line and a caret).
   */
  Outcome execute(String input) {
    long start = System.nanoTime();
    StringBuilder out = new StringBuilder();
    try {
      for (Ast statement : Parser.parse(input)) {
        String text = printer.format(interpreter.run(statement));
        if (!text.isEmpty()) {
          out.append(text).append('\n');
        }
      }
      return new Outcome(out.toString(), null, System.nanoTime() - start);
    } catch (ParseError e) {
      return new Outcome(out.toString(), e.render(lineOf(input)), System.nanoTime() - start);
    } catch (ShellError e) {
      return new Outcome(out.toString(), e.kind() + ": " + e.getMessage() + " (column "
          + e.column() + ")", System.nanoTime() - start);
    } catch (StoreException e) {
      return new Outcome(out.toString(), e.getClass().getSimpleName() + ": "
          + oneLine(e.getMessage()), System.nanoTime() - start);
    } catch (RuntimeException e) {
      return new Outcome(out.toString(), "Error: " + e, System.nanoTime() - start);
    }
  }

  private static String oneLine(String message) {
    return message.replace('\n', ' ');
  }

  /** The input line a parse error's column refers to (the lexer counts columns from the input). */
  private static String lineOf(String input) {
    return input.contains("\n") ? input.replace('\n', ' ') : input;
  }

  /** Text for the time a result took: {@code (1.2 ms)}. */
  static String timing(long nanos) {
    double ms = nanos / 1e6;
    return String.format(Locale.ROOT, ms < 10 ? "(%.2f ms)" : "(%.0f ms)", ms);
  }
}
