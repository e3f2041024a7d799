package io.samboot.bench;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** The suite's progress on standard output: time-stamped lines and section headings. */
final class Console {

	/**
	 * {@code HH:mm:ss} always: {@code LocalTime.toString()} leaves out seconds that are
	 * zero.
	 */
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private Console() {
	}

	/** {@code == title}, a section's first line. */
	static void heading(String title) {
		say("== " + title);
	}

	/** One line, prefixed with the local time to the second, flushed at once. */
	static void say(String line) {
		System.out.println("[" + TIME.format(OffsetDateTime.now()) + "] " + line);
		System.out.flush();
	}

}
