package io.relstore.query;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.FieldError;
import io.relstore.OrderBy;
import io.relstore.QueryError;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.ValidationError;
import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Text;
import io.relstore.testing.InvariantsExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every lookup on every field kind where Django allows it, nulls included, on six hand-made rows.
 * Every expected result below was worked out by hand from this table (not by re-running the
 * evaluator); unordered results come in primary-key order, as relstore documents.
 *
 * <pre>
 * id big    qty   small  ratio  weight active flag  name        note          price  at (UTC)            day         stamp               color uid
 * 1  0      1     -3     -2.5   0.5    true   true  ""          "Hello World" 1.50   2024-03-31T23:30Z Sun 2024-02-29 Thu 2024-01-01T00:00 Mon RED   00..01
 * 2  9e9    null  0      0.0    null   false  null  "Apple"     null          1.5    2024-01-01T00:00Z Mon 2023-12-31 Sun 2023-12-31T23:59:59 Sun GREEN f0000000-..
 * 3  -7     -5    32767  3.75   -1.25  true   false "apple pie" ""            -0.01  2021-01-01T12:00Z Fri 2021-01-01 Fri 2021-01-01T12:30:45 Fri BLUE 7fffffff-..-ff..
 * 4  42     1     -32768 1e10   2.0    false  true  "😀 Zoë"    "hello world" 100    2024-12-30T06:15Z Mon 2024-12-30 Mon 2024-12-30T06:15 Mon RED   00..02
 * 5  1      1000  7      -0.001 null   true   null  "ＡBC"      "ISTANBUL"    0.000  2024-06-15T10:00Z Sat 2024-06-15 Sat 2024-06-15T10:05 Sat GREEN 00..0a
 * 6  -1     0     1      2.5    0.0    false  false "ÄRGER"     null          2.25   2020-02-29T00:00Z Sat 2024-01-31 Wed 2020-02-29T00:00 Sat BLUE 80000000-..
 * </pre>
 * "😀" is U+1F600 (a supplementary code point, two UTF-16 units starting with U+D83D); "Ａ" is the
 * fullwidth U+FF21; "Ä" is U+00C4; "ë" is the precomposed U+00EB. 2021-01-01 lies in ISO week 53 of
 * 2020; 2024-12-30 in ISO week 1 of 2025.
 */
class LookupMatrixTest {
  enum Color { RED, GREEN, BLUE }

  record Item(@Id long id, long big, @Nullable Integer qty, short small, double ratio,
      @Nullable Float weight, boolean active, @Nullable Boolean flag,
      @Char(maxLength = 20) String name, @Text @Nullable String note, BigDecimal price,
      Instant at, LocalDate day, LocalDateTime stamp, Color color, UUID uid) {
  }

  private static final String EMOJI = "\uD83D\uDE00";
  private static final String FULLWIDTH_A = "\uFF21";
  private static final long[] ALL = {1, 2, 3, 4, 5, 6};

  Store store;

  @BeforeEach
  void sixRows() {
    store = Store.builder().add(Item.class).build();
    store.bulkCreate(rows());
  }

  static List<Item> rows() {
    return List.of(
        new Item(0, 0, 1, (short) -3, -2.5, 0.5f, true, true, "", "Hello World",
            new BigDecimal("1.50"), Instant.parse("2024-03-31T23:30:00Z"),
            LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 1, 1, 0, 0), Color.RED,
            UUID.fromString("00000000-0000-0000-0000-000000000001")),
        new Item(0, 9_000_000_000L, null, (short) 0, 0.0, null, false, null, "Apple", null,
            new BigDecimal("1.5"), Instant.parse("2024-01-01T00:00:00Z"),
            LocalDate.of(2023, 12, 31), LocalDateTime.of(2023, 12, 31, 23, 59, 59), Color.GREEN,
            UUID.fromString("f0000000-0000-0000-0000-000000000000")),
        new Item(0, -7, -5, Short.MAX_VALUE, 3.75, -1.25f, true, false, "apple pie", "",
            new BigDecimal("-0.01"), Instant.parse("2021-01-01T12:00:00Z"),
            LocalDate.of(2021, 1, 1), LocalDateTime.of(2021, 1, 1, 12, 30, 45), Color.BLUE,
            UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff")),
        new Item(0, 42, 1, Short.MIN_VALUE, 1e10, 2.0f, false, true, EMOJI + " Zo\u00EB",
            "hello world", new BigDecimal("100"), Instant.parse("2024-12-30T06:15:00Z"),
            LocalDate.of(2024, 12, 30), LocalDateTime.of(2024, 12, 30, 6, 15), Color.RED,
            UUID.fromString("00000000-0000-0000-0000-000000000002")),
        new Item(0, 1, 1000, (short) 7, -0.001, null, true, null, FULLWIDTH_A + "BC",
            "ISTANBUL", new BigDecimal("0.000"), Instant.parse("2024-06-15T10:00:00Z"),
            LocalDate.of(2024, 6, 15), LocalDateTime.of(2024, 6, 15, 10, 5), Color.GREEN,
            UUID.fromString("00000000-0000-0000-0000-00000000000a")),
        new Item(0, -1, 0, (short) 1, 2.5, 0.0f, false, false, "\u00C4RGER", null,
            new BigDecimal("2.25"), Instant.parse("2020-02-29T00:00:00Z"),
            LocalDate.of(2024, 1, 31), LocalDateTime.of(2020, 2, 29, 0, 0), Color.BLUE,
            UUID.fromString("80000000-0000-0000-0000-000000000000")));
  }

  private QuerySet<Item> items() {
    return store.objects(Item.class);
  }

  private static List<Long> ids(List<Item> rows) {
    List<Long> out = new ArrayList<>();
    for (Item i : rows) {
      out.add(i.id());
    }
    return out;
  }

  private static List<Long> expected(long... ids) {
    List<Long> out = new ArrayList<>();
    for (long id : ids) {
      out.add(id);
    }
    return out;
  }

  /** filter(path=value) gives exactly the rows {@code ids}, in key order. */
  private void assertFilter(String path, @Nullable Object value, long... ids) {
    assertEquals(expected(ids), ids(items().filter(path, value).list()),
        "filter(" + path + "=" + value + ")");
  }

  /** exclude(path=value) gives exactly the rows {@code ids}, in key order. */
  private void assertExclude(String path, @Nullable Object value, long... ids) {
    assertEquals(expected(ids), ids(items().exclude(path, value).list()),
        "exclude(" + path + "=" + value + ")");
  }

  private void assertOrder(String key, long... ids) {
    assertEquals(expected(ids), ids(items().orderBy(key, "id").list()), "orderBy(" + key + ")");
  }

  private void assertNoneRejected(String field, String... lookups) {
    for (String lookup : lookups) {
      QueryError e = assertThrows(QueryError.class,
          () -> items().filter(field + "__" + lookup, null), field + "__" + lookup);
      assertTrue(e.getMessage().startsWith("Cannot use None as a query value"), e.getMessage());
    }
  }

  private void assertValidationError(String path, Object value) {
    ValidationError e = assertThrows(ValidationError.class, () -> items().filter(path, value),
        path + "=" + value);
    String field = path.split("__")[0];
    assertTrue(e.getMessage().contains("Item"), "names the model: " + e.getMessage());
    assertTrue(e.getMessage().contains(field), "names the field: " + e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(value)), "names the value: "
        + e.getMessage());
  }

  // ------------------------------------------------------------------ long

  @Test
  void longField_exactInAndComparisons() {
    assertFilter("big", 0L, 1);
    assertFilter("big", 42, 4);
    assertFilter("big__exact", 9_000_000_000L, 2);
    assertFilter("big__in", List.of(0, 42, 99), 1, 4);
    assertFilter("big__gt", 0, 2, 4, 5);
    assertFilter("big__gte", 0, 1, 2, 4, 5);
    assertFilter("big__lt", 0, 3, 6);
    assertFilter("big__lte", -1, 3, 6);
    assertFilter("big__lte", 0L, 1, 3, 6);
    assertFilter("big__range", List.of(-1, 1), 1, 5, 6);
    assertFilter("big__isnull", false, ALL);
    assertFilter("big__isnull", true);
    assertFilter("big", null);
    assertExclude("big__gt", 0, 1, 3, 6);
  }

  // ------------------------------------------------------------------ Integer, nullable

  @Test
  void nullableIntegerField_nullNeverMatchesAComparisonAndExcludeKeepsIt() {
    assertFilter("qty", 1, 1, 4);
    assertFilter("qty", 1L, 1, 4);
    assertFilter("qty__gt", 0, 1, 4, 5);
    assertFilter("qty__lt", 1, 3, 6);
    assertFilter("qty__lte", 1, 1, 3, 4, 6);
    assertFilter("qty__gte", 1000, 5);
    assertFilter("qty__range", List.of(0, 1), 1, 4, 6);
    assertExclude("qty__gt", 0, 2, 3, 6);
    assertExclude("qty", 1, 2, 3, 5, 6);
  }

  @Test
  void exactAndIexactWithNone_areIsnull() {
    assertFilter("qty", null, 2);
    assertFilter("qty__exact", null, 2);
    assertFilter("qty__iexact", null, 2);
    assertFilter("qty__isnull", true, 2);
    assertFilter("qty__isnull", false, 1, 3, 4, 5, 6);
    assertFilter("weight", null, 2, 5);
    assertFilter("weight__iexact", null, 2, 5);
    assertFilter("flag", null, 2, 5);
    assertFilter("flag__iexact", null, 2, 5);
    assertFilter("note", null, 2, 6);
    assertFilter("note__iexact", null, 2, 6);
    assertFilter("note__isnull", false, 1, 3, 4, 5);
    assertExclude("note", null, 1, 3, 4, 5);
    assertFilter("name", null);
  }

  @Test
  void noneWithAnyOtherLookup_isRefused() {
    assertNoneRejected("qty", "gt", "gte", "lt", "lte", "in", "range", "contains",
        "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex", "iregex");
    assertNoneRejected("note", "contains", "icontains", "startswith", "istartswith", "endswith",
        "iendswith", "regex", "iregex", "gt", "lt");
    assertNoneRejected("day", "gt", "lte");
    assertNoneRejected("day__year", "gte");
    QueryError e = assertThrows(QueryError.class, () -> items().exclude("weight__lt", null));
    assertTrue(e.getMessage().startsWith("Cannot use None as a query value"), e.getMessage());
  }

  @Test
  void in_dropsNoneItems_emptyMatchesNothing_excludeOfEmptyMatchesAll() {
    assertFilter("qty__in", Arrays.asList(1, null), 1, 4);
    assertExclude("qty__in", Arrays.asList(1, null), 2, 3, 5, 6);
    assertFilter("qty__in", Arrays.asList((Object) null));
    assertExclude("qty__in", Arrays.asList((Object) null), ALL);
    assertFilter("qty__in", List.of());
    assertExclude("qty__in", List.of(), ALL);
    assertFilter("note__in", Arrays.asList("", null), 3);
    assertFilter("flag__in", Arrays.asList(false, null), 3, 6);
    assertFilter("weight__in", Arrays.asList(0.5, null, 2.0), 1, 4);
    assertFilter("name__in", new String[] {"Apple", "apple"}, 2);
    assertEquals(0, items().filter("big__in", Set.of()).count());
    assertEquals(6, items().exclude("big__in", Set.of()).count());
  }

  @Test
  void isnullWithANonBoolean_isRefused() {
    for (Object bad : new Object[] {"yes", 1, 0, "True", null}) {
      QueryError e = assertThrows(QueryError.class, () -> items().filter("qty__isnull", bad),
          "isnull=" + bad);
      assertTrue(e.getMessage().startsWith(
          "The QuerySet value for an isnull lookup must be True or False."), e.getMessage());
    }
  }

  // ------------------------------------------------------------------ short

  @Test
  void shortField_lookupsAcrossItsWholeRange() {
    assertFilter("small", -3, 1);
    assertFilter("small", 32767, 3);
    assertFilter("small", (short) -32768, 4);
    assertFilter("small__gt", 0, 3, 5, 6);
    assertFilter("small__lt", -3, 4);
    assertFilter("small__range", List.of(-3, 1), 1, 2, 6);
    assertFilter("small__in", List.of(7, -32768), 4, 5);
    assertFilter("small__isnull", false, ALL);
  }

  // ------------------------------------------------------------------ double / Float

  @Test
  void doubleField_negativeValuesAndCoercedOperands() {
    assertFilter("ratio", -2.5, 1);
    assertFilter("ratio", 0, 2);
    assertFilter("ratio", new BigDecimal("3.75"), 3);
    assertFilter("ratio", 10_000_000_000L, 4);
    assertFilter("ratio__gt", 0, 3, 4, 6);
    assertFilter("ratio__lt", 0, 1, 5);
    assertFilter("ratio__gte", 2.5, 3, 4, 6);
    assertFilter("ratio__lte", -0.001, 1, 5);
    assertFilter("ratio__range", List.of(-2.5, 2.5), 1, 2, 5, 6);
    assertFilter("ratio__in", List.of(2.5, 3.75), 3, 6);
  }

  @Test
  void nullableFloatField() {
    assertFilter("weight", 0.5, 1);
    assertFilter("weight", 2, 4);
    assertFilter("weight", 0.0f, 6);
    assertFilter("weight__gt", 0, 1, 4);
    assertFilter("weight__lt", 0.5, 3, 6);
    assertExclude("weight__lt", 0.5, 1, 2, 4, 5);
    assertFilter("weight__range", List.of(-2, 0), 3, 6);
    assertFilter("weight__isnull", true, 2, 5);
  }

  @Test
  void negativeZero_equalsZeroAsInSql() {
    Store s = InvariantsExtension.track(Store.builder().add(Item.class).build());
    List<Item> two = new ArrayList<>();
    for (Item i : rows().subList(0, 2)) {
      two.add(new Item(0, i.big(), i.qty(), i.small(), 0.0, i.weight(), i.active(), i.flag(),
          i.name(), i.note(), i.price(), i.at(), i.day(), i.stamp(), i.color(), i.uid()));
    }
    Item first = two.get(0);
    two.set(0, new Item(0, first.big(), first.qty(), first.small(), -0.0, -0.0f,
        first.active(), first.flag(), first.name(), first.note(), first.price(), first.at(),
        first.day(), first.stamp(), first.color(), first.uid()));
    s.bulkCreate(two);
    QuerySet<Item> all = s.objects(Item.class);
    assertAll(
        () -> assertEquals(expected(1, 2), ids(all.filter("ratio", 0.0).list()),
            "IEEE 754 and SQL: -0.0 = 0.0"),
        () -> assertEquals(expected(1, 2), ids(all.filter("ratio__in", List.of(0)).list()),
            "in (0)"),
        () -> assertEquals(expected(), ids(all.filter("ratio__lt", 0).list()),
            "-0.0 < 0 is false in SQL"),
        () -> assertEquals(expected(1), ids(all.filter("weight", 0).list()), "float -0.0 = 0"));
  }

  // ------------------------------------------------------------------ booleans

  @Test
  void booleanField() {
    assertFilter("active", true, 1, 3, 5);
    assertFilter("active", false, 2, 4, 6);
    assertFilter("active__in", List.of(true), 1, 3, 5);
    assertFilter("active__gt", false, 1, 3, 5);
    assertFilter("active__lte", false, 2, 4, 6);
    assertExclude("active", true, 2, 4, 6);
    assertFilter("active__isnull", false, ALL);
  }

  @Test
  void nullableBooleanField_excludeKeepsNull() {
    assertFilter("flag", true, 1, 4);
    assertFilter("flag", false, 3, 6);
    assertFilter("flag__isnull", false, 1, 3, 4, 6);
    assertExclude("flag", true, 2, 3, 5, 6);
    assertExclude("flag", false, 1, 2, 4, 5);
  }

  // ------------------------------------------------------------------ strings

  @Test
  void charField_exactIsCaseSensitiveAndEmptyStringIsNotNull() {
    assertFilter("name", "", 1);
    assertFilter("name", "apple");
    assertFilter("name", "Apple", 2);
    assertFilter("name__isnull", false, ALL);
    assertFilter("name__iexact", "apple", 2);
    assertFilter("name__iexact", "\u00E4rger", 6);
    assertFilter("name__iexact", EMOJI + " zO\u00CB", 4);
    assertFilter("name__iexact", "", 1);
    assertFilter("name__in", List.of("Apple", "apple", ""), 1, 2);
  }

  @Test
  void charField_substringLookups() {
    assertFilter("name__contains", "pple", 2, 3);
    assertFilter("name__contains", "A", 2);
    assertFilter("name__contains", "", ALL);
    assertFilter("name__contains", EMOJI, 4);
    assertFilter("name__icontains", "a", 2, 3);
    assertFilter("name__icontains", "\u00E4", 6);
    assertFilter("name__icontains", "ZO\u00CB", 4);
    assertFilter("name__startswith", "apple", 3);
    assertFilter("name__startswith", "", ALL);
    assertFilter("name__startswith", EMOJI, 4);
    assertFilter("name__istartswith", "APPLE", 2, 3);
    assertFilter("name__endswith", "ER", 6);
    assertFilter("name__endswith", "Zo\u00EB", 4);
    assertFilter("name__iendswith", "PIE", 3);
    assertFilter("name__iendswith", "c", 5);
    assertExclude("name__icontains", "apple", 1, 4, 5, 6);
  }

  @Test
  void nullableTextField_substringLookupsNeverMatchNull() {
    assertFilter("note", "", 3);
    assertFilter("note__iexact", "HELLO WORLD", 1, 4);
    assertFilter("note__contains", "World", 1);
    assertFilter("note__contains", "", 1, 3, 4, 5);
    assertFilter("note__icontains", "world", 1, 4);
    assertFilter("note__startswith", "hello", 4);
    assertFilter("note__istartswith", "hello", 1, 4);
    assertFilter("note__endswith", "", 1, 3, 4, 5);
    assertFilter("note__iendswith", "BUL", 5);
    assertExclude("note__contains", "World", 2, 3, 4, 5, 6);
    assertExclude("note__icontains", "o", 2, 3, 5, 6);
  }

  @Test
  void regex_isAFindNotAFullMatch() {
    assertFilter("name__regex", "pp", 2, 3);
    assertFilter("name__regex", "^a", 3);
    assertFilter("name__regex", "^$", 1);
    assertFilter("name__regex", "^.{5}$", 2, 4, 6);
    assertFilter("note__regex", "o W", 1);
    assertFilter("note__regex", "^hello", 4);
    assertExclude("note__regex", "o", 2, 3, 5, 6);
  }

  @Test
  void iregex_isCaseInsensitiveIncludingBeyondAscii() {
    assertFilter("name__iregex", "^A", 2, 3);
    assertFilter("name__iregex", "^\u00E4", 6);
    assertFilter("name__iregex", "PIE$", 3);
    assertFilter("note__iregex", "O W", 1, 4);
  }

  @Test
  void invalidRegex_isAValidationErrorAtFilterTime() {
    assertThrows(ValidationError.class, () -> items().filter("name__regex", "("));
  }

  @Test
  void caseInsensitiveLookups_foldWithLocaleRootNotTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      // in Turkish, "I".toLowerCase() is the dotless "ı" and "i".toUpperCase() the dotted "İ"
      assertFilter("note__iexact", "istanbul", 5);
      assertFilter("note__icontains", "i", 5);
      assertFilter("note__istartswith", "IST", 5);
      assertFilter("note__iendswith", "bul", 5);
      assertFilter("name__icontains", "I", 3);
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void stringComparisons_areByCodePoint_supplementaryAfterTheBmp() {
    // by UTF-16 unit, U+1F600 (\uD83D\uDE00) would sort before U+FF21; by code point after
    assertFilter("name__gt", FULLWIDTH_A + "BC", 4);
    assertFilter("name__gte", FULLWIDTH_A + "BC", 4, 5);
    assertFilter("name__lt", FULLWIDTH_A, 1, 2, 3, 6);
    assertFilter("name__gt", "Z", 3, 4, 5, 6);
    assertFilter("name__lt", "Apple", 1);
    assertFilter("name__lte", "apple pie", 1, 2, 3);
    assertFilter("name__range", List.of("A", "b"), 2, 3);
    assertFilter("note__gt", "a", 4);
    assertFilter("note__lt", "I", 1, 3);
    assertEquals(expected(1, 2, 3, 6, 5, 4), ids(items().orderBy("name").list()));
  }

  // ------------------------------------------------------------------ BigDecimal

  @Test
  void decimalField_equalValuesOfDifferentScaleAreEqual() {
    assertFilter("price", new BigDecimal("1.5"), 1, 2);
    assertFilter("price", new BigDecimal("1.500"), 1, 2);
    assertFilter("price", 1.5, 1, 2);
    assertFilter("price", 0, 5);
    assertFilter("price__in", List.of(new BigDecimal("100.0")), 4);
    assertFilter("price__gt", new BigDecimal("1.5"), 4, 6);
    assertFilter("price__gte", new BigDecimal("1.50"), 1, 2, 4, 6);
    assertFilter("price__lt", 0, 3);
    assertFilter("price__range", List.of(0, new BigDecimal("1.5")), 1, 2, 5);
    assertExclude("price", new BigDecimal("1.5"), 3, 4, 5, 6);
  }

  @Test
  void valuesDistinct_onDecimalsOfDifferentScale_keepsOneValue() {
    List<Object> prices = items().filter("price__in", List.of(new BigDecimal("1.5")))
        .valuesListFlat("price").distinct().flat();
    assertEquals(1, prices.size(), "SQL DISTINCT: 1.50 and 1.5 are one numeric value: "
        + prices);
  }

  // ------------------------------------------------------------------ Instant

  @Test
  void instantField_comparisonsAndTextCoercion() {
    Instant newYear = Instant.parse("2024-01-01T00:00:00Z");
    assertFilter("at", newYear, 2);
    assertFilter("at", "2024-01-01T00:00:00Z", 2);
    assertFilter("at__gt", newYear, 1, 4, 5);
    assertFilter("at__gte", newYear, 1, 2, 4, 5);
    assertFilter("at__lt", Instant.parse("2021-01-01T12:00:00Z"), 6);
    assertFilter("at__range", List.of("2021-01-01T12:00:00Z", newYear), 2, 3);
    assertFilter("at__in", List.of(newYear, "2020-02-29T00:00:00Z"), 2, 6);
  }

  @Test
  void instantTransforms_useTheStoreClockZone_utcByDefault() {
    assertFilter("at__year", 2024, 1, 2, 4, 5);
    assertFilter("at__year__lt", 2024, 3, 6);
    assertFilter("at__month", 3, 1);
    assertFilter("at__day", 31, 1);
    assertFilter("at__day", 29, 6);
    assertFilter("at__hour", 23, 1);
    assertFilter("at__hour", 0, 2, 6);
    assertFilter("at__minute", 15, 4);
    assertFilter("at__minute", 30, 1);
    assertFilter("at__second", 0, ALL);
    assertFilter("at__week_day", 1, 1);
    assertFilter("at__week_day", 2, 2, 4);
    assertFilter("at__week_day", 7, 5, 6);
    assertFilter("at__iso_week_day", 7, 1);
    assertFilter("at__iso_week_day", 1, 2, 4);
    assertFilter("at__quarter", 1, 1, 2, 3, 6);
    assertFilter("at__quarter", 2, 5);
    assertFilter("at__quarter", 4, 4);
    assertFilter("at__week", 53, 3);
    assertFilter("at__iso_year", 2025, 4);
    assertFilter("at__iso_year", 2020, 3, 6);
    assertFilter("at__date", LocalDate.of(2024, 3, 31), 1);
    assertFilter("at__date", "2024-03-31", 1);
    assertFilter("at__date__gte", LocalDate.of(2024, 6, 15), 4, 5);
  }

  @Test
  void instantTransforms_inAnotherClockZone() {
    Store paris = InvariantsExtension.track(Store.builder().add(Item.class)
        .clock(Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneId.of("Europe/Paris")))
        .build());
    Item base = rows().get(0);
    paris.create(base);
    paris.create(new Item(0, 1, null, (short) 0, 0, null, true, null, "x", null, BigDecimal.ONE,
        Instant.parse("2023-12-31T23:30:00Z"), base.day(), base.stamp(), Color.RED, base.uid()));
    QuerySet<Item> all = paris.objects(Item.class);
    // 2024-03-31T23:30Z is Monday 2024-04-01 01:30 in Paris (summer time since 31 March)
    assertEquals(expected(1), ids(all.filter("at__month", 4).list()));
    assertEquals(expected(1, 2), ids(all.filter("at__day", 1).list()));
    assertEquals(expected(1), ids(all.filter("at__hour", 1).list()));
    assertEquals(expected(1), ids(all.filter("at__quarter", 2).list()));
    assertEquals(expected(1, 2), ids(all.filter("at__week_day", 2).list()),
        "2023-12-31T23:30Z is Monday 2024-01-01 00:30 in Paris");
    assertEquals(expected(1), ids(all.filter("at__date", "2024-04-01").list()));
    assertEquals(expected(1, 2), ids(all.filter("at__year", 2024).list()));
    assertEquals(expected(2), ids(all.filter("at__minute", 30).filter("at__hour", 0).list()));
  }

  // ------------------------------------------------------------------ LocalDate

  @Test
  void dateField_comparisonsAndTextCoercion() {
    assertFilter("day", LocalDate.of(2024, 2, 29), 1);
    assertFilter("day", "2024-02-29", 1);
    assertFilter("day", "2024-01-31", 6);
    assertFilter("day__gt", "2024-01-31", 1, 4, 5);
    assertFilter("day__gte", "2024-01-31", 1, 4, 5, 6);
    assertFilter("day__lt", LocalDate.of(2024, 1, 1), 2, 3);
    assertFilter("day__range", List.of("2023-12-31", "2024-02-29"), 1, 2, 6);
    assertFilter("day__in", List.of("2021-01-01", LocalDate.of(2024, 12, 30)), 3, 4);
  }

  @Test
  void dateTransforms_andTheirChainingWithALookup() {
    assertFilter("day__year", 2024, 1, 4, 5, 6);
    assertFilter("day__year__gte", 2024, 1, 4, 5, 6);
    assertFilter("day__year__lt", 2024, 2, 3);
    assertFilter("day__year__in", List.of(2021, 2023), 2, 3);
    assertFilter("day__month", 12, 2, 4);
    assertFilter("day__month", 2, 1);
    assertFilter("day__month__range", List.of(6, 12), 2, 4, 5);
    assertFilter("day__day", 31, 2, 6);
    assertFilter("day__day", 29, 1);
    assertFilter("day__week_day", 1, 2);
    assertFilter("day__week_day", 2, 4);
    assertFilter("day__week_day", 4, 6);
    assertFilter("day__week_day", 5, 1);
    assertFilter("day__week_day", 6, 3);
    assertFilter("day__week_day", 7, 5);
    assertFilter("day__week_day__gte", 6, 3, 5);
    assertFilter("day__iso_week_day", 7, 2);
    assertFilter("day__iso_week_day", 1, 4);
    assertFilter("day__iso_week_day", 4, 1);
    assertFilter("day__quarter", 1, 1, 3, 6);
    assertFilter("day__quarter", 2, 5);
    assertFilter("day__quarter", 4, 2, 4);
    assertFilter("day__week", 53, 3);
    assertFilter("day__week", 1, 4);
    assertFilter("day__iso_year", 2025, 4);
    assertFilter("day__iso_year", 2020, 3);
    assertFilter("day__iso_year", 2023, 2);
    assertExclude("day__year", 2024, 2, 3);
  }

  @Test
  void timeTransformsOnADateField_areUnsupportedLookups() {
    for (String t : List.of("hour", "minute", "second", "date")) {
      FieldError e = assertThrows(FieldError.class, () -> items().filter("day__" + t, 0));
      assertTrue(e.getMessage().startsWith("Unsupported lookup '" + t + "'"), e.getMessage());
    }
    assertThrows(FieldError.class, () -> items().filter("big__year", 2024));
  }

  // ------------------------------------------------------------------ LocalDateTime

  @Test
  void dateTimeField_aDateOperandMeansMidnight() {
    assertFilter("stamp", LocalDateTime.of(2024, 1, 1, 0, 0), 1);
    assertFilter("stamp", LocalDate.of(2024, 1, 1), 1);
    assertFilter("stamp", "2024-01-01T00:00", 1);
    assertFilter("stamp__range", List.of(LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 1)),
        1, 2);
    assertFilter("stamp__lt", LocalDate.of(2024, 1, 1), 2, 3, 6);
    assertFilter("stamp__gte", "2024-06-15T10:05", 4, 5);
  }

  @Test
  void dateTimeTransforms() {
    assertFilter("stamp__year", 2024, 1, 4, 5);
    assertFilter("stamp__year", 2023, 2);
    assertFilter("stamp__month", 2, 6);
    assertFilter("stamp__day", 29, 6);
    assertFilter("stamp__hour", 0, 1, 6);
    assertFilter("stamp__hour", 23, 2);
    assertFilter("stamp__hour__gte", 10, 2, 3, 5);
    assertFilter("stamp__minute", 59, 2);
    assertFilter("stamp__minute", 30, 3);
    assertFilter("stamp__second", 45, 3);
    assertFilter("stamp__date", LocalDate.of(2023, 12, 31), 2);
    assertFilter("stamp__date__gte", "2024-06-15", 4, 5);
    assertFilter("stamp__date__year", 2024, 1, 4, 5);
    assertFilter("stamp__week_day", 1, 2);
    assertFilter("stamp__week_day", 7, 5, 6);
    assertFilter("stamp__iso_week_day", 1, 1, 4);
    assertFilter("stamp__quarter", 4, 2, 4);
    assertFilter("stamp__week", 53, 3);
    assertFilter("stamp__iso_year", 2025, 4);
  }

  // ------------------------------------------------------------------ enum

  @Test
  void enumField_acceptsConstantsAndNamesAndComparesByName() {
    assertFilter("color", Color.RED, 1, 4);
    assertFilter("color", "RED", 1, 4);
    assertFilter("color__in", List.of("GREEN", Color.BLUE), 2, 3, 5, 6);
    assertFilter("color__gt", "GREEN", 1, 4);
    assertFilter("color__lt", Color.GREEN, 3, 6);
    assertFilter("color__iexact", "red", 1, 4);
    assertFilter("color__icontains", "ee", 2, 5);
    assertFilter("color__startswith", "B", 3, 6);
    assertFilter("color__regex", "E", ALL);
    assertExclude("color", Color.RED, 2, 3, 5, 6);
  }

  // ------------------------------------------------------------------ UUID

  @Test
  void uuidField_comparesAsItsTextNotAsSignedLongs() {
    UUID seven = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
    assertFilter("uid", seven, 3);
    assertFilter("uid", "00000000-0000-0000-0000-000000000002", 4);
    assertFilter("uid__in", List.of(seven, "80000000-0000-0000-0000-000000000000"), 3, 6);
    assertFilter("uid__gt", seven, 2, 6);
    assertFilter("uid__lt", "80000000-0000-0000-0000-000000000000", 1, 3, 4, 5);
    assertFilter("uid__isnull", false, ALL);
  }

  // ------------------------------------------------------------------ coercion errors

  @Test
  void aValueThatDoesNotFitTheField_isAValidationErrorNamingModelFieldAndValue() {
    assertValidationError("big", "abc");
    assertValidationError("big", 2.5);
    assertValidationError("qty", 3_000_000_000L);
    assertValidationError("small", 40000);
    assertValidationError("ratio", "1.5");
    assertValidationError("active", "yes");
    assertValidationError("price", "ten");
    assertValidationError("day", "2024-02-30");
    assertValidationError("day__gt", "tomorrow");
    assertValidationError("stamp", "noon");
    assertValidationError("at", "yesterday");
    assertValidationError("color", "PURPLE");
    assertValidationError("uid", "not-a-uuid");
    assertValidationError("day__year", "MMXXIV");
    assertThrows(ValidationError.class, () -> items().filter("big__in", List.of(1, "x")));
    assertThrows(ValidationError.class, () -> items().filter("big__range", List.of(1, "x")));
  }

  // ------------------------------------------------------------------ ordering by each kind

  @Test
  void orderingByEachKind_ascendingAndDescending() {
    assertOrder("big", 3, 6, 1, 5, 4, 2);
    assertOrder("-big", 2, 4, 5, 1, 6, 3);
    assertOrder("small", 4, 1, 2, 6, 5, 3);
    assertOrder("-small", 3, 5, 6, 2, 1, 4);
    assertOrder("ratio", 1, 5, 2, 6, 3, 4);
    assertOrder("-ratio", 4, 3, 6, 2, 5, 1);
    assertOrder("active", 2, 4, 6, 1, 3, 5);
    assertOrder("-active", 1, 3, 5, 2, 4, 6);
    assertOrder("name", 1, 2, 3, 6, 5, 4);
    assertOrder("-name", 4, 5, 6, 3, 2, 1);
    assertOrder("price", 3, 5, 1, 2, 6, 4);
    assertOrder("-price", 4, 6, 1, 2, 5, 3);
    assertOrder("at", 6, 3, 2, 1, 5, 4);
    assertOrder("-at", 4, 5, 1, 2, 3, 6);
    assertOrder("day", 3, 2, 6, 1, 5, 4);
    assertOrder("-day", 4, 5, 1, 6, 2, 3);
    assertOrder("stamp", 6, 3, 2, 1, 5, 4);
    assertOrder("-stamp", 4, 5, 1, 2, 3, 6);
    assertOrder("color", 3, 6, 2, 5, 1, 4);
    assertOrder("-color", 1, 4, 2, 5, 3, 6);
    assertOrder("uid", 1, 4, 5, 3, 6, 2);
    assertOrder("-uid", 2, 6, 3, 5, 4, 1);
  }

  @Test
  void orderingByNullableKinds_nullsLastAscendingAndFirstDescending() {
    assertOrder("qty", 3, 6, 1, 4, 5, 2);
    assertOrder("-qty", 2, 5, 1, 4, 6, 3);
    assertOrder("weight", 3, 6, 1, 4, 2, 5);
    assertOrder("-weight", 2, 5, 4, 1, 6, 3);
    assertOrder("flag", 3, 6, 1, 4, 2, 5);
    assertOrder("-flag", 2, 5, 1, 4, 3, 6);
    assertOrder("note", 3, 1, 5, 4, 2, 6);
    assertOrder("-note", 2, 6, 4, 5, 1, 3);
    assertEquals(expected(2, 3, 6, 1, 4, 5), ids(items().orderBy(OrderBy.asc("qty").nullsFirst(),
        OrderBy.asc("id")).list()));
    assertEquals(expected(5, 1, 4, 6, 3, 2), ids(items().orderBy(OrderBy.desc("qty").nullsLast(),
        OrderBy.asc("id")).list()));
    assertEquals(expected(2, 6, 3, 1, 5, 4), ids(items().orderBy(OrderBy.asc("note")
        .nullsFirst(), OrderBy.asc("id")).list()));
  }

  @Test
  void orderingByATransform() {
    assertEquals(expected(3, 2, 1, 4, 5, 6), ids(items().orderBy("day__year", "id").list()));
    assertEquals(expected(2, 3, 5, 4, 1, 6), ids(items().orderBy("-stamp__hour", "id").list()));
  }

  @Test
  void everyRowIsReturnedByExactlyOneOfFilterAndExclude_onNonNullFields() {
    Map<String, Object> probes = Map.of("big__gt", 0, "name__icontains", "a", "day__year", 2024,
        "color", "GREEN", "price__lte", 1.5, "uid__lt", "7fffffff-ffff-ffff-ffff-ffffffffffff");
    for (Map.Entry<String, Object> p : probes.entrySet()) {
      Set<Long> in = new HashSet<>(ids(items().filter(p.getKey(), p.getValue()).list()));
      Set<Long> out = new HashSet<>(ids(items().exclude(p.getKey(), p.getValue()).list()));
      assertTrue(in.stream().noneMatch(out::contains), p.toString());
      assertEquals(6, in.size() + out.size(), p.toString());
    }
  }
}
