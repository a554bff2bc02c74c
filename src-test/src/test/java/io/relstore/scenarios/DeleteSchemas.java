package io.relstore.scenarios;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;

import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Model;
import org.jspecify.annotations.Nullable;

/**
 * The schemas of scenarios.md §2.0 as records, one group per schema family. Field names are
 * Django's where they show in error keys ({@code 'A.protect'}, {@code 'DeleteBottom.b1'}), camel
 * case otherwise. Options that annotations cannot express (SET values, defaults computed at run
 * time, RA's sentinel default) are given by {@link DeleteScenariosTest} when it builds a store. A
 * reverse relation that Django's test models name, or that would clash with a sibling's default
 * name, gets that related name here.
 */
final class DeleteSchemas {
  private DeleteSchemas() {
  }

  // ---------------------------------------- CHAIN and RA (tests/delete)

  record P(@Id long id) {
  }

  record R(@Id long id,
      @ForeignKey(to = P.class, onDelete = CASCADE) @Nullable Long p) {
  }

  record S(@Id long id, @ForeignKey(to = R.class, onDelete = CASCADE) long r) {
  }

  record T(@Id long id, @ForeignKey(to = S.class, onDelete = CASCADE) long s) {
  }

  record U(@Id long id, @ForeignKey(to = T.class, onDelete = CASCADE) long t) {
  }

  /**
   * RA's A: one foreign key to R per on_delete rule. {@code setdefault}'s default (the sentinel
   * R0), {@code setdefaultNone}'s default (null) and {@code setvalue}'s SET supplier are given to
   * the builder. Build rows with {@link #named} and the withers.
   */
  record A(@Id long id, String name,
      @ForeignKey(to = R.class, onDelete = CASCADE, relatedName = "cascade_set")
      @Nullable Long cascade,
      @ForeignKey(to = R.class, onDelete = SET_NULL, relatedName = "setnull_set")
      @Nullable Long setnull,
      @ForeignKey(to = R.class, onDelete = SET_DEFAULT, relatedName = "setdefault_set")
      @Nullable Long setdefault,
      @ForeignKey(to = R.class, onDelete = SET_DEFAULT, relatedName = "setnull_nulled_set")
      @Nullable Long setdefaultNone,
      @ForeignKey(to = R.class, onDelete = SET, relatedName = "setvalue")
      @Nullable Long setvalue,
      @ForeignKey(to = R.class, onDelete = PROTECT, relatedName = "protect_set")
      @Nullable Long protect,
      @ForeignKey(to = R.class, onDelete = RESTRICT, relatedName = "restrict_set")
      @Nullable Long restrict,
      @ForeignKey(to = R.class, onDelete = DO_NOTHING, relatedName = "donothing_set",
          dbConstraint = false)
      @Nullable Long donothing,
      @ForeignKey(to = P.class, onDelete = CASCADE) @Nullable Long cascadeP) {

    /** An A that mentions no R (its setdefault takes the default when created). */
    static A named(String name) {
      return new A(0, name, null, null, null, null, null, null, null, null, null);
    }

    A withCascade(@Nullable Long r) {
      return new A(id, name, r, setnull, setdefault, setdefaultNone, setvalue, protect, restrict,
          donothing, cascadeP);
    }

    A withSetnull(@Nullable Long r) {
      return new A(id, name, cascade, r, setdefault, setdefaultNone, setvalue, protect, restrict,
          donothing, cascadeP);
    }

    A withSetdefaultNone(@Nullable Long r) {
      return new A(id, name, cascade, setnull, setdefault, r, setvalue, protect, restrict,
          donothing, cascadeP);
    }

    A withProtect(@Nullable Long r) {
      return new A(id, name, cascade, setnull, setdefault, setdefaultNone, setvalue, r, restrict,
          donothing, cascadeP);
    }

    A withRestrict(@Nullable Long r) {
      return new A(id, name, cascade, setnull, setdefault, setdefaultNone, setvalue, protect, r,
          donothing, cascadeP);
    }
  }

  record B(@Id long id, @ForeignKey(to = R.class, onDelete = PROTECT) long protect) {
  }

  record B3(@Id long id, @ForeignKey(to = R.class, onDelete = RESTRICT) long restrict) {
  }

  // ---------------------------------------- HIDDEN (with CHAIN's R)

  record HiddenUser(@Id long id,
      @ForeignKey(to = R.class, onDelete = CASCADE, relatedName = "+") long r) {
  }

  record HiddenUserProfile(@Id long id,
      @ForeignKey(to = HiddenUser.class, onDelete = CASCADE) long user) {
  }

  // ---------------------------------------- TREE, PTREE

  record Node(@Id long id, String name,
      @ForeignKey(to = Node.class, onDelete = CASCADE, relatedName = "children")
      @Nullable Long parent) {
  }

  record PNode(@Id long id, String name,
      @ForeignKey(to = PNode.class, onDelete = PROTECT) @Nullable Long parent) {
  }

  // ---------------------------------------- XY

  // Default reverse query names would clash with the fields (X's reverse "y" of Y.x with X.y, as
  // Django's fields.E303 says): related names keep Django's accessors x_set and y_set

  record X(@Id long id,
      @ForeignKey(to = Y.class, onDelete = CASCADE, relatedName = "x_set") @Nullable Long y) {
  }

  record Y(@Id long id,
      @ForeignKey(to = X.class, onDelete = CASCADE, relatedName = "y_set") @Nullable Long x) {
  }

  // ---------------------------------------- MUSIC, MUSIC-P

  record Artist(@Id long id, String name) {
  }

  record Album(@Id long id, @ForeignKey(to = Artist.class, onDelete = CASCADE) long artist) {
  }

  record Song(@Id long id,
      @ForeignKey(to = Artist.class, onDelete = CASCADE) long artist,
      @ForeignKey(to = Album.class, onDelete = RESTRICT) long album) {
  }

  /** MUSIC-P's Song: the same model with {@code album} PROTECT (never in a store with Song). */
  @Model(name = "Song")
  record ProtectedSong(@Id long id,
      @ForeignKey(to = Artist.class, onDelete = CASCADE, relatedName = "protected_songs")
      long artist,
      @ForeignKey(to = Album.class, onDelete = PROTECT, relatedName = "protected_songs")
      long album) {
  }

  // ---------------------------------------- DIAMOND

  record DeleteTop(@Id long id) {
  }

  record B1(@Id long id, @ForeignKey(to = DeleteTop.class, onDelete = CASCADE) long deleteTop) {
  }

  record B2(@Id long id, @ForeignKey(to = DeleteTop.class, onDelete = CASCADE) long deleteTop) {
  }

  record DeleteBottom(@Id long id,
      @ForeignKey(to = B1.class, onDelete = RESTRICT) long b1,
      @ForeignKey(to = B2.class, onDelete = CASCADE) long b2) {
  }

  // ---------------------------------------- FORK

  record Root(@Id long id) {
  }

  record Mid1(@Id long id, @ForeignKey(to = Root.class, onDelete = CASCADE) long root) {
  }

  record Mid2(@Id long id, @ForeignKey(to = Root.class, onDelete = CASCADE) long root) {
  }

  record Leaf1(@Id long id, @ForeignKey(to = Mid1.class, onDelete = PROTECT) long mid1) {
  }

  record Leaf3(@Id long id, @ForeignKey(to = Mid1.class, onDelete = PROTECT) long mid1) {
  }

  record Leaf2(@Id long id, @ForeignKey(to = Mid2.class, onDelete = PROTECT) long mid2) {
  }

  record RLeaf1(@Id long id, @ForeignKey(to = Mid1.class, onDelete = RESTRICT) long mid1) {
  }

  record RLeaf2(@Id long id, @ForeignKey(to = Mid2.class, onDelete = RESTRICT) long mid2) {
  }

  // ---------------------------------------- MIXED (declared in this order)

  record Owner(@Id long id, String name) {
  }

  record KCascade(@Id long id, @ForeignKey(to = Owner.class, onDelete = CASCADE) long owner) {
  }

  record KSetNull(@Id long id,
      @ForeignKey(to = Owner.class, onDelete = SET_NULL) @Nullable Long owner) {
  }

  record KSetDefault(@Id long id,
      @ForeignKey(to = Owner.class, onDelete = SET_DEFAULT) @Default("1") long owner) {
  }

  /** {@code owner} is SET(sentinel_owner), given to the builder. */
  record KSet(@Id long id, @ForeignKey(to = Owner.class, onDelete = SET) long owner) {
  }

  record KDoNothing(@Id long id,
      @ForeignKey(to = Owner.class, onDelete = DO_NOTHING, dbConstraint = false) long owner) {
  }

  record KProtect(@Id long id,
      @ForeignKey(to = Owner.class, onDelete = PROTECT) @Nullable Long owner) {
  }

  record KRestrict(@Id long id,
      @ForeignKey(to = Owner.class, onDelete = RESTRICT) @Nullable Long owner) {
  }

  // ---------------------------------------- CONTACTS (delete_regress)

  record Contact(@Id long id, String label) {
  }

  record Researcher(@Id long id,
      @ForeignKey(to = Contact.class, onDelete = SET_NULL, relatedName = "primary_contacts")
      @Nullable Long primaryContact,
      @ForeignKey(to = Contact.class, onDelete = SET_NULL, relatedName = "secondary_contacts")
      @Nullable Long secondaryContact) {
  }

  // ---------------------------------------- POLICY (delete_regress #15776)

  record Policy(@Id long id) {
  }

  record Version(@Id long id, @ForeignKey(to = Policy.class, onDelete = CASCADE) long policy) {
  }

  record Location(@Id long id,
      @ForeignKey(to = Version.class, onDelete = SET_NULL) @Nullable Long version) {
  }

  /** {@code locationValue} is SET(42), given to the builder. */
  record Item(@Id long id,
      @ForeignKey(to = Version.class, onDelete = CASCADE) long version,
      @ForeignKey(to = Location.class, onDelete = SET_NULL) @Nullable Long location,
      @ForeignKey(to = Location.class, onDelete = SET, relatedName = "+", dbConstraint = false)
      @Default("1") long locationValue) {
  }

  // ---------------------------------------- TOYS (delete_regress)

  record Toy(@Id long id, String name) {
  }

  /**
   * {@code bestToy}'s default (get_best_toy) and {@code worstToy}'s SET (get_worst_toy) are given
   * to the builder.
   */
  record ToyCollector(@Id long id,
      @ForeignKey(to = Toy.class, onDelete = SET_DEFAULT, relatedName = "toys") long bestToy,
      @ForeignKey(to = Toy.class, onDelete = SET, relatedName = "bad_toys") long worstToy) {
  }

  // ---------------------------------------- GADGET

  record Gadget(@Id long id, String name) {
  }

  /** The foreign key is enforced (the default): a dangling value fails the commit. */
  record GadgetStrict(@Id long id,
      @ForeignKey(to = Gadget.class, onDelete = DO_NOTHING) long gadget) {
  }
}
