package io.relstore.shell.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for the Python expressions the Django shell is used with:
 * assignments, names, attribute access, calls with positional and keyword arguments, indexing and
 * slicing, lists and tuples, literals ({@code True False None}, numbers, strings), unary
 * {@code - ~} and binary {@code | & + - * /} with Python's precedence. Every error names what was
 * expected and the column where it was not found.
 *
 * <pre>
 * statement := NAME '=' expr | expr
 * expr      := and ('|' and)*
 * and       := unary ('&amp;' unary)*
 * unary     := '~' unary | sum
 * sum       := product (('+' | '-') product)*
 * product   := sign (('*' | '/') sign)*
 * sign      := '-' sign | postfix
 * postfix   := primary ('.' NAME | '(' args ')' | '[' subscript ']')*
 * primary   := NAME | NUMBER | STRING | '(' expr (',' expr)* ')' | '[' (expr (',' expr)*)? ']'
 * </pre>
 */
public final class Parser {
  private final List<Token> tokens;
  private int pos;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** All statements of the input (separated by newlines or {@code ;}). */
  public static List<Ast> parse(String src) {
    Parser p = new Parser(Lexer.tokens(src));
    List<Ast> out = new ArrayList<>();
    while (true) {
      while (p.peek().kind() == Token.Kind.NEWLINE) {
        p.pos++;
      }
      if (p.peek().kind() == Token.Kind.END) {
        return out;
      }
      out.add(p.statement());
      Token t = p.peek();
      if (t.kind() != Token.Kind.NEWLINE && t.kind() != Token.Kind.END) {
        throw new ParseError("unexpected " + t + " after a complete expression", t.column());
      }
    }
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private boolean accept(String op) {
    if (peek().is(op)) {
      pos++;
      return true;
    }
    return false;
  }

  private Token expect(String op, String what) {
    Token t = peek();
    if (!t.is(op)) {
      throw new ParseError("expected '" + op + "' " + what + ", found " + t, t.column());
    }
    return next();
  }

  private Ast statement() {
    Token t = peek();
    if (t.kind() == Token.Kind.NAME && tokens.get(pos + 1).is("=")) {
      pos += 2;
      return new Ast.Assign(t.text(), expr(), t.column());
    }
    return expr();
  }

  private Ast expr() {
    Ast left = and();
    while (peek().is("|")) {
      int col = next().column();
      left = new Ast.Binary('|', left, and(), col);
    }
    return left;
  }

  private Ast and() {
    Ast left = unary();
    while (peek().is("&")) {
      int col = next().column();
      left = new Ast.Binary('&', left, unary(), col);
    }
    return left;
  }

  private Ast unary() {
    if (peek().is("~")) {
      int col = next().column();
      return new Ast.Unary('~', unary(), col);
    }
    return sum();
  }

  private Ast sum() {
    Ast left = product();
    while (peek().is("+") || peek().is("-")) {
      Token op = next();
      left = new Ast.Binary(op.text().charAt(0), left, product(), op.column());
    }
    return left;
  }

  private Ast product() {
    Ast left = sign();
    while (peek().is("*") || peek().is("/")) {
      Token op = next();
      left = new Ast.Binary(op.text().charAt(0), left, sign(), op.column());
    }
    return left;
  }

  private Ast sign() {
    if (peek().is("-")) {
      int col = next().column();
      return new Ast.Unary('-', sign(), col);
    }
    return postfix();
  }

  private Ast postfix() {
    Ast e = primary();
    while (true) {
      Token t = peek();
      if (t.is(".")) {
        pos++;
        Token name = next();
        if (name.kind() != Token.Kind.NAME) {
          throw new ParseError("expected a name after '.', found " + name, name.column());
        }
        e = new Ast.Attr(e, name.text(), name.column());
      } else if (t.is("(")) {
        pos++;
        e = new Ast.Call(e, args(), t.column());
      } else if (t.is("[")) {
        pos++;
        e = subscript(e, t.column());
      } else {
        return e;
      }
    }
  }

  private List<Ast.Arg> args() {
    List<Ast.Arg> out = new ArrayList<>();
    boolean keywords = false;
    while (!peek().is(")")) {
      Token t = peek();
      if (t.kind() == Token.Kind.END || t.kind() == Token.Kind.NEWLINE) {
        throw new ParseError("'(' was never closed: expected ')'", t.column());
      }
      if (t.kind() == Token.Kind.NAME && tokens.get(pos + 1).is("=")) {
        pos += 2;
        out.add(new Ast.Arg(t.text(), expr(), t.column()));
        keywords = true;
      } else {
        if (keywords) {
          throw new ParseError("positional argument follows keyword argument", t.column());
        }
        out.add(new Ast.Arg(null, expr(), t.column()));
      }
      if (!accept(",")) {
        break;
      }
    }
    expect(")", "to close the call");
    return out;
  }

  private Ast subscript(Ast target, int col) {
    Ast low = peek().is(":") ? null : expr();
    if (accept(":")) {
      Ast high = peek().is("]") ? null : expr();
      expect("]", "to close the slice");
      return new Ast.Slice(target, low, high, col);
    }
    expect("]", "to close the index");
    if (low == null) {
      throw new ParseError("empty index", col);
    }
    return new Ast.Index(target, low, col);
  }

  private Ast primary() {
    Token t = next();
    switch (t.kind()) {
      case NAME -> {
        return switch (t.text()) {
          case "True" -> new Ast.Literal(Boolean.TRUE, t.column());
          case "False" -> new Ast.Literal(Boolean.FALSE, t.column());
          case "None" -> new Ast.Literal(null, t.column());
          default -> new Ast.Name(t.text(), t.column());
        };
      }
      case NUMBER, STRING -> {
        return new Ast.Literal(t.value(), t.column());
      }
      case OP -> {
        if (t.is("(")) {
          return parenthesised(t.column());
        }
        if (t.is("[")) {
          return new Ast.ListLit(items("]"), t.column());
        }
        throw new ParseError("unexpected " + t + ": expected a value", t.column());
      }
      default -> throw new ParseError("unexpected " + t + ": expected a value", t.column());
    }
  }

  private Ast parenthesised(int col) {
    if (accept(")")) {
      return new Ast.ListLit(List.of(), col);
    }
    Ast first = expr();
    if (accept(")")) {
      return first;
    }
    expect(",", "or ')' after the value");
    List<Ast> items = new ArrayList<>();
    items.add(first);
    items.addAll(items(")"));
    return new Ast.ListLit(items, col);
  }

  private List<Ast> items(String close) {
    List<Ast> out = new ArrayList<>();
    while (!peek().is(close)) {
      Token t = peek();
      if (t.kind() == Token.Kind.END || t.kind() == Token.Kind.NEWLINE) {
        throw new ParseError("bracket was never closed: expected '" + close + "'", t.column());
      }
      out.add(expr());
      if (!accept(",")) {
        break;
      }
    }
    expect(close, "to close the list");
    return out;
  }
}
