package io.samboot;

import java.util.Locale;
import java.util.Optional;

/**
 * The POSIX signals SAM deals with, with their numbers on Linux and macOS.
 *
 * <p>
 * Only {@link #isWarningSignal() some} of them may be used as SAM's warning signal: the
 * others would stop the JVM ({@code STOP}, {@code TSTP}), crash it ({@code USR2} is used
 * by HotSpot itself, {@code SEGV}, ...) or do nothing a warning needs ({@code QUIT}
 * prints a thread dump and goes on).
 */
public enum PosixSignal {

	HUP(1, 1, true), INT(2, 2, true), QUIT(3, 3, false), ILL(4, 4, false), ABRT(6, 6, false), FPE(8, 8, false),
	KILL(9, 9, true), USR1(10, 30, true), SEGV(11, 11, false), USR2(12, 31, false), PIPE(13, 13, false),
	ALRM(14, 14, false), TERM(15, 15, true), CHLD(17, 20, false), CONT(18, 19, false), STOP(19, 17, false),
	TSTP(20, 18, false), TTIN(21, 21, false), TTOU(22, 22, false), BUS(7, 10, false);

	private static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");

	private final int linuxNumber;

	private final int macNumber;

	private final boolean warningSignal;

	PosixSignal(int linuxNumber, int macNumber, boolean warningSignal) {
		this.linuxNumber = linuxNumber;
		this.macNumber = macNumber;
		this.warningSignal = warningSignal;
	}

	/** The signal's number on the operating system this JVM runs on. */
	public int number() {
		return MAC ? this.macNumber : this.linuxNumber;
	}

	/** The conventional name with the {@code SIG} prefix, e.g. {@code SIGTERM}. */
	public String signalName() {
		return "SIG" + name();
	}

	/**
	 * Whether SAM accepts this signal as the warning signal sent before SIGKILL: TERM,
	 * INT, HUP, USR1, or KILL (which means "no warning").
	 */
	public boolean isWarningSignal() {
		return this.warningSignal;
	}

	/** The signal with the given number on this operating system. */
	public static Optional<PosixSignal> ofNumber(int number) {
		for (PosixSignal signal : values()) {
			if (signal.number() == number) {
				return Optional.of(signal);
			}
		}
		return Optional.empty();
	}

	/**
	 * Parses a signal given as a name with or without {@code SIG} ({@code TERM},
	 * {@code sigterm}) or as a number ({@code 15}).
	 * @throws IllegalArgumentException if the text names no signal known to SAM
	 */
	public static PosixSignal parse(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("no signal given");
		}
		String trimmed = text.trim();
		if (trimmed.chars().allMatch(Character::isDigit)) {
			int number;
			try {
				number = Integer.parseInt(trimmed);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + text + "' is not a signal number");
			}
			return ofNumber(number)
				.orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a signal number SAM knows"));
		}
		String name = trimmed.toUpperCase(Locale.ROOT);
		if (name.startsWith("SIG")) {
			name = name.substring(3);
		}
		try {
			return valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a signal name SAM knows");
		}
	}

	/**
	 * Parses a warning signal, refusing those that would stop or crash a JVM.
	 * @throws IllegalArgumentException with a message that says why and what to use
	 * instead
	 */
	public static PosixSignal parseWarningSignal(String text) {
		PosixSignal signal = parse(text);
		if (!signal.isWarningSignal()) {
			throw new IllegalArgumentException(signal.signalName() + " cannot be the warning signal: "
					+ signal.whyNotAWarning() + "; use TERM, INT, HUP, USR1, or KILL for no warning");
		}
		return signal;
	}

	private String whyNotAWarning() {
		return switch (this) {
			case USR2 -> "HotSpot uses SIGUSR2 itself and an external one crashes the JVM";
			case STOP, TSTP, TTIN, TTOU -> "it stops the process instead of warning it";
			case QUIT -> "the JVM only prints a thread dump and goes on";
			case CONT, CHLD, PIPE -> "the JVM ignores it";
			default -> "it makes the JVM crash instead of shutting down";
		};
	}

}
