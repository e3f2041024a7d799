package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.samboot.log.SamLog;

/**
 * A {@link SamLog} whose lines a test reads back, each without its time, level and PID.
 */
final class CapturedLog {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	final SamLog log = SamLog.to(new SupervisorConsole(new PrintStream(this.bytes, true, StandardCharsets.UTF_8), 1));

	/** The messages logged so far, each as "LEVEL message". */
	List<String> lines() {
		List<String> lines = new ArrayList<>();
		for (String line : this.bytes.toString(StandardCharsets.UTF_8).split("\n")) {
			if (!line.isEmpty()) {
				String level = line.substring(line.indexOf(' ') + 1).trim().split(" ")[0];
				lines.add(
						level + " " + line.substring(line.indexOf("[sam-supervisor] ") + "[sam-supervisor] ".length()));
			}
		}
		return lines;
	}

}
