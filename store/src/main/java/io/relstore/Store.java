package io.relstore;

import io.relstore.internal.delete.Deletes;
import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.schema.ModelSpec;
import io.relstore.internal.schema.Schema;
import io.relstore.internal.tx.Database;
import io.relstore.internal.tx.RowWrites;
import com.github.benmanes.caffeine.cache.Ticker;
import io.relstore.internal.cache.Caches;
import io.relstore.internal.schema.CacheSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An embedded, in-memory store of Java records with Django's relational semantics: typed fields,
 * foreign keys with every {@code on_delete} rule, live reverse relations, and a transactional delete
 * planner.
 *
 * <p>Reads never lock and never wait for a writer: each one sees the last committed state, whole.
 * Writes run one at a time; each public write method is atomic: it commits entirely or, when it
 * throws, changes nothing. A thread that writes inside {@link #atomic(Supplier)} sees its own writes.
 *
 * <pre>{@code
 * Store store = Store.builder().add(User.class, Post.class).build();
 * User alice = store.create(new User(0, "alice"));
 * Post post = store.create(new Post(0, "Hello", alice.id()));
 * store.follow(post, Post_.author);          // alice
 * store.related(alice, User_.posts).count(); // 1
 * store.delete(alice);                        // (2, {"User": 1, "Post": 1}) with CASCADE
 * }</pre>
 */
public final class Store {
  private final Database db;
  private final RowWrites writes;
  private final Caches caches;

  private Store(Schema schema, Clock clock, Duration writerTimeout, Ticker ticker,
      Executor executor) {
    this(new Database(schema, clock, writerTimeout), ticker, executor);
  }

  private Store(Database db, Ticker ticker, Executor executor) {
    this.db = db;
    this.writes = new RowWrites(db);
    this.caches = new Caches(db, writes, ticker, executor);
    db.bindApi(this);
    if (caches.any() && !db.isFrozen()) {
      db.setCommitHook(caches::afterCommit);
      caches.track(); // a copy starts with rows its policies must bound and expire too
    }
    this.ticker = ticker;
    this.executor = executor;
  }

  private final Ticker ticker;
  private final Executor executor;

  /**
   * A read-only view of the last committed state (the writing thread's own transaction, inside
   * one), taken in O(1): every read on it (gets, queries, reverse relations, follows) sees that one
   * state, whatever commits later; it holds no lock and costs nothing to drop. Writes on it throw.
   */
  public Store snapshot() {
    return new Store(db.frozen(), ticker, executor);
  }

  /** Whether this is a read-only {@link #snapshot()}. */
  public boolean isSnapshot() {
    return db.isFrozen();
  }

  /**
   * Puts the store back to a snapshot's state, in O(1): one commit that replaces every table at
   * once (readers see the whole old state or the whole snapshot's). The tables are persistent and
   * shared, so nothing is copied. Bounded and expiring tables are the exception: their policies
   * learn the restored rows again (as written now), in O(rows of those tables).
   *
   * @throws StoreException if {@code snapshot} was not taken from this store, if called inside a
   *     transaction, or on a snapshot
   */
  public void restore(Store snapshot) {
    if (!snapshot.isSnapshot()) {
      throw new StoreException("restore() takes a Store.snapshot(), not a live store");
    }
    db.restore(snapshot.db);
    if (caches.any()) {
      caches.track();
    }
  }

  /**
   * An independent store with the same schema and the current committed state, in O(1): later
   * writes to either do not show in the other (the tables are shared until one of them changes).
   * A bounded or expiring table of the copy gets its own policy, which learns the copied rows (as
   * written now) in O(rows of that table); its statistics start at zero.
   */
  public Store copy() {
    return new Store(db.copy(), ticker, executor);
  }

  /**
   * Statistics of a cached (bounded, expiring or read-through) model.
   *
   * @throws ValidationError if the model is not registered
   * @throws StoreException if the model is not cached
   */
  public CacheStats cacheStats(Class<? extends Record> model) {
    long[] s = caches.stats(modelMeta(model));
    if (s == null) {
      throw new StoreException(model.getSimpleName() + " is not cached (no maximumSize,"
          + " maximumWeight, expiry or loader)");
    }
    return new CacheStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
  }

  /**
   * Runs the cache policies' pending maintenance now (expiry, size) and deletes what they evicted;
   * otherwise this happens after writes and key reads. Useful with a test ticker.
   */
  public void cleanUp() {
    caches.cleanUp();
  }

  /** The models of this store in registration order, described read-only. */
  public List<ModelInfo> models() {
    List<ModelInfo> out = new ArrayList<>();
    for (ModelMeta m : db.schema().models()) {
      List<ModelInfo.FieldInfo> fields = new ArrayList<>();
      for (FieldMeta f : m.fields()) {
        FieldMeta.Constraints c = f.constraints();
        io.relstore.internal.schema.ForeignKeyMeta fk = f.foreignKey();
        @SuppressWarnings("unchecked")
        Class<? extends Record> target = fk == null ? null
            : (Class<? extends Record>) fk.target().type();
        fields.add(new ModelInfo.FieldInfo(f.name(), f.type(), f.nullable(), f.isPrimaryKey(),
            c.unique(), c.maxLength(), c.slug(), c.autoNow() || c.autoNowAdd(),
            f.defaultValue() != null, target, fk == null ? null : fk.rule(),
            fk == null || fk.dbConstraint()));
      }
      @SuppressWarnings("unchecked")
      Class<? extends Record> type = (Class<? extends Record>) m.type();
      out.add(new ModelInfo(type, m.name(), m.label(), fields));
    }
    return out;
  }

  /** A builder for a store; register every model, parents and children alike. */
  public static Builder builder() {
    return new Builder();
  }

  Database database() {
    return db;
  }

  RowWrites rowWrites() {
    return writes;
  }

  /**
   * All rows of a model as a lazy {@link QuerySet} (Django's {@code Model.objects}).
   *
   * @throws ValidationError if {@code model} is not registered
   */
  public <T extends Record> QuerySet<T> objects(Class<T> model) {
    ModelMeta m = modelMeta(model);
    return new QuerySet<>(this, model, m, io.relstore.internal.query.Query.all(m));
  }

  // ---------------------------------------------------------------- writes

  /**
   * Inserts a row. A primary key of 0 (or null) takes the next free key; automatic time fields and
   * defaults are filled in. Returns the record as stored.
   *
   * @throws ValidationError if a field breaks its rule (null in a non-null field, too long, not a
   *     slug, a negative key) or the record is not of a registered model
   * @throws IntegrityError if the key or a unique value is taken, or a foreign key points at no row
   */
  public <T extends Record> T create(T row) {
    ModelMeta model = writes.modelOf(row);
    return cast(model, db.write(txn -> writes.create(txn, model, row)));
  }

  /**
   * Inserts many rows in one transaction: all or none.
   *
   * @throws ValidationError if any row breaks a field rule (none is inserted)
   * @throws IntegrityError if any row breaks a key, unique or foreign-key constraint (none is inserted)
   */
  public <T extends Record> List<T> bulkCreate(List<T> rows) {
    Objects.requireNonNull(rows, "rows");
    return db.write(txn -> {
      List<T> out = new ArrayList<>(rows.size());
      for (T row : rows) {
        ModelMeta model = writes.modelOf(row);
        out.add(cast(model, writes.create(txn, model, row)));
      }
      return out;
    });
  }

  /**
   * Django's {@code save()}: updates the row with the record's key if it is stored, inserts it
   * otherwise (with the given key, or a new one when the key is 0).
   *
   * @throws ValidationError if a field breaks its rule
   * @throws IntegrityError if a unique value is taken or a foreign key points at no row
   */
  public <T extends Record> T save(T row) {
    ModelMeta model = writes.modelOf(row);
    return cast(model, db.write(txn -> writes.save(txn, model, row)));
  }

  /**
   * Replaces the stored row that has the record's key; every index follows.
   *
   * @throws DoesNotExist if no row has that key
   * @throws ValidationError if a field breaks its rule
   * @throws IntegrityError if a unique value is taken or a foreign key points at no row
   */
  public <T extends Record> T update(T row) {
    ModelMeta model = writes.modelOf(row);
    return cast(model, db.write(txn -> writes.update(txn, model, row)));
  }

  /**
   * Runs {@code body} as one transaction across every model: all its writes (creates, updates,
   * queryset updates, deletes with their cascades) commit together, or, when it throws, none does
   * and the exception propagates. A nested {@code atomic} (and every single write call inside) is a
   * savepoint: if it throws, only its own writes are undone and the outer block may go on.
   *
   * <p><b>Isolation contract.</b> Reads are snapshot reads, writes are serial:
   * <ul>
   *   <li>A reader on any other thread sees the last committed state, whole, as of the start of
   *       each terminal operation; an iterator or stream keeps the state it was made on to its end.
   *       Readers take no lock, never wait for a transaction, and never see an uncommitted or
   *       half-applied write: a commit is published in one step.
   *   <li>The writing thread sees its own writes inside the block (each read sees the transaction
   *       as of that read), queries and reverse relations included.
   *   <li>One transaction runs at a time. A write from another thread waits for it up to
   *       {@link Builder#writerTimeout} (30 s by default), then fails with a
   *       {@link StoreException} having changed nothing. There are no write conflicts to retry.
   * </ul>
   * Foreign keys (DO_NOTHING references included) are checked at commit; callbacks given to
   * {@link #onCommit} run after a successful commit.
   *
   * @throws IntegrityError if the writes leave a foreign key pointing at no row at commit
   * @throws StoreException if another thread's transaction holds the writer past the timeout
   */
  public <R> R atomic(Supplier<R> body) {
    return db.write(txn -> body.get());
  }

  /**
   * {@link #atomic(Supplier)} for a body without a result.
   *
   * @throws IntegrityError if the writes leave a foreign key pointing at no row at commit
   * @throws StoreException if another thread's transaction holds the writer past the timeout
   */
  public void atomic(Runnable body) {
    db.write(txn -> {
      body.run();
      return null;
    });
  }

  /**
   * Runs {@code callback} after the current thread's transaction commits (Django's
   * {@code transaction.on_commit}): never if it rolls back, nor if the savepoint it was registered
   * in rolls back; at once when no transaction is open. Callbacks run in registration order, after
   * the commit is visible and the writer is free; if one throws, the rest are skipped and the
   * exception propagates from {@code atomic}, but the commit stands.
   */
  public void onCommit(Runnable callback) {
    db.onCommit(java.util.Objects.requireNonNull(callback, "callback"));
  }

  // ---------------------------------------------------------------- reads

  /**
   * The row of {@code model} with primary key {@code pk}.
   *
   * @throws DoesNotExist if there is none
   * @throws ValidationError if {@code model} is not registered
   */
  public <T extends Record> T get(Class<T> model, long pk) {
    T row = getOrNull(model, pk);
    if (row == null) {
      ModelMeta m = modelMeta(model);
      throw new DoesNotExist(m.name() + " matching query does not exist (" + m.pk().name() + "="
          + pk + ")");
    }
    return row;
  }

  /**
   * The row with primary key {@code pk}, or null; allocates nothing.
   *
   * @throws ValidationError if {@code model} is not registered
   */
  public <T extends Record> @Nullable T getOrNull(Class<T> model, long pk) {
    ModelMeta m = modelMeta(model);
    Object row = db.view().table(m).row(pk);
    if (m.cache() != CacheSpec.NONE) {
      row = cached(m, pk, row);
    }
    return model.cast(row);
  }

  /** A key read of a cached model: recorded by its policy; a miss is loaded when it can be. */
  private @Nullable Object cached(ModelMeta m, long pk, @Nullable Object row) {
    if (db.isFrozen()) {
      return row; // a snapshot's content is fixed: nothing to record, nothing to load into it
    }
    caches.read(m, pk, row != null);
    return row != null ? row : caches.load(m, pk);
  }

  /**
   * The row with primary key {@code pk}, if any.
   *
   * @throws ValidationError if {@code model} is not registered
   */
  public <T extends Record> Optional<T> find(Class<T> model, long pk) {
    return Optional.ofNullable(getOrNull(model, pk));
  }

  /**
   * Number of rows of a model, O(1).
   *
   * @throws ValidationError if {@code model} is not registered
   */
  public int count(Class<? extends Record> model) {
    return db.view().table(modelMeta(model)).size();
  }

  /**
   * Every row of a model in primary-key order, from one committed state.
   *
   * @throws ValidationError if {@code model} is not registered
   */
  public <T extends Record> List<T> all(Class<T> model) {
    ModelMeta m = modelMeta(model);
    List<T> out = new ArrayList<>();
    db.view().table(m).rows().forEach((k, v) -> out.add(model.cast(v)));
    return out;
  }

  /**
   * Follows a foreign key: the row {@code row.fk} points at, or null when the key is null (or, for a
   * key without a database constraint, points at nothing). Allocates nothing.
   *
   * @throws ValidationError if the row's model is not registered
   * @throws FieldError if the model has no such foreign key
   */
  public <M extends Record, P extends Record> @Nullable P follow(M row,
      ForeignKeyAttribute<M, P> fk) {
    FieldMeta f = resolve(fk, writes.modelOf(row));
    return fk.target().cast(followField(row, f));
  }

  /**
   * Follows the foreign key named {@code fk} of {@code row}; see {@link #follow(Record,
   * ForeignKeyAttribute)}.
   *
   * @throws ValidationError if the row's model is not registered
   * @throws FieldError if the model has no foreign key of that name
   */
  public @Nullable Record follow(Record row, String fk) {
    ModelMeta m = writes.modelOf(row);
    return (Record) followField(row, foreignKeyField(m, fk));
  }

  private @Nullable Object followField(Object row, FieldMeta f) {
    long parent = f.getLong(row);
    if (parent == 0) {
      return null;
    }
    ModelMeta target = f.fk().target();
    Object found = db.view().table(target).row(parent);
    return target.cache() == CacheSpec.NONE ? found : cached(target, parent, found);
  }

  /**
   * The reverse relation of {@code parent}: a live view of the rows whose foreign key points at it.
   *
   * @throws ValidationError if the parent's model is not registered
   * @throws FieldError if the model has no such reverse relation
   */
  public <P extends Record, C extends Record> RelatedSet<C> related(P parent,
      Relation<P, C> relation) {
    ModelMeta m = writes.modelOf(parent);
    FieldMeta fk = resolve(relation, m);
    return new RelatedSet<>(this, db, fk, m.pkOf(parent), relation.related());
  }

  /**
   * The reverse relation named {@code relation} ({@code "posts"}, or {@code "post_set"} without a
   * related name) of {@code parent}; see {@link #related(Record, Relation)}.
   *
   * @throws ValidationError if the parent's model is not registered
   * @throws FieldError if the model has no reverse relation of that name
   */
  public RelatedSet<Record> related(Record parent, String relation) {
    ModelMeta m = writes.modelOf(parent);
    return new RelatedSet<>(this, db, reverseField(m, relation), m.pkOf(parent), Record.class);
  }

  // ---------------------------------------------------------------- deletes

  /**
   * Deletes a row and everything its {@code on_delete} rules reach, atomically, with Django's
   * Collector semantics: CASCADE deletes referencing rows recursively (each row once, cycles
   * included); SET_NULL, SET_DEFAULT and SET update them; PROTECT refuses the whole delete; RESTRICT
   * refuses it unless the restricting rows are deleted by the same operation through CASCADE;
   * DO_NOTHING leaves them, and the commit then fails if one still references a deleted row. SET
   * and default suppliers run inside the delete's transaction. Deleting a row that is no longer
   * stored returns {@code (0, {})}.
   *
   * @return the rows deleted, in total and per model label
   * @throws ValidationError if the record has no primary key (0) or is not of a registered model
   * @throws ProtectedError if a PROTECT foreign key keeps a reached row alive
   * @throws RestrictedError if a RESTRICT foreign key keeps a reached row alive
   * @throws IntegrityError if a DO_NOTHING reference would be left dangling
   */
  public DeleteResult delete(Record row) {
    ModelMeta m = writes.modelOf(row);
    long pk = keyToDelete(m, row);
    return db.write(txn -> Deletes.delete(txn, writes, this, m, new long[] {pk}));
  }

  /**
   * Deletes the rows of {@code model} with the given keys (keys not stored are skipped) in one
   * collection, as Django's {@code QuerySet.delete()}: all or nothing.
   *
   * @throws ValidationError if {@code model} is not registered
   * @throws ProtectedError if a PROTECT foreign key keeps a reached row alive
   * @throws RestrictedError if a RESTRICT foreign key keeps a reached row alive
   * @throws IntegrityError if a DO_NOTHING reference would be left dangling
   */
  public DeleteResult deleteAll(Class<? extends Record> model, long... pks) {
    ModelMeta m = modelMeta(model);
    long[] keys = pks.clone();
    return db.write(txn -> Deletes.delete(txn, writes, this, m, keys));
  }

  /**
   * What {@link #delete(Record)} would do, without doing it: rows to delete, fields to set, and the
   * rows that would block it.
   *
   * @throws ValidationError if the record has no primary key (0) or is not of a registered model
   */
  public DeletePlan planDelete(Record row) {
    ModelMeta m = writes.modelOf(row);
    long pk = keyToDelete(m, row);
    return db.dryRun(txn -> Deletes.plan(txn, writes, this, m, new long[] {pk}));
  }

  /**
   * What {@link #deleteAll(Class, long...)} would do, without doing it.
   *
   * @throws ValidationError if {@code model} is not registered
   */
  public DeletePlan planDeleteAll(Class<? extends Record> model, long... pks) {
    ModelMeta m = modelMeta(model);
    long[] keys = pks.clone();
    return db.dryRun(txn -> Deletes.plan(txn, writes, this, m, keys));
  }

  private static long keyToDelete(ModelMeta m, Record row) {
    long pk = m.pkOf(row);
    if (pk <= 0) {
      throw new ValidationError(m.name() + " object can't be deleted because its "
          + m.pk().name() + " attribute is not set (" + pk + ")");
    }
    return pk;
  }

  // ---------------------------------------------------------------- resolution

  ModelMeta modelMeta(Class<?> model) {
    ModelMeta m = db.schema().find(model);
    if (m == null) {
      throw new ValidationError(model.getName() + " is not a model of this store (registered: "
          + db.schema().models() + ")");
    }
    return m;
  }

  private FieldMeta resolve(Attribute<?, ?> attribute, ModelMeta m) {
    if (attribute.resolved instanceof FieldMeta f && f.model() == m) {
      return f;
    }
    if (m.type() != attribute.model()) {
      throw new FieldError(attribute + " belongs to " + attribute.model().getSimpleName()
          + ", not to " + m.name());
    }
    FieldMeta f = foreignKeyField(m, attribute.name());
    attribute.resolved = f;
    return f;
  }

  private FieldMeta resolve(Relation<?, ?> relation, ModelMeta m) {
    if (relation.resolved instanceof FieldMeta f && f.fk().target() == m) {
      return f;
    }
    if (m.type() != relation.model()) {
      throw new FieldError(relation + " belongs to " + relation.model().getSimpleName()
          + ", not to " + m.name());
    }
    FieldMeta f = reverseField(m, relation.name());
    relation.resolved = f;
    return f;
  }

  private static FieldMeta foreignKeyField(ModelMeta m, String name) {
    FieldMeta f = m.field(name);
    if (f == null || f.foreignKey() == null) {
      List<String> choices = new ArrayList<>();
      for (FieldMeta fk : m.foreignKeys()) {
        choices.add(fk.name());
      }
      throw new FieldError("Cannot resolve foreign key '" + name + "' on model '" + m.name()
          + "'. Choices are: " + String.join(", ", choices));
    }
    return f;
  }

  private static FieldMeta reverseField(ModelMeta m, String name) {
    List<String> choices = new ArrayList<>();
    for (FieldMeta fk : m.incoming()) {
      if (fk.fk().hidden()) {
        continue;
      }
      if (fk.fk().accessorName().equals(name) || fk.fk().queryName().equals(name)) {
        return fk;
      }
      choices.add(fk.fk().accessorName());
    }
    throw new FieldError("Cannot resolve reverse relation '" + name + "' on model '" + m.name()
        + "'. Choices are: " + String.join(", ", choices));
  }

  private static <T> T cast(ModelMeta model, Object row) {
    @SuppressWarnings("unchecked")
    T t = (T) model.type().cast(row);
    return t;
  }

  /** Builds a {@link Store}: models in registration order, options, clock. */
  public static final class Builder {
    private final List<ModelSpec> specs = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration writerTimeout = Duration.ofSeconds(30);
    private Ticker ticker = Ticker.systemTicker();
    private Executor cacheExecutor = ForkJoinPool.commonPool();

    private Builder() {
    }

    /**
     * Registers models. The order matters where Django's does: reverse relations are visited in
     * registration order when a delete collects rows.
     */
    @SafeVarargs
    public final Builder add(Class<? extends Record>... models) {
      for (Class<? extends Record> m : models) {
        specs.add(new ModelSpec(Objects.requireNonNull(m, "model")));
      }
      return this;
    }

    /** Registers a model with options the annotations cannot express. */
    public <T extends Record> Builder add(Class<T> model, Consumer<ModelConfig<T>> config) {
      ModelSpec spec = new ModelSpec(Objects.requireNonNull(model, "model"));
      config.accept(new ModelConfig<>(spec));
      specs.add(spec);
      return this;
    }

    /** The clock of {@code @AutoNow} and {@code @AutoNowAdd} fields (UTC system clock by default). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The time source of cache expiry (Caffeine's {@link Ticker}); a fake one for tests. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Where cache maintenance and eviction deletes run (the common pool by default). With
     * {@code Runnable::run} they run on the calling thread right after the store operation that
     * triggered them: deterministic, for tests.
     */
    public Builder cacheExecutor(Executor executor) {
      this.cacheExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How long a write waits for another thread's open transaction before it fails with a
     * {@link StoreException} (30 s by default). Readers never wait.
     *
     * @throws IllegalArgumentException if the timeout is negative
     */
    public Builder writerTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("negative writer timeout " + timeout);
      }
      this.writerTimeout = timeout;
      return this;
    }

    /**
     * Checks the schema and returns an empty store.
     *
     * @throws SchemaException if a model breaks a schema rule: not a record, no or several
     *     {@code @Id}, an unsupported component type, SET_NULL on a non-nullable foreign key,
     *     SET_DEFAULT without a default, SET without a value, a foreign key to a model not
     *     registered, clashing reverse names, a bad {@code @Default}, or a builder option naming a
     *     field the model does not have
     */
    public Store build() {
      return new Store(Schema.of(specs), clock, writerTimeout, ticker, cacheExecutor);
    }
  }
}
