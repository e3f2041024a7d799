package io.samboot.supervisor;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;

/**
 * Where the supervisor's log lines go: the same standard output as the application, and
 * the application's log file when it has one, following the application's logging
 * configuration as the instance sends it ({@link SamSettings#logging()}): the levels of
 * {@code root} and SAM's packages, a structured console or file format
 * ({@link SupervisorLogFormat}), {@code logging.file.*}. Until an instance registers (and
 * outside Spring Boot) the lines are Spring Boot's console layout, marked
 * {@code [sam-supervisor]}, at INFO.
 *
 * <p>
 * A supervisor started before Spring Boot could read the configuration (the early
 * launcher, or the listener before the environment is prepared) holds its first lines
 * until the first instance registers, at most {@link #HOLD} (an error line, the
 * supervisor's exit or its re-execution end the wait at once), so that they are written
 * in the format of all the others.
 *
 * <p>
 * The supervisor deliberately does not use the application's logging system: it runs
 * before (and instead of) the application's context, and must keep logging whatever the
 * application's logging does.
 */
public final class SupervisorConsole implements SamLog.Sink, SupervisorListener {

	/** The longest the first lines wait for the logging configuration. */
	static final Duration HOLD = Duration.ofSeconds(30);

	private final PrintStream out;

	private final long pid;

	private volatile Config config;

	/** Lines written before the configuration is known; {@code null} once it is. */
	private List<SupervisorLogFormat.Line> held;

	/**
	 * The thread that ends the hold after {@link #HOLD}; interrupted when the hold ends
	 * sooner, so that it does not sit out the rest of its sleep.
	 */
	private volatile Thread holdTimer;

	SupervisorConsole(PrintStream out, long pid) {
		this.out = out;
		this.pid = pid;
		this.config = new Config(Map.of(), SupervisorLogFormat.PLAIN, null, null, new SupervisorLogLevels(Map.of()));
	}

	/**
	 * Makes every {@link SamLog} of this JVM write to the supervisor's console: this JVM
	 * is now the supervisor.
	 * @param settings the settings known so far, whose logging configuration it follows
	 * @return the console, to be told of the settings each instance registers with
	 */
	public static SupervisorConsole install(SamSettings settings) {
		return install(settings, false);
	}

	/**
	 * As {@link #install(SamSettings)}, holding the first lines until the logging
	 * configuration is known when {@code awaitLogging} and the settings have none: the
	 * supervisor was started before Spring Boot could read it (the early launcher), and
	 * the instance will send it.
	 */
	public static SupervisorConsole install(SamSettings settings, boolean awaitLogging) {
		SupervisorConsole console = new SupervisorConsole(System.out, ProcessHandle.current().pid());
		if (awaitLogging && settings.logging().isEmpty()) {
			console.holdUntilConfigured();
		}
		else {
			console.configure(settings.logging());
		}
		SamLog.useSink(console);
		return console;
	}

	/**
	 * Holds the lines until {@link #configure} or {@link #release}, at most
	 * {@link #HOLD}.
	 */
	void holdUntilConfigured() {
		synchronized (this) {
			this.held = new ArrayList<>();
		}
		Thread timer = new Thread(() -> {
			try {
				Thread.sleep(HOLD.toMillis());
			}
			catch (InterruptedException ex) {
				// Released below all the same.
			}
			release();
		}, "sam-log-hold");
		timer.setDaemon(true);
		this.holdTimer = timer;
		timer.start();
		Runtime.getRuntime().addShutdownHook(new Thread(this::release, "sam-log-release"));
	}

	/**
	 * The lines held so far, for the lean JVM to go on holding after the re-execution;
	 * they stay held here in case it fails.
	 */
	synchronized boolean isHolding() {
		return this.held != null;
	}

	synchronized List<SupervisorLogFormat.Line> heldLines() {
		return (this.held != null) ? List.copyOf(this.held) : List.of();
	}

	/**
	 * Holds lines the JVM before the re-execution held, ahead of any held since; writes
	 * them at once if nothing is held any more.
	 */
	void holdFirst(List<SupervisorLogFormat.Line> lines) {
		synchronized (this) {
			if (this.held != null) {
				this.held.addAll(0, lines);
				return;
			}
		}
		lines.forEach((line) -> write(this.config, line));
	}

	/** Writes the held lines in the format known now, and holds no more. */
	public void release() {
		List<SupervisorLogFormat.Line> lines;
		synchronized (this) {
			lines = this.held;
			this.held = null;
		}
		Thread timer = this.holdTimer;
		if (timer != null && timer != Thread.currentThread()) {
			this.holdTimer = null;
			timer.interrupt();
		}
		if (lines != null) {
			lines.forEach((line) -> write(this.config, line));
		}
	}

	/** Follows the logging configuration an instance registered with. */
	@Override
	public void instanceRegistered(int instanceId, SamSettings settings) {
		configure(settings.logging());
	}

	/** From now on, follows this logging configuration. */
	void configure(Map<String, String> logging) {
		Config previous = this.config;
		if (previous.logging().equals(logging)) {
			release();
			return;
		}
		String consoleName = logging.get("logging.structured.format.console");
		SupervisorLogFormat console = SupervisorLogFormat.of(consoleName);
		String fileName = logging.get("logging.structured.format.file");
		SupervisorLogFormat fileFormat = SupervisorLogFormat.of(fileName);
		Path path = SupervisorLogFile.of(logging);
		SupervisorLogFile file = (path == null) ? null
				: (previous.file() != null && previous.file().path().equals(path)) ? previous.file()
						: new SupervisorLogFile(path);
		if (previous.file() != null && previous.file() != file) {
			previous.file().close();
		}
		this.config = new Config(logging, (console != null) ? console : SupervisorLogFormat.PLAIN,
				(fileFormat != null) ? fileFormat : SupervisorLogFormat.PLAIN, file, new SupervisorLogLevels(logging));
		release();
		if (console == null || fileFormat == null) {
			log(SamLog.Level.WARN, SupervisorConsole.class.getName(),
					"the supervisor writes structured lines only as ecs, logstash or gelf, not as "
							+ ((console == null) ? consoleName : fileName) + ": its lines are in Spring Boot's"
							+ " console layout instead",
					null);
		}
	}

	@Override
	public boolean isEnabled(SamLog.Level level, String logger) {
		return this.config.levels().isEnabled(level, logger);
	}

	@Override
	public void log(SamLog.Level level, String logger, String message, Throwable error) {
		SupervisorLogFormat.Line line = new SupervisorLogFormat.Line(Instant.now(), level, logger, message, error,
				this.pid, Map.of());
		synchronized (this) {
			if (this.held != null && level != SamLog.Level.ERROR && this.held.size() < 1000) {
				this.held.add(line);
				return;
			}
		}
		release();
		write(this.config, line);
	}

	/**
	 * A sink that makes every line as {@link #write} does, in the format in force, and
	 * writes none: for code run ahead of its first real use ({@link EndRehearsal}).
	 */
	SamLog.Sink dryRun() {
		return new SamLog.Sink() {

			@Override
			public boolean isEnabled(SamLog.Level level, String logger) {
				return SupervisorConsole.this.isEnabled(level, logger);
			}

			@Override
			public void log(SamLog.Level level, String logger, String message, Throwable error) {
				Config current = SupervisorConsole.this.config;
				SupervisorLogFormat.Line line = inForce(current, new SupervisorLogFormat.Line(Instant.now(), level,
						logger, message, error, SupervisorConsole.this.pid, Map.of()));
				if (line != null) {
					asciiBytes(consoleText(current, line));
					if (current.file() != null) {
						current.fileFormat().line(line);
					}
				}
			}

		};
	}

	private void write(Config current, SupervisorLogFormat.Line written) {
		SupervisorLogFormat.Line line = inForce(current, written);
		if (line == null) {
			return;
		}
		String text = consoleText(current, line);
		byte[] bytes = asciiBytes(text);
		synchronized (this.out) {
			// One write: println writes the line and its end apart, and another process's
			// output (the instance's, on the same descriptor) could land between them.
			if (bytes != null) {
				this.out.write(bytes, 0, bytes.length);
			}
			else {
				this.out.print(text);
			}
			this.out.flush();
		}
		if (current.file() != null) {
			current.file().append(current.fileFormat().line(line));
		}
	}

	/**
	 * The line with the logging configuration in force, or {@code null} when its level is
	 * not enabled for its logger.
	 */
	private static SupervisorLogFormat.Line inForce(Config current, SupervisorLogFormat.Line written) {
		if (!current.levels().isEnabled(written.level(), written.logger())) {
			return null;
		}
		return new SupervisorLogFormat.Line(written.time(), written.level(), written.logger(), written.message(),
				written.error(), written.pid(), current.logging());
	}

	private static String consoleText(Config current, SupervisorLogFormat.Line line) {
		return current.console().line(line) + System.lineSeparator();
	}

	/**
	 * The text's bytes when it is all ASCII, {@code null} otherwise. Its bytes are the
	 * same in every charset a console uses, so they go out as they are, without the
	 * stream's character encoder: the supervisor writes too few lines for the JIT to
	 * compile that, and interpreted it took 130-180 us a line against 10-35 us for the
	 * bytes (a crash's line is part of how fast a crash is reported).
	 */
	private static byte[] asciiBytes(String text) {
		return isAscii(text) ? text.getBytes(StandardCharsets.US_ASCII) : null;
	}

	private static boolean isAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

	/** Where lines go now, and how. */
	private record Config(Map<String, String> logging, SupervisorLogFormat console, SupervisorLogFormat fileFormat,
			SupervisorLogFile file, SupervisorLogLevels levels) {
	}

}
