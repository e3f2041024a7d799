package io.samboot.bench;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** The suite's progress on standard output: time-stamped lines and section headings. */
final class Console {

	private Console() {
	}

	/** {@code == title}, a section's first line. */
	static void heading(String title) {
		say("== " + title);
	}

	/** One line, prefixed with the local time to the second, flushed at once. */
	static void say(String line) {
		System.out.println("[" + OffsetDateTime.now().toLocalTime().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
		System.out.flush();
	}

}
