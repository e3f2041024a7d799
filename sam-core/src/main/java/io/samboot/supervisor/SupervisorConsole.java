package io.samboot.supervisor;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import io.samboot.log.SamLog;

/**
 * Where the supervisor's log lines go: the same standard output as the application, each
 * line marked {@code [sam-supervisor]}, in a layout close to Spring Boot's console so
 * both read as one log.
 *
 * <p>
 * The supervisor deliberately does not use the application's logging system: it runs
 * before (and instead of) the application's context, and must keep logging whatever the
 * application's logging configuration does. Debug lines are not written.
 */
public final class SupervisorConsole implements SamLog.Sink {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

	private final PrintStream out;

	private final long pid;

	SupervisorConsole(PrintStream out, long pid) {
		this.out = out;
		this.pid = pid;
	}

	/**
	 * Makes every {@link SamLog} of this JVM write to the supervisor's console: this JVM
	 * is now the supervisor.
	 */
	public static void install() {
		SamLog.useSink(new SupervisorConsole(System.out, ProcessHandle.current().pid()));
	}

	@Override
	public boolean isEnabled(SamLog.Level level, String logger) {
		return level != SamLog.Level.DEBUG;
	}

	@Override
	public void log(SamLog.Level level, String logger, String message, Throwable error) {
		String name = level.name();
		String line = OffsetDateTime.now().format(TIME) + " " + (name.length() == 4 ? " " + name : name) + " "
				+ this.pid + " --- [sam-supervisor] " + message;
		synchronized (this.out) {
			this.out.println(line);
			if (error != null) {
				error.printStackTrace(this.out);
			}
			this.out.flush();
		}
	}

}
