package io.samboot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.samboot.SamSettings.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * The settings as the map of strings that travels on the control channel.
 */
class SettingsMapTests {

	@Test
	void writesEverySettingInAFixedOrderWithTheDerivedDefaultsResolved() {
		assertThat(SettingsMap.write(SamSettings.defaults())).containsExactly(entry("enabled", "true"),
				entry("time-interval", "PT10S"), entry("recovery-policy", "restart"), entry("warn-signal", "TERM"),
				entry("kill-delay", "PT10S"), entry("health-check.mode", "event"),
				entry("health-check.timeout", "PT5S"), entry("startup-timeout", "PT0S"),
				entry("shutdown-timeout", "PT30S"), entry("restart.delay", "PT1S"), entry("restart.max-delay", "PT1M"),
				entry("restart.immediate-restarts", "1"), entry("restart.multiplier", "2.0"),
				entry("restart.max-restarts", "0"), entry("restart.window", "PT1M"),
				entry("data-store.max-size", "1048576"), entry("quorum.enabled", "false"),
				entry("cmap.enabled", "false"), entry("diagnostics.thread-dump", "true"),
				entry("standby.enabled", "false"), entry("health-check.pause-grace", "PT30S"),
				entry("health-check.http.enabled", "false"));
	}

	@Test
	void theHttpCheckUrlTravelsOnlyWhenSet() {
		SamSettings settings = SamSettings.builder()
			.httpCheck(true)
			.httpCheckUrl("http://127.0.0.1:8080/actuator/health/liveness")
			.build();

		assertThat(SettingsMap.write(settings)).containsEntry("health-check.http.enabled", "true")
			.containsEntry("health-check.http.url", "http://127.0.0.1:8080/actuator/health/liveness");
		assertThat(SettingsMap.read(SettingsMap.write(settings))).isEqualTo(settings);
	}

	@Test
	void readsWhatItWrites() {
		SamSettings settings = SamSettings.builder()
			.warnSignal(PosixSignal.KILL)
			.killDelay(Duration.ZERO)
			.restartMultiplier(1.25)
			.dataStoreMaxSize(0)
			.build();

		assertThat(SettingsMap.read(SettingsMap.write(settings))).isEqualTo(settings);
	}

	@Test
	void readsTheValuesAsWritten() {
		SamSettings read = SettingsMap.read(Map.of("warn-signal", "USR1", "recovery-policy", "quit",
				"health-check.mode", "application", "restart.multiplier", "1.5", "data-store.max-size", "4096"));

		assertThat(read.warnSignal()).isEqualTo(PosixSignal.USR1);
		assertThat(read.recoveryPolicy()).isEqualTo(RecoveryPolicy.QUIT);
		assertThat(read.healthCheckMode()).isEqualTo(HealthCheckMode.APPLICATION);
		assertThat(read.restartMultiplier()).isEqualTo(1.5);
		assertThat(read.dataStoreMaxSize()).isEqualTo(4096);
	}

	@Test
	void ignoresKeysItDoesNotKnow() {
		assertThat(SettingsMap.read(Map.of("from-a-newer-version", "x"))).isEqualTo(SamSettings.defaults());
	}

	@Test
	void missingKeysTakeTheirDefaults() {
		SamSettings read = SettingsMap.read(Map.of("time-interval", "PT4S"));

		assertThat(read.timeInterval()).isEqualTo(Duration.ofSeconds(4));
		assertThat(read.killDelay()).as("derived").isEqualTo(Duration.ofSeconds(4));
		assertThat(read.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void aValueThatDoesNotParseIsRefusedNamingItsKeyAndTheParsersReason() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingsMap.read(Map.of("restart.max-restarts", "1.5")))
			.withMessage("sam.restart.max-restarts = 1.5 is invalid: it does not parse (For input string: \"1.5\")");
	}

	@Test
	void aSignalThatCannotWarnIsRefusedWithTheSignalsReason() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingsMap.read(Map.of("warn-signal", "STOP")))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("sam.warn-signal"))
			.withMessageStartingWith("sam.warn-signal = STOP is invalid: it does not parse (SIGSTOP cannot be the"
					+ " warning signal: ");
	}

	@Test
	void aValueThatParsesButBreaksARuleKeepsTheRulesMessage() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingsMap.read(Map.of("restart.max-restarts", "-1")))
			.withMessage("sam.restart.max-restarts = -1 is invalid: use 0 for unlimited or a positive count");
	}

	@Test
	void valuesAreAppliedBeforeAnyRuleIsChecked() {
		Map<String, String> map = new LinkedHashMap<>();
		map.put("kill-delay", "PT0S");
		map.put("warn-signal", "KILL");

		assertThat(SettingsMap.read(map).killDelay()).isZero();
	}

}
