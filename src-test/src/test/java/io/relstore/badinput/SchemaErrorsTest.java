package io.relstore.badinput;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static io.relstore.badinput.Messages.assertNames;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.relstore.SchemaException;
import io.relstore.Store;
import io.relstore.annotation.AutoNow;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Slug;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every schema rule that {@code Store.Builder.build()} enforces: each broken rule is a
 * {@link SchemaException} thrown by {@code build()} (not earlier, not later) whose message names the
 * model, the field and the rule. The models are private so that the metamodel processor skips them
 * (several would not even give a compilable metamodel).
 */
class SchemaErrorsTest {

  // ------------------------------------------------------------------ models

  private record Parent(@Id long id) {
  }

  private record SetNullOnRequired(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_NULL) long owner) {
  }

  private record SetDefaultWithoutDefault(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_DEFAULT) @Nullable Long owner) {
  }

  private record SetWithoutValue(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET) @Nullable Long owner) {
  }

  private record CascadeChild(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) long owner,
      @Char(maxLength = 10) String label) {
  }

  private record Target(@Id long id, @Char(maxLength = 10) String title) {
  }

  private record LeftChild(@Id long id,
      @ForeignKey(to = Target.class, onDelete = CASCADE, relatedName = "children") long target) {
  }

  private record RightChild(@Id long id,
      @ForeignKey(to = Target.class, onDelete = CASCADE, relatedName = "children") long target) {
  }

  private record TitleChild(@Id long id,
      @ForeignKey(to = Target.class, onDelete = CASCADE, relatedName = "title") long target) {
  }

  private record Twin(@Id long id,
      @ForeignKey(to = Target.class, onDelete = CASCADE) long first,
      @ForeignKey(to = Target.class, onDelete = CASCADE) long second) {
  }

  private record WithList(@Id long id, List<String> tags) {
  }

  private record WithDate(@Id long id, Date stamp) {
  }

  private record WithObject(@Id long id, Object payload) {
  }

  private record NoId(long id, @Char(maxLength = 10) String name) {
  }

  private record TwoIds(@Id long code, @Id long otherKey) {
  }

  private record StringId(@Id String code) {
  }

  private record StringForeignKey(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) String owner) {
  }

  private record IntForeignKey(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) int owner) {
  }

  private record CharOnInt(@Id long id, @Char(maxLength = 5) int quantity) {
  }

  private record ZeroLength(@Id long id, @Char(maxLength = 0) String nickname) {
  }

  private record CharAndSlug(@Id long id, @Char(maxLength = 10) @Slug String handle) {
  }

  private record AutoNowString(@Id long id, @AutoNow String stamp) {
  }

  private record BadLongDefault(@Id long id, @Default("abc") long rank) {
  }

  private record BadDateDefault(@Id long id, @Default("2024-13-45") LocalDate due) {
  }

  private enum Colour { RED, GREEN }

  private record BadEnumDefault(@Id long id, @Default("PURPLE") Colour colour) {
  }

  private record AnnotatedDefault(@Id long id, @Default("1") long rank) {
  }

  private static final class First {
    private record Item(@Id long id) {
    }
  }

  private static final class Second {
    private record Item(@Id long id) {
    }
  }

  /** {@code build()} throws a SchemaException; the builder calls before it did not. */
  private static SchemaException buildFails(Store.Builder builder) {
    return assertThrows(SchemaException.class, builder::build);
  }

  // ------------------------------------------------------------------ on_delete rules

  @Test
  void build_setNullOnNonNullableForeignKey() {
    SchemaException e = buildFails(Store.builder().add(Parent.class, SetNullOnRequired.class));
    assertNames(e, "SetNullOnRequired", "owner", "SET_NULL", "E320");
  }

  @Test
  void build_setDefaultWithoutDefault() {
    SchemaException e = buildFails(
        Store.builder().add(Parent.class, SetDefaultWithoutDefault.class));
    assertNames(e, "SetDefaultWithoutDefault", "owner", "SET_DEFAULT", "E321");
  }

  @Test
  void build_setWithoutBuilderValue() {
    SchemaException e = buildFails(Store.builder().add(Parent.class, SetWithoutValue.class));
    assertNames(e, "SetWithoutValue", "owner", "on_delete=SET", "onDeleteSet");
  }

  @Test
  void build_builderSetValueOnCascadeForeignKey() {
    SchemaException e = buildFails(Store.builder().add(Parent.class)
        .add(CascadeChild.class, m -> m.onDeleteSet("owner", 1L)));
    assertNames(e, "CascadeChild", "owner", "CASCADE", "SET");
  }

  @Test
  void build_builderSetValueOnFieldThatIsNotAForeignKey() {
    SchemaException e = buildFails(Store.builder().add(Parent.class)
        .add(CascadeChild.class, m -> m.onDeleteSet("label", "x")));
    assertNames(e, "CascadeChild", "label", "SET", "@ForeignKey");
  }

  // ------------------------------------------------------------------ targets and reverse names

  @Test
  void build_foreignKeyToUnregisteredModel() {
    SchemaException e = buildFails(Store.builder().add(CascadeChild.class));
    assertNames(e, "CascadeChild", "owner", "Parent", "not registered");
  }

  @Test
  void build_twoForeignKeysWithTheSameRelatedName() {
    SchemaException e = buildFails(
        Store.builder().add(Target.class, LeftChild.class, RightChild.class));
    assertNames(e, "RightChild", "target", "children", "Target", "LeftChild", "clashes");
  }

  @Test
  void build_relatedNameEqualToAFieldOfTheTarget() {
    SchemaException e = buildFails(Store.builder().add(Target.class, TitleChild.class));
    assertNames(e, "TitleChild", "target", "'title'", "Target", "field", "clashes");
  }

  @Test
  void build_twoForeignKeysWithoutRelatedNameToTheSameTarget() {
    SchemaException e = buildFails(Store.builder().add(Target.class, Twin.class));
    assertNames(e, "Twin", "first", "second", "twin_set", "Target", "clashes");
  }

  // ------------------------------------------------------------------ component types and keys

  @Test
  void build_listComponent() {
    SchemaException e = buildFails(Store.builder().add(WithList.class));
    assertNames(e, "WithList", "tags", "java.util.List<java.lang.String>", "unsupported");
  }

  @Test
  void build_dateComponent() {
    SchemaException e = buildFails(Store.builder().add(WithDate.class));
    assertNames(e, "WithDate", "stamp", "java.util.Date", "unsupported");
  }

  @Test
  void build_objectComponent() {
    SchemaException e = buildFails(Store.builder().add(WithObject.class));
    assertNames(e, "WithObject", "payload", "java.lang.Object", "unsupported");
  }

  @Test
  void build_noId() {
    SchemaException e = buildFails(Store.builder().add(NoId.class));
    assertNames(e, "NoId", "no @Id", "exactly one primary key");
  }

  @Test
  void build_twoIds() {
    SchemaException e = buildFails(Store.builder().add(TwoIds.class));
    assertNames(e, "TwoIds", "exactly one primary key", "code", "otherKey");
  }

  @Test
  void build_idOnString() {
    SchemaException e = buildFails(Store.builder().add(StringId.class));
    assertNames(e, "StringId", "code", "@Id", "long", "String");
  }

  @Test
  void build_foreignKeyOnString() {
    SchemaException e = buildFails(Store.builder().add(Parent.class, StringForeignKey.class));
    assertNames(e, "StringForeignKey", "owner", "@ForeignKey", "long", "String");
  }

  @Test
  void build_foreignKeyOnInt() {
    SchemaException e = buildFails(Store.builder().add(Parent.class, IntForeignKey.class));
    assertNames(e, "IntForeignKey", "owner", "@ForeignKey", "long", "int");
  }

  // ------------------------------------------------------------------ string rules

  @Test
  void build_charOnInt() {
    SchemaException e = buildFails(Store.builder().add(CharOnInt.class));
    assertNames(e, "CharOnInt", "quantity", "@Char", "String", "int");
  }

  @Test
  void build_charWithMaxLengthZero() {
    SchemaException e = buildFails(Store.builder().add(ZeroLength.class));
    assertNames(e, "ZeroLength", "nickname", "maxLength", "positive", "0");
  }

  @Test
  void build_charAndSlugTogether() {
    SchemaException e = buildFails(Store.builder().add(CharAndSlug.class));
    assertNames(e, "CharAndSlug", "handle", "@Char", "@Slug", "only one");
  }

  @Test
  void build_autoNowOnString() {
    SchemaException e = buildFails(Store.builder().add(AutoNowString.class));
    assertNames(e, "AutoNowString", "stamp", "@AutoNow", "String", "Instant");
  }

  // ------------------------------------------------------------------ defaults

  @Test
  void build_defaultThatIsNotALong() {
    SchemaException e = buildFails(Store.builder().add(BadLongDefault.class));
    assertNames(e, "BadLongDefault", "rank", "abc", "@Default", "long");
  }

  @Test
  void build_defaultThatIsNotADate() {
    SchemaException e = buildFails(Store.builder().add(BadDateDefault.class));
    assertNames(e, "BadDateDefault", "due", "2024-13-45", "@Default", "LocalDate");
  }

  @Test
  void build_defaultThatIsNoEnumConstant() {
    SchemaException e = buildFails(Store.builder().add(BadEnumDefault.class));
    assertNames(e, "BadEnumDefault", "colour", "PURPLE", "@Default", "Colour");
  }

  @Test
  void build_annotationDefaultAndBuilderDefault() {
    SchemaException e = buildFails(
        Store.builder().add(AnnotatedDefault.class, m -> m.defaultValue("rank", 2L)));
    assertNames(e, "AnnotatedDefault", "rank", "@Default", "Store.Builder default");
  }

  // ------------------------------------------------------------------ builder options

  @Test
  void build_builderDefaultForMissingField() {
    SchemaException e = buildFails(
        Store.builder().add(Parent.class, m -> m.defaultValue("missing", 1L)));
    assertNames(e, "Parent", "missing", "Store.Builder", "fields: id");
  }

  @Test
  void build_builderSetValueForMissingField() {
    SchemaException e = buildFails(Store.builder().add(Parent.class)
        .add(CascadeChild.class, m -> m.onDeleteSetFrom("ownr", st -> 1L)));
    assertNames(e, "CascadeChild", "ownr", "Store.Builder", "id, owner, label");
  }

  @Test
  void build_builderIndexForMissingField() {
    SchemaException e = buildFails(Store.builder().add(Target.class, m -> m.index("name")));
    assertNames(e, "Target", "'name'", "Store.Builder", "id, title");
  }

  // ------------------------------------------------------------------ registration

  @Test
  void build_classThatIsNotARecord() {
    @SuppressWarnings("unchecked") // what raw or reflective code can pass despite the signature
    Class<? extends Record> notARecord = (Class<? extends Record>) (Class<?>) String.class;
    SchemaException e = buildFails(Store.builder().add(notARecord));
    assertNames(e, "java.lang.String", "not a record", "records");
  }

  @Test
  void build_recordBaseClassItself() {
    SchemaException e = buildFails(Store.builder().add(Record.class));
    assertNames(e, "java.lang.Record", "not a record", "records");
  }

  @Test
  void build_sameModelRegisteredTwice() {
    SchemaException e = buildFails(Store.builder().add(Parent.class).add(Parent.class));
    assertNames(e, "Parent", "registered twice");
  }

  @Test
  void build_noModel() {
    SchemaException e = buildFails(Store.builder());
    assertNames(e, "at least one model");
  }

  @Test
  void build_twoModelsWithTheSameSimpleName() {
    SchemaException e = buildFails(Store.builder().add(First.Item.class, Second.Item.class));
    assertNames(e, First.Item.class.getName(), Second.Item.class.getName(), "'Item'",
        "@Model(name");
  }

  // ------------------------------------------------------------------ beyond the list
  // SchemaReader promises that "a store that builds cannot later fail for a schema reason"; a
  // builder constant of the wrong type is known without data, like a bad @Default text.

  @Test
  void build_builderDefaultOfWrongType() {
    SchemaException e = buildFails(
        Store.builder().add(CascadeChild.class, m -> m.defaultValue("label", 42))
            .add(Parent.class));
    assertNames(e, "CascadeChild", "label", "42", "String");
  }

  @Test
  void build_builderSetConstantOfWrongType() {
    SchemaException e = buildFails(Store.builder().add(Parent.class)
        .add(SetWithoutValue.class, m -> m.onDeleteSet("owner", "nobody")));
    assertNames(e, "SetWithoutValue", "owner", "nobody", "Parent");
  }
}
