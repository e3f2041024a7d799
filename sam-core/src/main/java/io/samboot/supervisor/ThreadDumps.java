package io.samboot.supervisor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.samboot.SamSettings;
import io.samboot.protocol.Message;

/**
 * Where the thread dump before a missed check's warning signal goes: a file of its own in
 * {@code sam.diagnostics.thread-dump-dir}, or next to the application's log file, which
 * the instance writes when the supervisor asks ({@link Message.ThreadDumpRequest});
 * without either, or from an instance that never registered, SIGQUIT's dump into the
 * application's output as before.
 */
final class ThreadDumps {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final ControlChannel channel;

	private final Clock clock;

	ThreadDumps(ControlChannel channel, Clock clock) {
		this.channel = channel;
		this.clock = clock;
	}

	/**
	 * Asks the instance for a dump into a file, if one applies.
	 * @return the file, or {@code null} when the dump is to go by SIGQUIT
	 */
	Path request(SupervisedInstance instance, SamSettings settings) {
		Path directory = directory(settings);
		if (directory == null || !instance.registered) {
			return null;
		}
		Path file = directory
			.resolve("sam-thread-dump-instance-" + instance.id + "-pid-" + instance.pid + "-"
					+ STAMP.format(this.clock.instant()) + ".txt")
			.toAbsolutePath();
		this.channel.send(instance.id, new Message.ThreadDumpRequest(file.toString()));
		return file;
	}

	/** The directory the settings give dumps, or {@code null} for SIGQUIT. */
	static Path directory(SamSettings settings) {
		if (settings.threadDumpDirectory() != null) {
			return Path.of(settings.threadDumpDirectory());
		}
		Path logFile = SupervisorLogFile.of(settings.logging());
		if (logFile == null) {
			return null;
		}
		Path parent = logFile.toAbsolutePath().getParent();
		return (parent != null) ? parent : Path.of(".");
	}

}
