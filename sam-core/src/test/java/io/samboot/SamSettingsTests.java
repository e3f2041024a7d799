package io.samboot;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.samboot.SamSettings.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SamSettingsTests {

	// ---- defaults (docs/CONTRACT.md)
	// ---------------------------------------------------------------

	@Test
	void defaultsMatchTheContract() {
		SamSettings defaults = SamSettings.defaults();

		assertThat(defaults.enabled()).isTrue();
		assertThat(defaults.timeInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.recoveryPolicy()).isEqualTo(RecoveryPolicy.RESTART);
		assertThat(defaults.warnSignal()).isEqualTo(PosixSignal.TERM);
		assertThat(defaults.killDelay()).as("= time-interval").isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.healthCheckMode()).isEqualTo(HealthCheckMode.EVENT);
		assertThat(defaults.healthCheckTimeout()).as("half of time-interval").isEqualTo(Duration.ofSeconds(5));
		assertThat(defaults.startupTimeout()).isEqualTo(Duration.ZERO);
		assertThat(defaults.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.restartDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(defaults.restartMaxDelay()).isEqualTo(Duration.ofMinutes(1));
		assertThat(defaults.immediateRestarts()).isEqualTo(1);
		assertThat(defaults.restartMultiplier()).isEqualTo(2.0);
		assertThat(defaults.maxRestarts()).isZero();
		assertThat(defaults.restartWindow()).isEqualTo(Duration.ofSeconds(60));
		assertThat(defaults.dataStoreMaxSize()).as("1MB").isEqualTo(1024 * 1024);
		assertThat(defaults.quorum()).isFalse();
		assertThat(defaults.cmap()).isFalse();
		assertThat(defaults.threadDump()).isTrue();
		assertThat(defaults.pauseGrace()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.healthCheckRequestPeriod()).isEqualTo(Duration.ofMillis(2500));
	}

	@Test
	void derivedDefaultsFollowTheTimeInterval() {
		SamSettings settings = SamSettings.builder().timeInterval(Duration.ofSeconds(4)).build();

		assertThat(settings.killDelay()).isEqualTo(Duration.ofSeconds(4));
		assertThat(settings.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.healthCheckRequestPeriod()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void withTimeIntervalKeepsDerivedValuesDerivedAndExplicitOnesExplicit() {
		SamSettings derived = SamSettings.defaults().withTimeInterval(Duration.ofSeconds(20));
		SamSettings explicit = SamSettings.builder()
			.killDelay(Duration.ofSeconds(3))
			.healthCheckTimeout(Duration.ofSeconds(1))
			.build()
			.withTimeInterval(Duration.ofSeconds(20));
		SamSettings fromZero = SamSettings.builder()
			.timeInterval(Duration.ZERO)
			.build()
			.withTimeInterval(Duration.ofSeconds(8));

		assertThat(derived.killDelay()).isEqualTo(Duration.ofSeconds(20));
		assertThat(derived.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(explicit.killDelay()).isEqualTo(Duration.ofSeconds(3));
		assertThat(explicit.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(fromZero.killDelay()).isEqualTo(Duration.ofSeconds(8));
		assertThat(fromZero.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void changingTheBuilderAfterBuildLeavesTheSettingsAsTheyWere() {
		SamSettings.Builder builder = SamSettings.builder().timeInterval(Duration.ofSeconds(4));
		SamSettings settings = builder.build();

		builder.timeInterval(Duration.ofSeconds(8)).killDelay(Duration.ofSeconds(1));

		assertThat(settings.timeInterval()).isEqualTo(Duration.ofSeconds(4));
		assertThat(settings.killDelay()).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void toBuilderHandsOutACopyWithTheDerivedValuesMadeExplicit() {
		SamSettings settings = SamSettings.builder().timeInterval(Duration.ofSeconds(4)).build();

		SamSettings changed = settings.toBuilder().timeInterval(Duration.ofSeconds(8)).build();

		assertThat(settings.timeInterval()).isEqualTo(Duration.ofSeconds(4));
		assertThat(changed.killDelay()).isEqualTo(Duration.ofSeconds(4));
		assertThat(changed.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void theShortestIntervalStillHasARequestPeriod() {
		SamSettings settings = SamSettings.builder().timeInterval(Duration.ofMillis(1)).build();

		assertThat(settings.healthCheckRequestPeriod()).isPositive();
	}

	// ---- toMap / fromMap
	// ----------------------------------------------------------------------

	@Test
	void theDefaultsRoundTripThroughAMap() {
		assertThat(SamSettings.fromMap(SamSettings.defaults().toMap())).isEqualTo(SamSettings.defaults());
	}

	@Test
	void everyPropertyRoundTripsThroughAMap() {
		SamSettings settings = SamSettings.builder()
			.enabled(false)
			.timeInterval(Duration.ofMillis(1500))
			.recoveryPolicy(RecoveryPolicy.QUIT)
			.warnSignal(PosixSignal.USR1)
			.killDelay(Duration.ofMillis(250))
			.healthCheckMode(HealthCheckMode.APPLICATION)
			.healthCheckTimeout(Duration.ofMillis(700))
			.startupTimeout(Duration.ofMinutes(2))
			.shutdownTimeout(Duration.ofSeconds(5))
			.restartDelay(Duration.ofSeconds(1))
			.restartMaxDelay(Duration.ofSeconds(30))
			.restartMultiplier(1.5)
			.maxRestarts(3)
			.restartWindow(Duration.ofMinutes(10))
			.dataStoreMaxSize(4096)
			.quorum(true)
			.cmap(true)
			.threadDump(false)
			.pauseGrace(Duration.ofSeconds(7))
			.build();

		SamSettings read = SamSettings.fromMap(settings.toMap());

		assertThat(read).isEqualTo(settings);
		assertThat(read.enabled()).isFalse();
		assertThat(read.timeInterval()).isEqualTo(Duration.ofMillis(1500));
		assertThat(read.recoveryPolicy()).isEqualTo(RecoveryPolicy.QUIT);
		assertThat(read.warnSignal()).isEqualTo(PosixSignal.USR1);
		assertThat(read.killDelay()).isEqualTo(Duration.ofMillis(250));
		assertThat(read.healthCheckMode()).isEqualTo(HealthCheckMode.APPLICATION);
		assertThat(read.healthCheckTimeout()).isEqualTo(Duration.ofMillis(700));
		assertThat(read.startupTimeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(read.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(read.restartDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(read.restartMaxDelay()).isEqualTo(Duration.ofSeconds(30));
		assertThat(read.restartMultiplier()).isEqualTo(1.5);
		assertThat(read.maxRestarts()).isEqualTo(3);
		assertThat(read.restartWindow()).isEqualTo(Duration.ofMinutes(10));
		assertThat(read.dataStoreMaxSize()).isEqualTo(4096);
		assertThat(read.quorum()).isTrue();
		assertThat(read.cmap()).isTrue();
		assertThat(read.threadDump()).isFalse();
		assertThat(read.pauseGrace()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void manyRandomValidSettingsRoundTripThroughAMap() {
		Random random = new Random(20250601);
		PosixSignal[] warnings = { PosixSignal.TERM, PosixSignal.INT, PosixSignal.HUP, PosixSignal.USR1,
				PosixSignal.KILL };
		for (int i = 0; i < 2000; i++) {
			Duration interval = (random.nextInt(5) == 0) ? Duration.ZERO
					: Duration.ofNanos(1_000_000 + (long) (random.nextDouble() * 3_600_000_000_000L));
			Duration restartDelay = Duration.ofMillis(random.nextInt(100_000));
			SamSettings.Builder builder = SamSettings.builder()
				.enabled(random.nextBoolean())
				.timeInterval(interval)
				.recoveryPolicy(random.nextBoolean() ? RecoveryPolicy.QUIT : RecoveryPolicy.RESTART)
				.warnSignal(warnings[random.nextInt(warnings.length)])
				.healthCheckMode(random.nextBoolean() ? HealthCheckMode.EVENT : HealthCheckMode.APPLICATION)
				.startupTimeout(Duration.ofMillis(random.nextInt(100_000)))
				.shutdownTimeout(Duration.ofMillis(random.nextInt(100_000)))
				.restartDelay(restartDelay)
				.restartMaxDelay(
						random.nextBoolean() ? Duration.ZERO : restartDelay.plusMillis(random.nextInt(100_000)))
				.restartMultiplier(1.0 + random.nextDouble() * 10)
				.maxRestarts(random.nextInt(100))
				.restartWindow(Duration.ofSeconds(1 + random.nextInt(10_000)))
				.dataStoreMaxSize((long) (random.nextDouble() * SamSettings.MAX_DATA_STORE_SIZE))
				.quorum(random.nextBoolean())
				.cmap(random.nextBoolean())
				.threadDump(random.nextBoolean())
				.pauseGrace(Duration.ofMillis(random.nextInt(100_000)));
			if (random.nextBoolean()) {
				builder.killDelay(Duration.ofMillis(1 + random.nextInt(100_000)));
			}
			if (random.nextBoolean() && !interval.isZero()) {
				builder.healthCheckTimeout(interval.dividedBy(1 + random.nextInt(10)));
			}
			SamSettings settings = builder.build();

			assertThat(SamSettings.fromMap(settings.toMap())).as("%s", settings).isEqualTo(settings);
		}
	}

	@Test
	void fromMapIgnoresUnknownKeysAndDefaultsMissingOnes() {
		SamSettings read = SamSettings.fromMap(Map.of("time-interval", "PT2S", "from-a-newer-version", "x"));

		assertThat(read).isEqualTo(SamSettings.defaults().withTimeInterval(Duration.ofSeconds(2)));
		assertThat(SamSettings.fromMap(Map.of())).isEqualTo(SamSettings.defaults());
	}

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource({ "recovery-policy, sometimes", "warn-signal, STOP", "warn-signal, nonsense", "health-check.mode, poll",
			"restart.multiplier, many", "restart.max-restarts, 1.5", "data-store.max-size, 1MB",
			"restart.multiplier, 0.5", "restart.max-restarts, -1", "data-store.max-size, -1" })
	void fromMapRefusesValuesThatDoNotParseOrFit(String key, String value) {
		Map<String, String> map = new HashMap<>(SamSettings.defaults().toMap());
		map.put(key, value);

		assertThatIllegalArgumentException().isThrownBy(() -> SamSettings.fromMap(map));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource({ "time-interval, ten seconds", "kill-delay, 5s", "health-check.timeout, PT", "startup-timeout, 30",
			"shutdown-timeout, soon", "restart.delay, x", "restart.max-delay, x", "restart.window, x",
			"health-check.pause-grace, x" })
	void fromMapRefusesADurationThatDoesNotParseWithAnIllegalArgumentException(String key, String value) {
		Map<String, String> map = new HashMap<>(SamSettings.defaults().toMap());
		map.put(key, value);

		assertThatIllegalArgumentException().isThrownBy(() -> SamSettings.fromMap(map));
	}

	// ---- validation
	// ---------------------------------------------------------------------------

	static Stream<Arguments> invalidSettings() {
		return Stream.of(invalid("sam.time-interval", b -> b.timeInterval(null)),
				invalid("sam.time-interval", b -> b.timeInterval(Duration.ofSeconds(-1))),
				invalid("sam.recovery-policy", b -> b.recoveryPolicy(null)),
				invalid("sam.warn-signal", b -> b.warnSignal(null)),
				invalid("sam.warn-signal", b -> b.warnSignal(PosixSignal.STOP)),
				invalid("sam.warn-signal", b -> b.warnSignal(PosixSignal.USR2)),
				invalid("sam.health-check.mode", b -> b.healthCheckMode(null)),
				invalid("sam.kill-delay", b -> b.killDelay(Duration.ofMillis(-1))),
				invalid("sam.kill-delay", b -> b.killDelay(Duration.ZERO)),
				invalid("sam.health-check.timeout", b -> b.healthCheckTimeout(Duration.ofMillis(-1))),
				invalid("sam.health-check.timeout", b -> b.healthCheckTimeout(Duration.ofSeconds(11))),
				invalid("sam.startup-timeout", b -> b.startupTimeout(Duration.ofMillis(-1))),
				invalid("sam.startup-timeout", b -> b.startupTimeout(null)),
				invalid("sam.shutdown-timeout", b -> b.shutdownTimeout(Duration.ofMillis(-1))),
				invalid("sam.restart.delay", b -> b.restartDelay(Duration.ofMillis(-1))),
				invalid("sam.restart.max-delay", b -> b.restartMaxDelay(Duration.ofMillis(-1))),
				invalid("sam.restart.window", b -> b.restartWindow(Duration.ofMillis(-1))),
				invalid("sam.health-check.pause-grace", b -> b.pauseGrace(Duration.ofMillis(-1))),
				invalid("sam.restart.multiplier", b -> b.restartMultiplier(0.99)),
				invalid("sam.restart.multiplier", b -> b.restartMultiplier(Double.NaN)),
				invalid("sam.restart.multiplier", b -> b.restartMultiplier(Double.POSITIVE_INFINITY)),
				invalid("sam.restart.max-restarts", b -> b.maxRestarts(-1)),
				invalid("sam.data-store.max-size", b -> b.dataStoreMaxSize(-1)),
				invalid("sam.data-store.max-size", b -> b.dataStoreMaxSize(SamSettings.MAX_DATA_STORE_SIZE + 1)));
	}

	@ParameterizedTest(name = "{0}: {index}")
	@MethodSource("invalidSettings")
	void everyValidationErrorNamesThePropertyTheValueAndAFix(String property,
			UnaryOperator<SamSettings.Builder> change) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> change.apply(SamSettings.builder()).build())
			.satisfies(ex -> {
				assertThat(ex.property()).isEqualTo(property);
				assertThat(ex.value()).isNotBlank();
				assertThat(ex.fix()).isNotBlank();
				assertThat(ex.getMessage()).startsWith(property + " = " + ex.value() + " is invalid: ")
					.endsWith(ex.fix());
			});
	}

	@Test
	void edgeValuesAreAccepted() {
		SamSettings settings = SamSettings.builder()
			.timeInterval(Duration.ZERO)
			.killDelay(Duration.ZERO)
			.restartMultiplier(1.0)
			.dataStoreMaxSize(SamSettings.MAX_DATA_STORE_SIZE)
			.maxRestarts(0)
			.healthCheckTimeout(Duration.ofHours(1))
			.build();
		SamSettings noWarning = SamSettings.builder().warnSignal(PosixSignal.KILL).killDelay(Duration.ZERO).build();
		SamSettings fullInterval = SamSettings.builder().healthCheckTimeout(Duration.ofSeconds(10)).build();

		assertThat(settings.dataStoreMaxSize()).isEqualTo(SamSettings.MAX_DATA_STORE_SIZE);
		assertThat(noWarning.killDelay()).isZero();
		assertThat(fullInterval.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void theKillDelayErrorSaysHowToGetNoWarning() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.builder().warnSignal(PosixSignal.INT).killDelay(Duration.ZERO).build())
			.withMessageContaining("SIGINT")
			.withMessageContaining("warn-signal to KILL");
	}

	@Test
	void settingsAreEqualByValue() {
		SamSettings a = SamSettings.builder().timeInterval(Duration.ofSeconds(3)).build();
		SamSettings b = SamSettings.defaults().withTimeInterval(Duration.ofSeconds(3));

		assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
		assertThat(a).isNotEqualTo(a.withRecoveryPolicy(RecoveryPolicy.QUIT));
		assertThat(a.toString()).contains("time-interval=PT3S");
	}

	private static Arguments invalid(String property, UnaryOperator<SamSettings.Builder> change) {
		return Arguments.of(property, change);
	}

	// ---- the data store's size rule, for the instance and the supervisor alike
	// ----------------

	@Test
	void dataUpToTheMaximumSizeFits() {
		SamSettings settings = SamSettings.builder().dataStoreMaxSize(16).build();

		assertThat(settings.dataStoreFits(new byte[16])).isTrue();
		assertThat(settings.dataStoreFits(new byte[17])).isFalse();
	}

	@Test
	void removingTheDataAlwaysFits() {
		SamSettings settings = SamSettings.builder().dataStoreMaxSize(0).build();

		assertThat(settings.dataStoreFits(null)).isTrue();
		assertThat(settings.dataStoreFits(new byte[0])).isTrue();
		assertThat(settings.dataStoreFits(new byte[1])).isFalse();
	}

	// ---- limits that keep the supervisor's arithmetic sound
	// ------------------------------------

	static Stream<Arguments> everyDuration() {
		return Stream.<Arguments>of(
				Arguments.of("time-interval",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.timeInterval(Duration.ofDays(366))),
				Arguments.of("kill-delay",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.killDelay(Duration.ofDays(366))),
				Arguments.of("health-check.timeout",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.timeInterval(Duration.ZERO)
							.healthCheckTimeout(Duration.ofDays(366))),
				Arguments.of("startup-timeout",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.startupTimeout(Duration.ofDays(366))),
				Arguments.of("shutdown-timeout",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.shutdownTimeout(Duration.ofDays(366))),
				Arguments.of("restart.delay",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.restartDelay(Duration.ofDays(366))),
				Arguments.of("restart.max-delay",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.restartMaxDelay(Duration.ofDays(366))),
				Arguments.of("restart.window",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.restartWindow(Duration.ofDays(366))),
				Arguments.of("health-check.pause-grace",
						(UnaryOperator<SamSettings.Builder>) (b) -> b.pauseGrace(Duration.ofDays(366))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("everyDuration")
	void noDurationMayExceedAYear(String property, UnaryOperator<SamSettings.Builder> change) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> change.apply(SamSettings.builder()).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("sam." + property))
			.withMessageContaining("use at most 365d");
	}

	@Test
	void aYearIsAcceptedAndItsDeadlinesFitInNanoseconds() {
		Duration year = SamSettings.MAX_DURATION;
		SamSettings settings = SamSettings.builder()
			.timeInterval(year)
			.killDelay(year)
			.startupTimeout(year)
			.shutdownTimeout(year)
			.restartDelay(year)
			.restartMaxDelay(year)
			.restartWindow(year)
			.pauseGrace(year)
			.build();

		// The loop adds deadlines to System.nanoTime(); every such sum stays far from
		// overflowing.
		long sum = settings.timeInterval().toNanos() + settings.killDelay().toNanos()
				+ settings.startupTimeout().toNanos() + settings.shutdownTimeout().toNanos()
				+ settings.restartMaxDelay().toNanos() + settings.pauseGrace().toNanos();
		assertThat(sum).isLessThan(Long.MAX_VALUE / 4);
	}

	@Test
	void aHugeDurationFromTheChannelIsRefusedBeforeTheLoopUsesIt() {
		// 999999999 days overflow Duration.toNanos(): the supervisor must never hold such
		// a setting.
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.fromMap(Map.of("startup-timeout", Duration.ofDays(999_999_999).toString())))
			.withMessageContaining("sam.startup-timeout");
	}

	@Test
	void aNonZeroIntervalBelowAMillisecondIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.builder().timeInterval(Duration.ofNanos(999_999)).build())
			.withMessageContaining("at least 1ms");
		assertThat(SamSettings.builder().timeInterval(Duration.ofMillis(1)).build().timeInterval())
			.isEqualTo(Duration.ofMillis(1));
	}

	@Test
	void aZeroHealthCheckTimeoutIsRefusedWhileChecksAreTimed() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.builder().healthCheckTimeout(Duration.ZERO).build())
			.withMessageContaining("fails every check");
		assertThat(SamSettings.builder()
			.timeInterval(Duration.ZERO)
			.healthCheckTimeout(Duration.ZERO)
			.build()
			.healthCheckTimeout()).isZero();
	}

	@Test
	void aZeroRestartWindowIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.builder().restartWindow(Duration.ZERO).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("sam.restart.window"));
	}

	@Test
	void aMaximumDelayBelowTheDelayIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.builder()
				.restartDelay(Duration.ofSeconds(10))
				.restartMaxDelay(Duration.ofSeconds(1))
				.build())
			.withMessageContaining("below restart.delay (10s)");
		assertThat(SamSettings.builder()
			.restartDelay(Duration.ofSeconds(10))
			.restartMaxDelay(Duration.ofSeconds(10))
			.build()
			.restartMaxDelay()).isEqualTo(Duration.ofSeconds(10));
	}

	@ParameterizedTest
	@CsvSource({ "PT0S, 0", "PT10S, 10s", "PT1.5S, 1500ms", "PT-1S, -1s", "PT0.0005S, 500us", "PT0.000000001S, 1ns",
			"PT24H, 1d", "PT2562047H47M16.854775807S, 9223372036854775807ns", "PT23999999976H, 999999999d" })
	void durationsAreFormattedAsWritten(String iso, String written) {
		assertThat(SamSettings.format(Duration.parse(iso))).isEqualTo(written);
	}

}
