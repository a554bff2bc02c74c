package io.relstore.badinput;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on what an exception's message says. */
final class Messages {
  private Messages() {
  }

  /**
   * The message of {@code e} contains every one of {@code parts} (the model, the field or path, the
   * offending value, the rule); the failure shows the whole message.
   */
  static void assertNames(Throwable e, String... parts) {
    String message = e.getMessage();
    assertNotNull(message, () -> e + " has no message");
    for (String part : parts) {
      assertTrue(message.contains(part),
          () -> "message should name \"" + part + "\" but was: " + message);
    }
  }
}
