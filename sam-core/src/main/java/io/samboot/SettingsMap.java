package io.samboot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.samboot.SamSettings.InvalidSettingException;

/**
 * {@link SamSettings} as the map of strings the instance sends the supervisor when it
 * registers (and the supervisor hands over when it re-executes itself): one key per
 * setting, named as in {@code application.yml} without {@code sam.}, the value as
 * {@link Duration#toString()}, {@code Boolean}, number or enum id writes it.
 */
final class SettingsMap {

	private SettingsMap() {
	}

	static Map<String, String> write(SamSettings settings) {
		Map<String, String> map = new LinkedHashMap<>();
		map.put("enabled", Boolean.toString(settings.enabled()));
		map.put("time-interval", settings.timeInterval().toString());
		map.put("recovery-policy", settings.recoveryPolicy().id());
		map.put("warn-signal", settings.warnSignal().name());
		map.put("kill-delay", settings.killDelay().toString());
		map.put("health-check.mode", settings.healthCheckMode().id());
		map.put("health-check.timeout", settings.healthCheckTimeout().toString());
		map.put("startup-timeout", settings.startupTimeout().toString());
		map.put("shutdown-timeout", settings.shutdownTimeout().toString());
		map.put("restart.delay", settings.restartDelay().toString());
		map.put("restart.max-delay", settings.restartMaxDelay().toString());
		map.put("restart.immediate-restarts", Integer.toString(settings.immediateRestarts()));
		map.put("restart.multiplier", Double.toString(settings.restartMultiplier()));
		map.put("restart.max-restarts", Integer.toString(settings.maxRestarts()));
		map.put("restart.window", settings.restartWindow().toString());
		map.put("data-store.max-size", Long.toString(settings.dataStoreMaxSize()));
		map.put("quorum.enabled", Boolean.toString(settings.quorum()));
		map.put("cmap.enabled", Boolean.toString(settings.cmap()));
		map.put("diagnostics.thread-dump", Boolean.toString(settings.threadDump()));
		if (settings.threadDumpDirectory() != null) {
			map.put("diagnostics.thread-dump-dir", settings.threadDumpDirectory());
		}
		map.put("standby.enabled", Boolean.toString(settings.standby()));
		map.put("health-check.pause-grace", settings.pauseGrace().toString());
		map.put("health-check.http.enabled", Boolean.toString(settings.httpCheck()));
		if (settings.httpCheckUrl() != null) {
			map.put("health-check.http.url", settings.httpCheckUrl());
		}
		new TreeMap<>(settings.logging()).forEach(map::put);
		return map;
	}

	/**
	 * Settings from {@link #write(SamSettings)}; keys this version does not know are
	 * ignored, missing ones take their defaults.
	 * @throws InvalidSettingException for a value that does not parse or is out of range
	 */
	static SamSettings read(Map<String, String> map) {
		SamSettings.Builder builder = SamSettings.builder();
		builder.logging(map);
		map.forEach((key, value) -> {
			try {
				apply(builder, key, value);
			}
			catch (InvalidSettingException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new InvalidSettingException(key, value, "it does not parse (" + ex.getMessage() + ")");
			}
		});
		return builder.build();
	}

	private static void apply(SamSettings.Builder builder, String key, String value) {
		switch (key) {
			case "enabled" -> builder.enabled(Boolean.parseBoolean(value));
			case "time-interval" -> builder.timeInterval(Duration.parse(value));
			case "recovery-policy" -> builder.recoveryPolicy(RecoveryPolicy.parse(value));
			case "warn-signal" -> builder.warnSignal(PosixSignal.parseWarningSignal(value));
			case "kill-delay" -> builder.killDelay(Duration.parse(value));
			case "health-check.mode" -> builder.healthCheckMode(HealthCheckMode.parse(value));
			case "health-check.timeout" -> builder.healthCheckTimeout(Duration.parse(value));
			case "startup-timeout" -> builder.startupTimeout(Duration.parse(value));
			case "shutdown-timeout" -> builder.shutdownTimeout(Duration.parse(value));
			case "restart.delay" -> builder.restartDelay(Duration.parse(value));
			case "restart.max-delay" -> builder.restartMaxDelay(Duration.parse(value));
			case "restart.immediate-restarts" -> builder.immediateRestarts(Integer.parseInt(value));
			case "restart.multiplier" -> builder.restartMultiplier(Double.parseDouble(value));
			case "restart.max-restarts" -> builder.maxRestarts(Integer.parseInt(value));
			case "restart.window" -> builder.restartWindow(Duration.parse(value));
			case "data-store.max-size" -> builder.dataStoreMaxSize(Long.parseLong(value));
			case "quorum.enabled" -> builder.quorum(Boolean.parseBoolean(value));
			case "cmap.enabled" -> builder.cmap(Boolean.parseBoolean(value));
			case "diagnostics.thread-dump" -> builder.threadDump(Boolean.parseBoolean(value));
			case "diagnostics.thread-dump-dir" -> builder.threadDumpDirectory(value);
			case "standby.enabled" -> builder.standby(Boolean.parseBoolean(value));
			case "health-check.pause-grace" -> builder.pauseGrace(Duration.parse(value));
			case "health-check.http.enabled" -> builder.httpCheck(Boolean.parseBoolean(value));
			case "health-check.http.url" -> builder.httpCheckUrl(value);
			default -> {
				// A newer instance may know more settings than this supervisor: ignore
				// them.
			}
		}
	}

}
