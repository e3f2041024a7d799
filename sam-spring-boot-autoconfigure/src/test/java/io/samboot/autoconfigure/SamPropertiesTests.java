package io.samboot.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamSettings.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SamPropertiesTests {

	private static SamProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bind("sam", SamProperties.class)
			.orElseGet(SamProperties::new);
	}

	private static SamSettings settings(String... keyValues) {
		Map<String, String> values = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			values.put(keyValues[i], keyValues[i + 1]);
		}
		return bind(values).toSettings();
	}

	@Test
	void defaultsAreTheContractsDefaults() {
		assertThat(new SamProperties().toSettings()).isEqualTo(SamSettings.defaults());
	}

	@Test
	void everyPropertyIsConverted() {
		SamSettings settings = settings("sam.enabled", "true", "sam.time-interval", "5s", "sam.recovery-policy", "QUIT",
				"sam.warn-signal", "sigint", "sam.kill-delay", "2s", "sam.health-check.mode", "application",
				"sam.health-check.timeout", "1s", "sam.health-check.pause-grace", "10s", "sam.startup-timeout", "1m",
				"sam.shutdown-timeout", "20s", "sam.restart.delay", "1s", "sam.restart.max-delay", "30s",
				"sam.restart.multiplier", "1.5", "sam.restart.max-restarts", "5", "sam.restart.window", "2m",
				"sam.data-store.max-size", "64KB", "sam.quorum.enabled", "true", "sam.cmap.enabled", "true",
				"sam.diagnostics.thread-dump", "false");
		assertThat(settings.timeInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.recoveryPolicy()).isEqualTo(RecoveryPolicy.QUIT);
		assertThat(settings.warnSignal()).isEqualTo(PosixSignal.INT);
		assertThat(settings.killDelay()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.healthCheckMode()).isEqualTo(HealthCheckMode.APPLICATION);
		assertThat(settings.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.pauseGrace()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(settings.restartDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.restartMaxDelay()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.restartMultiplier()).isEqualTo(1.5);
		assertThat(settings.maxRestarts()).isEqualTo(5);
		assertThat(settings.restartWindow()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.dataStoreMaxSize()).isEqualTo(64 * 1024);
		assertThat(settings.quorum()).isTrue();
		assertThat(settings.cmap()).isTrue();
		assertThat(settings.threadDump()).isFalse();
	}

	@Test
	void derivedDefaultsFollowTheInterval() {
		SamSettings settings = settings("sam.time-interval", "6s");
		assertThat(settings.killDelay()).isEqualTo(Duration.ofSeconds(6));
		assertThat(settings.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void warnSignalAsNumber() {
		assertThat(settings("sam.warn-signal", "15").warnSignal()).isEqualTo(PosixSignal.TERM);
	}

	@Test
	void killDelayZeroWithKillIsFine() {
		assertThat(settings("sam.warn-signal", "KILL", "sam.kill-delay", "0").killDelay()).isZero();
	}

	@Test
	void negativeIntervalIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings("sam.time-interval", "-1s"))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("sam.time-interval");
				assertThat(ex.value()).isEqualTo("-1s");
				assertThat(ex.fix()).contains("zero or a positive duration");
			});
	}

	@Test
	void unknownPolicyIsRefusedBySpringsConversion() {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> settings("sam.recovery-policy", "reboot"))
			.satisfies((ex) -> {
				assertThat(ex.getName()).hasToString("sam.recovery-policy");
				assertThat(ex.getProperty().getValue()).isEqualTo("reboot");
			});
	}

	@Test
	void namesAreBoundInAnyCase() {
		assertThat(settings("sam.recovery-policy", "Quit", "sam.health-check.mode", "APPLICATION").recoveryPolicy())
			.isEqualTo(RecoveryPolicy.QUIT);
		assertThat(settings("sam.health-check.mode", "Application").healthCheckMode())
			.isEqualTo(HealthCheckMode.APPLICATION);
	}

	@Test
	void anEmptyNameKeepsTheDefault() {
		assertThat(settings("sam.recovery-policy", "", "sam.health-check.mode", "").recoveryPolicy())
			.isEqualTo(RecoveryPolicy.RESTART);
		assertThat(settings("sam.health-check.mode", "").healthCheckMode()).isEqualTo(HealthCheckMode.EVENT);
	}

	@Test
	void stopAsWarnSignalIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings("sam.warn-signal", "STOP"))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("sam.warn-signal");
				assertThat(ex.value()).isEqualTo("STOP");
				assertThat(ex.fix()).contains("stops the process").contains("use TERM");
			});
	}

	@Test
	void usr2AsWarnSignalIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings("sam.warn-signal", "SIGUSR2"))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("sam.warn-signal");
				assertThat(ex.value()).isEqualTo("SIGUSR2");
				assertThat(ex.fix()).contains("HotSpot").contains("use TERM");
			});
	}

	@Test
	void unknownSignalIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings("sam.warn-signal", "BOOM"))
			.satisfies((ex) -> assertThat(ex.fix()).contains("BOOM").contains("use TERM"));
	}

	@Test
	void zeroKillDelayWithTermIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings("sam.warn-signal", "TERM", "sam.kill-delay", "0"))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("sam.kill-delay");
				assertThat(ex.value()).isEqualTo("0");
				assertThat(ex.fix()).contains("KILL");
			});
	}

	@Test
	void unknownModeIsRefusedBySpringsConversion() {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> settings("sam.health-check.mode", "polling"))
			.satisfies((ex) -> assertThat(ex.getName()).hasToString("sam.health-check.mode"));
	}

	@Test
	void negativeDataStoreSizeIsShownAsWritten() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings("sam.data-store.max-size", "-1KB"))
			.satisfies((ex) -> assertThat(ex.value()).isEqualTo("-1KB"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings("sam.data-store.max-size", "-1500B"))
			.satisfies((ex) -> assertThat(ex.value()).isEqualTo("-1500B"));
	}

	@Test
	void durationsAreShownAsWritten() {
		assertThat(SamProperties.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(SamProperties.format(Duration.ofMinutes(-2))).isEqualTo("-2m");
		assertThat(SamProperties.format(Duration.ZERO)).isEqualTo("0");
	}

}
