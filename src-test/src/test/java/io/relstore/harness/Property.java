package io.relstore.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A seeded model-based property: each try draws a sequence of {@link Action}s from a
 * {@link SplittableRandom} seed, applies every action to a fresh system under test and to a fresh
 * reference model, and after every step compares their outcomes and runs the invariant (which
 * typically checks the system's internal invariants and that both hold the same state). A failure
 * is shrunk (chunks of actions removed, delta-debugging style, while the failure persists; then each
 * action's values simplified through {@link Action#shrink()}) and reported as a
 * {@link PropertyFailure} naming the seed, the command that replays it, and the shortest failing
 * sequence as runnable Java.
 *
 * <pre>{@code
 * Property.of(MyTest.class, MySystem::new, MyModel::new, MyActions::random)
 *     .invariant((system, model) -> assertEquals(model.state(), system.state()))
 *     .check();
 * }</pre>
 *
 * <p>Scale and replay are set by system properties (Maven passes them to the tests: add
 * {@code -Drelstore.tries=2000 -Drelstore.steps=200} to the test command):
 * <dl>
 *   <dt>{@code relstore.tries} (default 25)
 *   <dd>sequences drawn per property, each from its own seed;
 *   <dt>{@code relstore.steps} (default 60)
 *   <dd>actions per sequence;
 *   <dt>{@code relstore.seed} (default none)
 *   <dd>run one try with this seed only: the replay of a reported failure. Empty, blank or an
 *       unresolved {@code ${...}} placeholder counts as unset.
 * </dl>
 * The builder methods {@link #tries}, {@link #steps} and {@link #seed} override them for one
 * property. Drawing does not look at any state, so a seed always yields the same sequence, and a
 * longer run starts with the sequence of a shorter one.
 *
 * @param <S> the system under test
 * @param <M> the reference model
 */
public final class Property<S, M> {
  static final int DEFAULT_TRIES = 25;
  static final int DEFAULT_STEPS = 60;
  static final int DEFAULT_SHRINK_RUNS = 3000;

  private final Class<?> testClass;
  private final Supplier<? extends S> system;
  private final Supplier<? extends M> model;
  private final Function<SplittableRandom, ? extends Action<S, M>> actions;
  private BiConsumer<? super S, ? super M> invariant = (s, m) -> { };
  private Function<RuntimeException, ?> errorView = RuntimeException::getClass;
  private String setup = "";
  private Settings settings = Settings.fromSystemProperties();
  private int shrinkRuns = DEFAULT_SHRINK_RUNS;

  private Property(Class<?> testClass, Supplier<? extends S> system, Supplier<? extends M> model,
      Function<SplittableRandom, ? extends Action<S, M>> actions) {
    this.testClass = Objects.requireNonNull(testClass, "testClass");
    this.system = Objects.requireNonNull(system, "system");
    this.model = Objects.requireNonNull(model, "model");
    this.actions = Objects.requireNonNull(actions, "actions");
  }

  /**
   * A property of {@code testClass} (named in the replay command): fresh systems and models come
   * from the suppliers, each action from {@code actions} given the try's random source.
   */
  public static <S, M> Property<S, M> of(Class<?> testClass, Supplier<? extends S> system,
      Supplier<? extends M> model, Function<SplittableRandom, ? extends Action<S, M>> actions) {
    return new Property<>(testClass, system, model, actions);
  }

  /** Checked before the first step and after every step; throws AssertionError when broken. */
  public Property<S, M> invariant(BiConsumer<? super S, ? super M> check) {
    this.invariant = Objects.requireNonNull(check, "check");
    return this;
  }

  /**
   * What of an exception both sides must agree on (by {@code equals}); its class by default. A
   * model may throw its own exception type and map it to the same view as the system's.
   */
  public Property<S, M> errorView(Function<RuntimeException, ?> view) {
    this.errorView = Objects.requireNonNull(view, "view");
    return this;
  }

  /** The Java line that makes the system the printed actions act on, e.g. {@code var list = ...;}. */
  public Property<S, M> setup(String javaLine) {
    this.setup = Objects.requireNonNull(javaLine, "javaLine");
    return this;
  }

  /** Replaces the settings read from the system properties. */
  public Property<S, M> settings(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /** Overrides {@code relstore.tries} for this property. */
  public Property<S, M> tries(int tries) {
    settings = new Settings(positive(tries, "tries"), settings.steps(), settings.seed());
    return this;
  }

  /** Overrides {@code relstore.steps} for this property. */
  public Property<S, M> steps(int steps) {
    settings = new Settings(settings.tries(), positive(steps, "steps"), settings.seed());
    return this;
  }

  /** Runs the one try with this seed, as {@code -Drelstore.seed} does. */
  public Property<S, M> seed(long seed) {
    settings = new Settings(settings.tries(), settings.steps(), seed);
    return this;
  }

  /** At most this many re-runs while shrinking one failure (3000 by default). */
  public Property<S, M> shrinkRuns(int runs) {
    this.shrinkRuns = positive(runs, "runs");
    return this;
  }

  private static int positive(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be positive: " + n);
    }
    return n;
  }

  /** The settings in force: system properties, then this property's overrides. */
  public Settings settings() {
    return settings;
  }

  /**
   * Runs the property: {@code tries} sequences (or the one of {@code relstore.seed}).
   *
   * @return what ran
   * @throws PropertyFailure the first failing try, shrunk
   */
  public Report check() {
    Long fixed = settings.seed();
    long[] seeds = fixed != null ? new long[] {fixed} : freshSeeds(settings.tries());
    for (int i = 0; i < seeds.length; i++) {
      List<Action<S, M>> sequence = actions(seeds[i]);
      Run<S, M> run = run(sequence);
      if (run.failed()) {
        throw report(seeds[i], i + 1, seeds.length, sequence, run);
      }
    }
    return new Report(seeds.length, settings.steps());
  }

  private static long[] freshSeeds(int tries) {
    SplittableRandom master = new SplittableRandom();
    long[] seeds = new long[tries];
    for (int i = 0; i < tries; i++) {
      seeds[i] = master.nextLong();
    }
    return seeds;
  }

  /** The sequence a seed draws: {@code steps} actions, independent of any state. */
  public List<Action<S, M>> actions(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Action<S, M>> out = new ArrayList<>(settings.steps());
    for (int i = 0; i < settings.steps(); i++) {
      out.add(Objects.requireNonNull(actions.apply(random), "action"));
    }
    return out;
  }

  /** Applies {@code sequence} to a fresh system and model, stopping at the first failure. */
  public Run<S, M> run(List<? extends Action<S, M>> sequence) {
    List<Object> systemOutcomes = new ArrayList<>();
    List<Action<S, M>> done = new ArrayList<>();
    int step = -1;
    try {
      S s = system.get();
      M m = model.get();
      invariant.accept(s, m);
      for (step = 0; step < sequence.size(); step++) {
        Action<S, M> action = sequence.get(step);
        done.add(action);
        Object onSystem = outcome(() -> action.onSystem(s));
        systemOutcomes.add(onSystem);
        Object onModel = outcome(() -> action.onModel(m));
        if (!Objects.equals(onSystem, onModel)) {
          throw new AssertionError("outcomes differ at step " + (step + 1) + " (" + action
              + ")\n  system: " + onSystem + "\n  model:  " + onModel);
        }
        invariant.accept(s, m);
      }
      return new Run<>(done, systemOutcomes, null);
    } catch (RuntimeException | Error e) {
      if (step >= 0 && step < sequence.size() && systemOutcomes.size() == step) {
        systemOutcomes.add(e);
      }
      return new Run<>(done, systemOutcomes, e);
    }
  }

  private Object outcome(Supplier<@Nullable Object> side) {
    try {
      return Objects.requireNonNullElse(side.get(), Returned.NULL);
    } catch (RuntimeException e) {
      return new Threw(errorView.apply(e), e.getClass());
    }
  }

  /** An outcome of a step that returned null. */
  enum Returned { NULL }

  /**
   * The outcome of a step that threw: the property's view of the exception, which both sides must
   * agree on, and (not compared) the class of the exception thrown.
   */
  public static final class Threw {
    private final Object view;
    private final Class<?> type;

    Threw(Object view, Class<?> type) {
      this.view = Objects.requireNonNull(view, "view");
      this.type = type;
    }

    public Object view() {
      return view;
    }

    public Class<?> type() {
      return type;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Threw t && view.equals(t.view);
    }

    @Override
    public int hashCode() {
      return view.hashCode();
    }

    @Override
    public String toString() {
      return "throws " + view;
    }
  }

  /**
   * One application of a sequence.
   *
   * @param actions the actions applied, the failing one last
   * @param systemOutcomes what each applied action returned on the system (a {@link Threw} when it
   *     threw); the failure itself when the system side failed
   * @param failure the failure, or null when every step agreed
   */
  public record Run<S, M>(List<Action<S, M>> actions, List<Object> systemOutcomes,
      @Nullable Throwable failure) {
    public boolean failed() {
      return failure != null;
    }

    /** Whether this run fails the way {@code other} failed (same exception class). */
    boolean failsLike(Throwable other) {
      return failure != null && failure.getClass() == other.getClass();
    }
  }

  /**
   * What a passing {@link #check()} ran.
   *
   * @param tries sequences run
   * @param steps actions per sequence
   */
  public record Report(int tries, int steps) {
  }

  private PropertyFailure report(long seed, int tryNumber, int tries,
      List<Action<S, M>> sequence, Run<S, M> first) {
    Shrinker<S, M> shrinker = new Shrinker<>(this, shrinkRuns);
    Run<S, M> smallest = shrinker.shrink(first);
    Throwable cause = Objects.requireNonNull(smallest.failure());
    StringBuilder sb = new StringBuilder();
    sb.append("Property ").append(testClass.getSimpleName()).append(" failed on try ")
        .append(tryNumber).append(" of ").append(tries).append(", seed ").append(seed)
        .append(" (").append(sequence.size()).append(" steps); shrunk to ")
        .append(smallest.actions().size())
        .append(smallest.actions().size() == 1 ? " action" : " actions")
        .append(" in ").append(shrinker.runs()).append(" runs.\n");
    sb.append("Replay: ").append(replayCommand(seed)).append('\n');
    sb.append("Shortest failing sequence:\n");
    appendJava(sb, smallest);
    sb.append("Failure: ").append(cause);
    return new PropertyFailure(sb.toString(), seed, List.copyOf(sequence),
        List.copyOf(smallest.actions()), cause);
  }

  /** The command that replays one seed of this property. */
  public String replayCommand(long seed) {
    return "mvn -B verify -pl src-test -am -Dtest=" + testClass.getSimpleName()
        + " -Drelstore.seed=" + seed
        + (settings.steps() != DEFAULT_STEPS ? " -Drelstore.steps=" + settings.steps() : "")
        + " -Dsurefire.failIfNoSpecifiedTests=false";
  }

  private void appendJava(StringBuilder sb, Run<S, M> run) {
    if (!setup.isEmpty()) {
      sb.append("    ").append(setup).append('\n');
    }
    List<Action<S, M>> list = run.actions();
    for (int i = 0; i < list.size(); i++) {
      Object outcome = i < run.systemOutcomes().size() ? run.systemOutcomes().get(i) : null;
      String line = list.get(i).toString();
      boolean last = i == list.size() - 1;
      String code;
      if (outcome == Action.SKIP && !last) {
        code = "// skipped: " + line;
      } else if (outcome instanceof Threw t && !last) {
        code = "assertThrows(" + t.type().getSimpleName() + ".class, () -> { " + line + " });";
      } else {
        code = line;
      }
      String note = last ? "<- fails here"
          : outcome == null || outcome == Action.SKIP || outcome == Returned.NULL
              || outcome instanceof Threw ? ""
          : "-> " + abbreviate(String.valueOf(outcome));
      sb.append("    ").append(code);
      if (!note.isEmpty()) {
        sb.append(" ".repeat(Math.max(1, 72 - code.length()))).append("// ").append(note);
      }
      sb.append('\n');
    }
  }

  private static String abbreviate(String s) {
    String flat = s.replace('\n', ' ');
    return flat.length() <= 100 ? flat : flat.substring(0, 97) + "...";
  }

  /**
   * The scale of a run.
   *
   * @param tries sequences per property
   * @param steps actions per sequence
   * @param seed the one seed to replay, or null to draw {@code tries} fresh seeds
   */
  public record Settings(int tries, int steps, @Nullable Long seed) {

    /** From {@code relstore.tries}, {@code relstore.steps} and {@code relstore.seed}. */
    public static Settings fromSystemProperties() {
      return parse(System.getProperty("relstore.tries"), System.getProperty("relstore.steps"),
          System.getProperty("relstore.seed"));
    }

    /** Parses the three properties; unset, blank or {@code ${...}} values take the defaults. */
    public static Settings parse(@Nullable String tries, @Nullable String steps,
        @Nullable String seed) {
      String t = given(tries);
      String s = given(steps);
      String d = given(seed);
      return new Settings(t == null ? DEFAULT_TRIES : positive(Integer.parseInt(t), "relstore.tries"),
          s == null ? DEFAULT_STEPS : positive(Integer.parseInt(s), "relstore.steps"),
          d == null ? null : Long.valueOf(Long.parseLong(d)));
    }

    private static @Nullable String given(@Nullable String value) {
      if (value == null) {
        return null;
      }
      String v = value.strip();
      return v.isEmpty() || v.startsWith("${") ? null : v;
    }
  }
}
