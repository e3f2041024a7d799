package io.samboot.supervisor;

import java.util.Locale;
import java.util.Map;

import io.samboot.log.SamLog;

/**
 * Which of the supervisor's lines are written, by {@code logging.level.*} as Spring Boot
 * reads it: the most specific of the logger's own name, each package above it, and
 * {@code root}; INFO when none is set. {@code OFF} writes nothing, {@code TRACE} is
 * DEBUG's, {@code FATAL} is ERROR's.
 */
final class SupervisorLogLevels {

	private static final String PREFIX = "logging.level.";

	private final Map<String, String> logging;

	SupervisorLogLevels(Map<String, String> logging) {
		this.logging = logging;
	}

	boolean isEnabled(SamLog.Level level, String logger) {
		int threshold = threshold(logger);
		return rank(level) >= threshold;
	}

	private int threshold(String logger) {
		String name = (logger != null) ? logger : "";
		while (!name.isEmpty()) {
			String level = this.logging.get(PREFIX + name);
			if (level != null) {
				return rank(level);
			}
			int dot = name.lastIndexOf('.');
			name = (dot > 0) ? name.substring(0, dot) : "";
		}
		String root = this.logging.get(PREFIX + "root");
		return (root != null) ? rank(root) : rank(SamLog.Level.INFO);
	}

	private static int rank(SamLog.Level level) {
		return level.ordinal() + 1;
	}

	/** A level's rank; one SAM does not know is taken as INFO. */
	private static int rank(String level) {
		return switch (level.strip().toUpperCase(Locale.ROOT)) {
			case "TRACE", "DEBUG" -> rank(SamLog.Level.DEBUG);
			case "WARN" -> rank(SamLog.Level.WARN);
			case "ERROR", "FATAL" -> rank(SamLog.Level.ERROR);
			case "OFF" -> Integer.MAX_VALUE;
			default -> rank(SamLog.Level.INFO);
		};
	}

}
