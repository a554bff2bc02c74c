package io.relstore.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.Param;
import io.relstore.Q;
import io.relstore.QueryError;
import io.relstore.QuerySet;
import io.relstore.SchemaException;
import io.relstore.Store;
import io.relstore.ValidationError;
import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Composite indexes from the builder, and prepared queries bound many times. */
class CompositeAndPreparedTest {
  record Flight(@Id long id, @Char(maxLength = 3) String origin,
      @Char(maxLength = 3) String destination, int day) {
  }

  Store store = Store.builder()
      .add(Flight.class, m -> m.compositeIndex("origin", "destination"))
      .build();

  private void flights() {
    String[] airports = {"AMS", "CDG", "LHR", "JFK"};
    for (int i = 0; i < 200; i++) {
      store.create(new Flight(0, airports[i % 4], airports[(i / 4) % 4], i % 7));
    }
  }

  @Test
  void equalitiesOnEveryFieldOfACompositeIndexUseIt() {
    flights();
    QuerySet<Flight> qs = store.objects(Flight.class)
        .filter(Q.of("origin", "AMS", "destination", "CDG"));
    List<Flight> expected = store.all(Flight.class).stream()
        .filter(f -> f.origin().equals("AMS") && f.destination().equals("CDG")).toList();
    assertEquals(expected, qs.list());
    assertTrue(qs.explain().contains("driver: composite index on Flight[origin, destination]"),
        qs.explain());
    QuerySet<Flight> partial = store.objects(Flight.class).filter("origin", "AMS");
    assertTrue(partial.explain().contains("full scan"), "one field is not enough for the index");
  }

  @Test
  void updatesMoveCompositeEntries() {
    flights();
    store.objects(Flight.class).filter("origin", "AMS").update("destination", "LHR");
    assertEquals(50, store.objects(Flight.class)
        .filter(Q.of("origin", "AMS", "destination", "LHR")).count());
    assertEquals(0, store.objects(Flight.class)
        .filter(Q.of("origin", "AMS", "destination", "CDG")).count());
  }

  @Test
  void aCompositeIndexNamingAnUnknownFieldIsASchemaError() {
    SchemaException e = assertThrows(SchemaException.class, () -> Store.builder()
        .add(Flight.class, m -> m.compositeIndex("origin", "gate")).build());
    assertTrue(e.getMessage().contains("'gate'"), e.getMessage());
  }

  @Test
  void aPreparedQueryBindsManyTimes() {
    flights();
    QuerySet<Flight> prepared = store.objects(Flight.class)
        .filter(Q.of("origin", Param.of("from"), "day__gte", Param.of("day")))
        .orderBy("-id");
    assertEquals(Set.of("day", "from"), prepared.parameters());
    for (String from : List.of("AMS", "JFK")) {
      for (int day = 0; day < 7; day++) {
        int d = day;
        List<Flight> expected = store.all(Flight.class).stream()
            .filter(f -> f.origin().equals(from) && f.day() >= d)
            .sorted((a, b) -> Long.compare(b.id(), a.id())).toList();
        assertEquals(expected, prepared.bind("from", from).bind("day", day).list());
      }
    }
    QueryError unbound = assertThrows(QueryError.class, () -> prepared.bind("from", "AMS").list());
    assertTrue(unbound.getMessage().contains("[day]"), unbound.getMessage());
    assertThrows(QueryError.class, () -> prepared.bind("nope", 1));
    ValidationError wrong = assertThrows(ValidationError.class, () -> prepared.bind("day", "x"));
    assertTrue(wrong.getMessage().contains("Flight.day__gte"), wrong.getMessage());
  }
}
