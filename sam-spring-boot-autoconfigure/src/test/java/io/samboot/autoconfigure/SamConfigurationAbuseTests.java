package io.samboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every {@code sam.*} property of the contract tried with empty, negative, huge,
 * wrong-type and wrong-unit values. Each row is either rejected, with a failure analysis
 * that names the property and the value as written, or accepted with the meaning the
 * README's configuration section gives it, which the row asserts.
 *
 * <p>
 * Both places a value is read are tried: the instance's listener, which binds
 * {@code sam.*} before any context exists ({@link SamApplicationListener#bindSettings}),
 * and the auto-configuration in an application context. A failure is analysed by the
 * failure analyzers Spring Boot itself would load from {@code spring.factories}, ours and
 * its own, in their order.
 */
@Isolated("hundreds of application contexts keep both cores busy; beside them the process tests' child JVMs"
		+ " miss their sub-second health-check deadlines")
class SamConfigurationAbuseTests {

	private static final String HUGE = "999999999d";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SamAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

	/** What a row expects. */
	enum Expect {

		/** Rejected with an analysis, in the listener and in the context. */
		REJECTED,
		/**
		 * Bound by the listener (only the context knows the health contributors),
		 * rejected by the context.
		 */
		REJECTED_BY_CONTEXT,
		/** Accepted in both, with the row's meaning. */
		ACCEPTED

	}

	record Row(Map<String, String> properties, String property, String value, Expect expect, String meaning,
			BiConsumer<SamSettings, SamProperties> check) {

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder();
			this.properties.forEach((key, value) -> text.append(text.isEmpty() ? "" : " ")
				.append(key)
				.append("='")
				.append(value)
				.append("'"));
			return text + " -> " + ((this.expect == Expect.ACCEPTED) ? "accepted: " + this.meaning : "rejected");
		}
	}

	static List<Row> table() {
		List<Row> rows = new ArrayList<>();
		// sam.enabled: Spring Boot's boolean words (true/false, on/off, yes/no, 1/0);
		// anything else is refused.
		rows.add(rejected("sam.enabled", ""));
		rows.add(accepted("sam.enabled", "yes", "true", (s, p) -> assertThat(s.enabled()).isTrue()));
		rows.add(accepted("sam.enabled", "1", "true", (s, p) -> assertThat(s.enabled()).isTrue()));
		rows.add(accepted("sam.enabled", "off", "false", (s, p) -> assertThat(s.enabled()).isFalse()));
		rows.add(accepted("sam.enabled", "0", "false", (s, p) -> assertThat(s.enabled()).isFalse()));
		rows.add(rejected("sam.enabled", "maybe"));
		rows.add(rejected("sam.enabled", "2"));

		// sam.time-interval: 0 for none, 1ms to 365d; a number without a unit is
		// seconds (@DurationUnit(SECONDS), as Spring Boot's seconds-scale properties).
		durationAbuse(rows, "sam.time-interval");
		rows.add(accepted("sam.time-interval", "", "the default, 10s",
				(s, p) -> assertThat(s.timeInterval()).isEqualTo(Duration.ofSeconds(10))));
		rows.add(accepted("sam.time-interval", "0", "no time limit", (s, p) -> assertThat(s.timeInterval()).isZero()));
		rows.add(accepted("sam.time-interval", "10", "10 seconds, not milliseconds",
				(s, p) -> assertThat(s.timeInterval()).isEqualTo(Duration.ofSeconds(10))));
		rows.add(accepted("sam.time-interval", "10ms", "10 milliseconds when asked for (with a warning)",
				(s, p) -> assertThat(s.timeInterval()).isEqualTo(Duration.ofMillis(10))));
		rows.add(accepted("sam.time-interval", "10S", "10 seconds (units in any case)",
				(s, p) -> assertThat(s.timeInterval()).isEqualTo(Duration.ofSeconds(10))));
		rows.add(accepted("sam.time-interval", "PT5S", "5 seconds (ISO-8601)",
				(s, p) -> assertThat(s.timeInterval()).isEqualTo(Duration.ofSeconds(5))));
		rows.add(accepted("sam.time-interval", "365d", "the longest: a year",
				(s, p) -> assertThat(s.timeInterval()).isEqualTo(Duration.ofDays(365))));
		rows.add(rejected("sam.time-interval", "366d"));
		rows.add(rejected("sam.time-interval", "500us"));
		rows.add(rejected("sam.time-interval", "1.5s"));
		rows.add(rejected("sam.time-interval", "9223372036854775807ns"));

		// sam.recovery-policy and sam.health-check.mode: enums, bound by Spring's
		// conversion in any case; an empty value keeps the default, as for durations.
		rows.add(accepted("sam.recovery-policy", "", "the default, restart",
				(s, p) -> assertThat(s.recoveryPolicy()).isEqualTo(RecoveryPolicy.RESTART)));
		rows.add(rejected("sam.recovery-policy", "reboot"));
		rows.add(rejected("sam.recovery-policy", "1"));
		rows.add(accepted("sam.recovery-policy", "QUIT", "quit (any case)",
				(s, p) -> assertThat(s.recoveryPolicy()).isEqualTo(RecoveryPolicy.QUIT)));
		rows.add(accepted("sam.recovery-policy", "Restart", "restart (any case)",
				(s, p) -> assertThat(s.recoveryPolicy()).isEqualTo(RecoveryPolicy.RESTART)));

		// sam.warn-signal: TERM, INT, HUP, USR1, KILL, with or without SIG, any case, or
		// their numbers.
		for (String refused : List.of("", "SIGSTOP", "STOP", "USR2", "SIGSEGV", "QUIT", "0", "99", "-15", "TERM9",
				"2147483648")) {
			rows.add(rejected("sam.warn-signal", refused));
		}
		rows.add(accepted("sam.warn-signal", "sigusr1", "SIGUSR1",
				(s, p) -> assertThat(s.warnSignal()).isEqualTo(PosixSignal.USR1)));
		rows.add(accepted("sam.warn-signal", "9", "SIGKILL: no warning",
				(s, p) -> assertThat(s.warnSignal()).isEqualTo(PosixSignal.KILL)));

		durationAbuse(rows, "sam.kill-delay");
		rows.add(accepted("sam.kill-delay", "", "the time interval",
				(s, p) -> assertThat(s.killDelay()).isEqualTo(s.timeInterval())));
		rows.add(rejected("sam.kill-delay", "0"));
		rows.add(new Row(Map.of("sam.kill-delay", "0", "sam.warn-signal", "KILL"), "sam.kill-delay", "0",
				Expect.ACCEPTED, "with warn-signal KILL: SIGKILL at once",
				(s, p) -> assertThat(s.killDelay()).isZero()));

		rows.add(accepted("sam.health-check.mode", "", "the default, event",
				(s, p) -> assertThat(s.healthCheckMode()).isEqualTo(HealthCheckMode.EVENT)));
		rows.add(rejected("sam.health-check.mode", "maybe"));
		rows.add(accepted("sam.health-check.mode", "APPLICATION", "application",
				(s, p) -> assertThat(s.healthCheckMode()).isEqualTo(HealthCheckMode.APPLICATION)));

		rows.add(new Row(Map.of("sam.health-check.include", "nosuch"), "sam.health-check.include", "nosuch",
				Expect.REJECTED_BY_CONTEXT, null, null));
		rows.add(accepted("sam.health-check.include", "", "no contributors",
				(s, p) -> assertThat(p.getHealthCheck().getInclude()).isEmpty()));
		rows.add(accepted("sam.health-check.include", "*", "every contributor",
				(s, p) -> assertThat(p.getHealthCheck().getInclude()).containsExactly("*")));

		durationAbuse(rows, "sam.health-check.timeout");
		rows.add(accepted("sam.health-check.timeout", "", "half of the time interval",
				(s, p) -> assertThat(s.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(5))));
		rows.add(rejected("sam.health-check.timeout", "0"));
		rows.add(rejected("sam.health-check.timeout", "11s"));

		for (String property : List.of("sam.startup-timeout", "sam.shutdown-timeout", "sam.restart.delay",
				"sam.restart.max-delay", "sam.restart.window", "sam.health-check.pause-grace")) {
			durationAbuse(rows, property);
		}
		rows.add(accepted("sam.startup-timeout", "0", "no start-up limit",
				(s, p) -> assertThat(s.startupTimeout()).isZero()));
		rows.add(accepted("sam.shutdown-timeout", "0", "SIGKILL right after SIGTERM",
				(s, p) -> assertThat(s.shutdownTimeout()).isZero()));
		rows.add(accepted("sam.shutdown-timeout", "", "the default, 30s",
				(s, p) -> assertThat(s.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30))));
		rows.add(accepted("sam.restart.max-delay", "0", "no maximum (growth stops at a day)",
				(s, p) -> assertThat(s.restartMaxDelay()).isZero()));
		rows.add(accepted("sam.restart.delay", "0", "restart at once, always (corosync's SAM)",
				(s, p) -> assertThat(s.restartDelay()).isZero()));
		rows.add(accepted("sam.restart.delay", "5", "5 seconds",
				(s, p) -> assertThat(s.restartDelay()).isEqualTo(Duration.ofSeconds(5))));
		rows.add(accepted("sam.restart.delay", "5m", "5 minutes, the default maximum following it",
				(s, p) -> assertThat(s.restartMaxDelay()).isEqualTo(Duration.ofMinutes(5))));
		rows.add(accepted("sam.restart.max-delay", "", "the default, a minute",
				(s, p) -> assertThat(s.restartMaxDelay()).isEqualTo(Duration.ofMinutes(1))));
		for (String refused : List.of("-1", "2147483648", "1.5", "abc", "")) {
			rows.add(rejected("sam.restart.immediate-restarts", refused));
		}
		rows.add(accepted("sam.restart.immediate-restarts", "0", "a delay before every restart",
				(s, p) -> assertThat(s.immediateRestarts()).isZero()));
		rows.add(new Row(Map.of("sam.restart.max-delay", "1s", "sam.restart.delay", "10s"), "sam.restart.max-delay",
				"1s", Expect.REJECTED, null, null));
		rows.add(rejected("sam.restart.window", "0"));
		rows.add(accepted("sam.health-check.pause-grace", "0", "no extension for pauses",
				(s, p) -> assertThat(s.pauseGrace()).isZero()));

		for (String refused : List.of("NaN", "Infinity", "-Infinity", "0.5", "0", "-1", "abc", "1,5")) {
			rows.add(rejected("sam.restart.multiplier", refused));
		}
		rows.add(rejected("sam.restart.multiplier", ""));
		rows.add(accepted("sam.restart.multiplier", "1", "a constant delay",
				(s, p) -> assertThat(s.restartMultiplier()).isEqualTo(1.0)));
		rows.add(accepted("sam.restart.multiplier", "1e308", "growth capped by max-delay (or a day)",
				(s, p) -> assertThat(s.restartMultiplier()).isEqualTo(1e308)));

		for (String refused : List.of("-1", "2147483648", "1.5", "abc", "ten")) {
			rows.add(rejected("sam.restart.max-restarts", refused));
		}
		rows.add(rejected("sam.restart.max-restarts", ""));
		rows.add(accepted("sam.restart.max-restarts", "2147483647", "practically unlimited",
				(s, p) -> assertThat(s.maxRestarts()).isEqualTo(Integer.MAX_VALUE)));

		for (String refused : List.of("1TB", "513MB", "-1MB", "-1", "abc", "10 parsecs", "1.5MB", "1XB",
				"9223372036854775807KB")) {
			rows.add(rejected("sam.data-store.max-size", refused));
		}
		rows.add(accepted("sam.data-store.max-size", "", "the default, 1MB",
				(s, p) -> assertThat(s.dataStoreMaxSize()).isEqualTo(1024 * 1024)));
		rows.add(accepted("sam.data-store.max-size", "0", "the store holds nothing (only removal succeeds)",
				(s, p) -> assertThat(s.dataStoreMaxSize()).isZero()));
		rows.add(accepted("sam.data-store.max-size", "100", "100 bytes (a number alone is bytes)",
				(s, p) -> assertThat(s.dataStoreMaxSize()).isEqualTo(100)));
		rows.add(accepted("sam.data-store.max-size", "512MB", "the largest",
				(s, p) -> assertThat(s.dataStoreMaxSize()).isEqualTo(512L * 1024 * 1024)));

		for (String property : List.of("sam.quorum.enabled", "sam.cmap.enabled", "sam.diagnostics.thread-dump")) {
			rows.add(rejected(property, "maybe"));
			rows.add(rejected(property, "2"));
		}
		rows.add(accepted("sam.quorum.enabled", "yes", "true", (s, p) -> assertThat(s.quorum()).isTrue()));
		rows.add(accepted("sam.cmap.enabled", "1", "true", (s, p) -> assertThat(s.cmap()).isTrue()));
		rows.add(rejected("sam.cmap.enabled", ""));
		rows.add(
				accepted("sam.diagnostics.thread-dump", "no", "false", (s, p) -> assertThat(s.threadDump()).isFalse()));
		rows.add(rejected("sam.diagnostics.thread-dump", ""));
		rows.add(rejected("sam.quorum.enabled", ""));
		return rows;
	}

	/**
	 * The values every duration refuses: negative, longer than a year, not a number, an
	 * unknown unit.
	 */
	private static void durationAbuse(List<Row> rows, String property) {
		for (String refused : List.of("-1s", "-1", HUGE, "abc", "10 parsecs", "10 s", "1y")) {
			rows.add(rejected(property, refused));
		}
	}

	private static Row rejected(String property, String value) {
		return new Row(Map.of(property, value), property, value, Expect.REJECTED, null, null);
	}

	private static Row accepted(String property, String value, String meaning,
			BiConsumer<SamSettings, SamProperties> check) {
		return new Row(Map.of(property, value), property, value, Expect.ACCEPTED, meaning, check);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void whenTheInstanceBindsItsSettings(Row row) {
		Environment environment = environment(row);
		SamSettings settings;
		try {
			settings = SamApplicationListener.bindSettings(environment);
		}
		catch (RuntimeException ex) {
			if (row.expect() != Expect.REJECTED) {
				throw new AssertionError(row + " was refused: " + ex, ex);
			}
			assertAnalysed(row, ex);
			return;
		}
		assertThat(row.expect()).as("%s was accepted as %s", row, settings).isNotEqualTo(Expect.REJECTED);
		if (row.check() != null) {
			SamProperties properties = Binder.get(environment)
				.bind("sam", SamProperties.class)
				.orElseGet(SamProperties::new);
			row.check().accept(settings, properties);
		}
	}

	/**
	 * The auto-configuration reads the same values again. In a real start the listener
	 * binds first, so a value it refuses never reaches the context; here the context is
	 * tried anyway, and whatever it does with such a value, a failure must still be
	 * explained.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void whenTheApplicationContextStarts(Row row) {
		boolean refusedBeforeTheContext = refusedByTheListener(row);
		this.runner.withPropertyValues(propertyValues(row)).run((context) -> {
			if (context.getStartupFailure() != null) {
				assertThat(row.expect()).as("%s failed: %s", row, context.getStartupFailure())
					.isNotEqualTo(Expect.ACCEPTED);
				assertAnalysed(row, context.getStartupFailure());
				return;
			}
			switch (row.expect()) {
				case ACCEPTED -> {
					if (row.check() != null && context.containsBean("samSettings")) {
						row.check().accept(context.getBean(SamSettings.class), context.getBean(SamProperties.class));
					}
				}
				case REJECTED ->
					assertThat(refusedBeforeTheContext).as("%s started a context and was not refused before it", row)
						.isTrue();
				case REJECTED_BY_CONTEXT -> fail("%s started a context", row);
			}
		});
	}

	private static boolean refusedByTheListener(Row row) {
		try {
			SamApplicationListener.bindSettings(environment(row));
			return false;
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	private static void assertAnalysed(Row row, Throwable failure) {
		FailureAnalysis analysis = analyze(failure);
		if (analysis == null) {
			fail("no failure analysis for %s: %s", row, failure);
		}
		List<String> shown = new ArrayList<>(List.of("'" + row.value() + "'", "\"" + row.value() + "\"",
				" " + row.value() + ",", " " + row.value() + " ", " " + row.value() + "."));
		if (row.value().matches("-?[0-9.]+")) {
			// A bare number is shown as SAM understood it: seconds, bytes, a double.
			shown.addAll(List.of("'" + row.value() + "s'", "'" + row.value() + "B'",
					"'" + Double.parseDouble(row.value()) + "'"));
		}
		assertThat(analysis.getDescription()).as("description of %s", row)
			.contains(row.property())
			.containsAnyOf(shown.toArray(String[]::new));
		assertThat(analysis.getAction()).as("action for %s", row).isNotBlank();
	}

	/**
	 * As Spring Boot does on a failed start: its analyzers and ours from
	 * spring.factories, first answer wins.
	 */
	static FailureAnalysis analyze(Throwable failure) {
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, (type, implementation, ex) -> {
				// analyzers that cannot be built here are not needed for sam.* failures
			});
		assertThat(analyzers).hasAtLeastOneElementOfType(SamConfigurationFailureAnalyzer.class);
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

	private static Environment environment(Row row) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("abuse", new LinkedHashMap<>(row.properties())));
		return environment;
	}

	private static String[] propertyValues(Row row) {
		return row.properties().entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
	}

}
