package io.samboot.corosync;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.testsupport.CorosyncNode;

/**
 * One process entry as {@code corosync-cmapctl <prefix>} prints it, e.g.
 * {@code resources.process.42.poll_period (u64) = 1000}: key suffix to type and value.
 */
final class CmapKeys {

	private static final Pattern LINE = Pattern.compile("^(\\S+) \\((\\w+)\\) = (.*)$");

	private CmapKeys() {
	}

	/** A value with corosync-cmapctl's type name ({@code str}, {@code u64}, ...). */
	record Typed(String type, String value) {

		long asLong() {
			return Long.parseUnsignedLong(this.value);
		}

		@Override
		public String toString() {
			return "(" + this.type + ") " + this.value;
		}
	}

	/**
	 * The entry under {@code resources.process.<pid>.}, by key suffix, read with
	 * corosync-cmapctl.
	 */
	static Map<String, Typed> read(long pid) {
		String prefix = CmapPublisher.prefix(pid);
		CorosyncNode.CommandResult result = CorosyncNode.run(Duration.ofSeconds(5), "corosync-cmapctl", prefix);
		if (result.exitCode() == 1 && result.output().isBlank()) {
			// corosync-cmapctl's answer when no key has the prefix.
			return new TreeMap<>();
		}
		if (result.exitCode() != 0) {
			throw new IllegalStateException(result.toString());
		}
		Map<String, Typed> entry = new TreeMap<>();
		for (String line : result.lines()) {
			Matcher matcher = LINE.matcher(line);
			if (matcher.matches() && matcher.group(1).startsWith(prefix)) {
				entry.put(matcher.group(1).substring(prefix.length()), new Typed(matcher.group(2), matcher.group(3)));
			}
		}
		return entry;
	}

	/** Deletes every key under the entry's prefix (what a failed entry leaves behind). */
	static void delete(long pid) {
		CorosyncNode.run(Duration.ofSeconds(5), "corosync-cmapctl", "-D", CmapPublisher.prefix(pid));
	}

}
