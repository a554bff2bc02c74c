package io.relstore.shell;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.relstore.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Django {@code dumpdata} fixtures: {@code [{"model": "blog.post", "pk": 1, "fields": {...}}]}.
 * Loading builds every record, then inserts them all in one transaction, so a foreign key to a
 * missing row fails the whole load with the model, key and field named; dumping writes every model
 * in registration order, rows in key order.
 */
final class Fixtures {
  private Fixtures() {
  }

  static String dump(Store store, Models models) {
    JsonArray out = new JsonArray();
    for (Class<? extends Record> m : models.byName().values()) {
      for (Record row : store.all(m)) {
        JsonObject o = new JsonObject();
        o.addProperty("model", Models.label(m).toLowerCase(Locale.ROOT));
        o.addProperty("pk", models.pkOf(row));
        JsonObject fields = new JsonObject();
        for (Models.Field f : models.fields(m)) {
          if (f.component().isAnnotationPresent(io.relstore.annotation.Id.class)) {
            continue;
          }
          fields.add(f.name(), json(models.get(row, f)));
        }
        o.add("fields", fields);
        out.add(o);
      }
    }
    return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create()
        .toJson(out);
  }

  private static JsonElement json(@Nullable Object v) {
    if (v == null) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (v instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    return new JsonPrimitive(String.valueOf(v));
  }

  /** Loads a fixture into an empty store; throws ShellError naming the first bad record. */
  static int load(Store store, Models models, Interpreter interpreter, String json) {
    JsonArray array;
    try {
      array = JsonParser.parseString(json).getAsJsonArray();
    } catch (JsonParseException | IllegalStateException e) {
      throw new ShellError("FixtureError", "not a JSON array of records: " + e.getMessage(), 1);
    }
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      rows.add(record(models, interpreter, array.get(i), i));
    }
    store.bulkCreate(rows);
    return rows.size();
  }

  private static Record record(Models models, Interpreter interpreter, JsonElement e, int i) {
    String where = "record " + (i + 1);
    if (!e.isJsonObject()) {
      throw new ShellError("FixtureError", where + " is not an object", 1);
    }
    JsonObject o = e.getAsJsonObject();
    String label = o.has("model") ? o.get("model").getAsString() : "";
    Class<? extends Record> model = models.find(label);
    if (model == null) {
      throw new ShellError("FixtureError", where + ": unknown model '" + label + "' (models: "
          + models.byName().keySet() + ")", 1);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    JsonObject fields = o.has("fields") ? o.getAsJsonObject("fields") : new JsonObject();
    for (Map.Entry<String, JsonElement> f : fields.entrySet()) {
      values.put(f.getKey(), value(f.getValue()));
    }
    Object pk = o.has("pk") ? value(o.get("pk")) : null;
    values.put(models.pk(model).name(), pk);
    where += " (" + Models.label(model) + " pk=" + pk + ")";
    try {
      return interpreter.build(model, values, 1);
    } catch (ShellError err) {
      throw new ShellError("FixtureError", where + ": " + err.getMessage(), 1);
    }
  }

  private static @Nullable Object value(JsonElement e) {
    if (e.isJsonNull()) {
      return null;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      String text = p.getAsString();
      return text.contains(".") || text.contains("e") || text.contains("E") ? (Object) p.getAsDouble()
          : p.getAsLong();
    }
    return p.getAsString();
  }
}
