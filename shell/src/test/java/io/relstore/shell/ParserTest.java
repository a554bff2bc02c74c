package io.relstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.shell.lang.Ast;
import io.relstore.shell.lang.ParseError;
import io.relstore.shell.lang.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser: what it builds, and one test per class of syntax error with its column. */
class ParserTest {

  private static ParseError error(String src) {
    return assertThrows(ParseError.class, () -> Parser.parse(src));
  }

  @Test
  void aChainParsesIntoCallsAttributesAndASlice() {
    List<Ast> all = Parser.parse("Post.objects.filter(a=1, b__gt=\"x\").order_by(\"-c\")[:5]");
    Ast.Slice slice = assertInstanceOf(Ast.Slice.class, all.get(0));
    Ast.Call orderBy = assertInstanceOf(Ast.Call.class, slice.target());
    Ast.Call filter = assertInstanceOf(Ast.Call.class,
        ((Ast.Attr) orderBy.fn()).target());
    assertEquals(List.of("a", "b__gt"), filter.args().stream().map(Ast.Arg::keyword).toList());
    assertEquals(null, slice.low());
  }

  @Test
  void operatorsFollowPythonsPrecedence() {
    Ast e = Parser.parse("~Q(a=1) | Q(b=2) & Q(c=3)").get(0);
    Ast.Binary or = assertInstanceOf(Ast.Binary.class, e);
    assertEquals('|', or.op());
    assertInstanceOf(Ast.Unary.class, or.left());
    assertEquals('&', ((Ast.Binary) or.right()).op());
    Ast.Binary plus = assertInstanceOf(Ast.Binary.class, Parser.parse("F(\"v\") + 2 * 3").get(0));
    assertEquals('+', plus.op());
  }

  @Test
  void assignmentsAndSeveralStatements() {
    List<Ast> all = Parser.parse("x = 1; x\ny = [1, 2]");
    assertEquals(3, all.size());
    assertInstanceOf(Ast.Assign.class, all.get(0));
    assertInstanceOf(Ast.ListLit.class, ((Ast.Assign) all.get(2)).value());
  }

  @Test
  void anUnterminatedStringPointsAtItsQuote() {
    ParseError e = error("User.objects.get(username=\"alice)");
    assertEquals(27, e.column());
    assertTrue(e.getMessage().startsWith("unterminated string"));
  }

  @Test
  void anUnclosedCallPointsAtTheEnd() {
    ParseError e = error("User.objects.filter(a=1");
    assertEquals(24, e.column());
    assertTrue(e.getMessage().contains("expected ')'"), e.getMessage());
  }

  @Test
  void anUnclosedSlicePointsAtTheEnd() {
    ParseError e = error("Post.objects.all()[:5");
    assertEquals(22, e.column());
    assertTrue(e.getMessage().contains("expected ']'"), e.getMessage());
  }

  @Test
  void aMissingNameAfterADot() {
    ParseError e = error("Post.objects.(1)");
    assertEquals(14, e.column());
    assertTrue(e.getMessage().startsWith("expected a name after '.'"));
  }

  @Test
  void anUnexpectedCharacter() {
    ParseError e = error("Post.objects.get(pk=1) $");
    assertEquals(24, e.column());
    assertTrue(e.getMessage().startsWith("unexpected character '$'"));
  }

  @Test
  void aPositionalArgumentAfterAKeyword() {
    ParseError e = error("f(a=1, 2)");
    assertEquals(8, e.column());
    assertEquals("positional argument follows keyword argument", e.getMessage());
  }

  @Test
  void trailingTokensAfterACompleteExpression() {
    ParseError e = error("User.objects.count() 5");
    assertEquals(22, e.column());
    assertTrue(e.getMessage().startsWith("unexpected '5' after a complete expression"));
  }

  @Test
  void aMissingValue() {
    ParseError e = error("User.objects.filter(a=)");
    assertEquals(23, e.column());
    assertTrue(e.getMessage().contains("expected a value"), e.getMessage());
  }

  @Test
  void theRenderedErrorPutsTheCaretUnderTheColumn() {
    ParseError e = error("x = (1, 2");
    String[] lines = e.render("x = (1, 2").split("\n");
    assertEquals(e.column() - 1, lines[1].indexOf('^'));
    assertTrue(lines[1].contains("(column " + e.column() + ")"));
  }
}
