package io.samboot.log;

import java.util.Objects;

/**
 * The one logging path of sam-core: the supervisor, the instance side, native access and
 * the cluster plug-in all log through it.
 *
 * <p>
 * Where the lines go is one {@link Sink} for the whole JVM. Until something installs
 * another, it is the JDK's {@link System.Logger}, which Spring Boot's logging receives.
 * The supervisor installs its console (lines marked {@code [sam-supervisor]} on the
 * application's standard output) as soon as the JVM becomes the supervisor, since it runs
 * before, and instead of, the application's logging; Spring Boot's side installs a bridge
 * to its own logging in the instance. A test gives a class a log of its own with
 * {@link #to(Sink)}.
 */
public final class SamLog {

	/** How much a line matters. */
	public enum Level {

		DEBUG, INFO, WARN, ERROR

	}

	/** Where the lines of every {@link SamLog} of this JVM go. */
	@FunctionalInterface
	public interface Sink {

		/**
		 * @param logger the name of the logger (a class name)
		 * @param error the failure that goes with the line, or {@code null}
		 */
		void log(Level level, String logger, String message, Throwable error);

		/**
		 * Whether a line at this level would be written (so its message need not be
		 * built).
		 */
		default boolean isEnabled(Level level, String logger) {
			return true;
		}

	}

	private static volatile Sink current = new SystemLoggerSink();

	private final String name;

	/** {@code null}: the JVM's current sink, looked up for every line. */
	private final Sink sink;

	private SamLog(String name, Sink sink) {
		this.name = name;
		this.sink = sink;
	}

	/** The log of a class, writing to whatever sink the JVM has when it writes. */
	public static SamLog get(Class<?> source) {
		return new SamLog(source.getName(), null);
	}

	/**
	 * A log that writes to the given sink only (for tests, and for a component given its
	 * own output).
	 */
	public static SamLog to(Sink sink) {
		return new SamLog("", Objects.requireNonNull(sink, "sink"));
	}

	/**
	 * Sends every {@link SamLog} of this JVM that has no sink of its own to {@code sink}
	 * from now on.
	 */
	public static void useSink(Sink sink) {
		current = Objects.requireNonNull(sink, "sink");
	}

	/** The sink every {@link SamLog} without one of its own writes to now. */
	public static Sink sink() {
		return current;
	}

	public boolean isDebugEnabled() {
		return target().isEnabled(Level.DEBUG, this.name);
	}

	public void debug(String message) {
		log(Level.DEBUG, message, null);
	}

	public void info(String message) {
		log(Level.INFO, message, null);
	}

	public void warn(String message) {
		log(Level.WARN, message, null);
	}

	public void warn(String message, Throwable error) {
		log(Level.WARN, message, error);
	}

	public void error(String message) {
		log(Level.ERROR, message, null);
	}

	public void error(String message, Throwable error) {
		log(Level.ERROR, message, error);
	}

	private void log(Level level, String message, Throwable error) {
		Sink target = target();
		if (target.isEnabled(level, this.name)) {
			target.log(level, this.name, message, error);
		}
	}

	private Sink target() {
		return (this.sink != null) ? this.sink : current;
	}

	/**
	 * The JDK's logging, which an application's logging system (Spring Boot's among them)
	 * receives.
	 */
	private static final class SystemLoggerSink implements Sink {

		@Override
		public void log(Level level, String logger, String message, Throwable error) {
			System.getLogger(logger).log(systemLevel(level), message, error);
		}

		@Override
		public boolean isEnabled(Level level, String logger) {
			return System.getLogger(logger).isLoggable(systemLevel(level));
		}

		private static System.Logger.Level systemLevel(Level level) {
			return switch (level) {
				case DEBUG -> System.Logger.Level.DEBUG;
				case INFO -> System.Logger.Level.INFO;
				case WARN -> System.Logger.Level.WARNING;
				case ERROR -> System.Logger.Level.ERROR;
			};
		}

	}

}
