package io.samboot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@code /proc} says about a process: resident memory, CPU time, state and pending
 * signals.
 */
final class ProcFs {

	/**
	 * Clock ticks per second for {@code utime}/{@code stime} ({@code getconf CLK_TCK};
	 * 100 on Linux).
	 */
	static final int CLOCK_TICKS = 100;

	private ProcFs() {
	}

	/** {@code VmRSS} in kB, or -1 when the process is gone. */
	static long rssKb(long pid) {
		String status = read(pid, "status");
		return (status != null) ? field(status, "VmRSS:") : -1;
	}

	/**
	 * Resident memory in kB from {@code /proc/<pid>/smaps_rollup}: all of it (RSS), its
	 * share of pages mapped by other processes too, divided among them (PSS), and the
	 * pages no other process maps (USS, private clean + private dirty); all -1 when the
	 * process is gone.
	 */
	static Memory memory(long pid) {
		String rollup = read(pid, "smaps_rollup");
		if (rollup == null) {
			return new Memory(-1, -1, -1);
		}
		return new Memory(field(rollup, "\nRss:"), field(rollup, "\nPss:"),
				field(rollup, "\nPrivate_Clean:") + field(rollup, "\nPrivate_Dirty:"));
	}

	/** Resident memory in kB: RSS, PSS and USS. */
	record Memory(long rssKb, long pssKb, long ussKb) {
	}

	/** {@code utime + stime} in clock ticks, or -1 when the process is gone. */
	static long cpuTicks(long pid) {
		String stat = read(pid, "stat");
		if (stat == null) {
			return -1;
		}
		// The command name (field 2) may contain spaces: count fields after its closing
		// parenthesis.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/** Number of threads, or -1 when the process is gone. */
	static long threads(long pid) {
		String status = read(pid, "status");
		return (status != null) ? field(status, "Threads:") : -1;
	}

	/**
	 * CPU ticks (utime + stime) per thread name ({@code comm}, as the JVM names its
	 * threads), summed over threads of one name.
	 */
	static Map<String, Long> threadTicks(long pid) {
		return perThread(pid, (task) -> {
			String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		});
	}

	/**
	 * Time on a CPU in nanoseconds per thread name, summed over threads of one name, from
	 * each thread's {@code schedstat}: exact, where utime and stime are sampled at each
	 * 10 ms tick, so a process that runs 60 us at a time is charged a whole tick or
	 * nothing. Empty when the process is gone or the kernel keeps no such figures;
	 * threads that ended before the reading are not in it.
	 */
	static Map<String, Long> threadNanos(long pid) {
		return perThread(pid, (task) -> {
			String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII);
			return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
		});
	}

	/**
	 * Time on a CPU in nanoseconds per thread name: {@link #threadNanos}, or, where the
	 * kernel keeps no {@code schedstat}, {@link #threadTicks} in nanoseconds.
	 */
	static Map<String, Long> threadCpuNanos(long pid) {
		Map<String, Long> nanos = threadNanos(pid);
		if (nanos.isEmpty()) {
			threadTicks(pid).forEach((name, ticks) -> nanos.put(name, ticks * (1_000_000_000L / CLOCK_TICKS)));
		}
		return nanos;
	}

	/**
	 * Time on a CPU in nanoseconds, summed over the process's threads
	 * ({@link #threadCpuNanos}), or -1 when the process is gone.
	 */
	static long cpuNanos(long pid) {
		Map<String, Long> threads = threadCpuNanos(pid);
		return threads.isEmpty() ? -1 : threads.values().stream().mapToLong(Long::longValue).sum();
	}

	private static Map<String, Long> perThread(long pid, TaskFigure figure) {
		Map<String, Long> byName = new TreeMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks) {
				try {
					String name = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII).strip();
					byName.merge(name, figure.of(task), Long::sum);
				}
				catch (NoSuchFileException ex) {
					if (Files.isDirectory(task)) {
						// The kernel keeps no such figure (schedstat needs
						// CONFIG_SCHED_INFO).
						return new TreeMap<>();
					}
					// The thread ended meanwhile.
				}
				catch (IOException ex) {
					// The thread ended meanwhile.
				}
			}
		}
		catch (IOException ex) {
			// The process is gone.
			return new TreeMap<>();
		}
		return byName;
	}

	/** One figure of one thread, from its {@code /proc/<pid>/task/<tid>} directory. */
	@FunctionalInterface
	private interface TaskFigure {

		long of(Path task) throws IOException;

	}

	/**
	 * The state letter ({@code R}, {@code S}, {@code T}, {@code Z}, ...), or {@code 0}
	 * when the process is gone (reaped).
	 */
	static char state(long pid) {
		String stat = read(pid, "stat");
		if (stat == null) {
			return 0;
		}
		return stat.charAt(stat.lastIndexOf(')') + 2);
	}

	/**
	 * Polls every 20 us until {@code /proc/<pid>} is gone.
	 * @return the monotonic time it was seen gone, or -1 on timeout
	 */
	static long awaitReaped(long pid, long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		while (System.nanoTime() - deadline < 0) {
			if (state(pid) == 0) {
				return System.nanoTime();
			}
			LockSupport.parkNanos(20_000);
		}
		return -1;
	}

	/**
	 * State letter and pending signals (thread and process-wide) from one read of
	 * {@code status}.
	 */
	record Status(char state, long pendingSignals) {
	}

	/** {@code null} when the process is gone. */
	static Status status(long pid) {
		String status = read(pid, "status");
		if (status == null) {
			return null;
		}
		int at = status.indexOf("State:");
		char state = status.substring(at + 6).trim().charAt(0);
		return new Status(state, hexField(status, "SigPnd:") | hexField(status, "ShdPnd:"));
	}

	/**
	 * Whether a process ignores a signal ({@code SigIgn}): a process started under
	 * {@code nohup} ignores SIGHUP, and so does every process it starts.
	 */
	static boolean ignores(long pid, int signal) {
		String status = read(pid, "status");
		return status != null && (hexField(status, "SigIgn:") & bit(signal)) != 0;
	}

	/** The bit of a signal number in the signal masks of {@code /proc/<pid>/status}. */
	static long bit(int signal) {
		return 1L << (signal - 1);
	}

	static String read(long pid, String file) {
		try {
			return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)),
					StandardCharsets.US_ASCII);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			// ESRCH while reading: the process went away under us.
			return null;
		}
	}

	private static long field(String text, String name) {
		int at = text.indexOf(name);
		if (at < 0) {
			return -1;
		}
		int end = text.indexOf('\n', at + name.length());
		String value = text.substring(at + name.length(), (end < 0) ? text.length() : end).trim();
		return Long.parseLong(value.split("\\s+")[0]);
	}

	private static long hexField(String text, String name) {
		int at = text.indexOf(name);
		if (at < 0) {
			return 0;
		}
		int end = text.indexOf('\n', at);
		return Long.parseUnsignedLong(text.substring(at + name.length(), end).trim(), 16);
	}

	/**
	 * First line of {@code /proc/<file>} matching a prefix, for the machine description.
	 */
	static String systemLine(String file, String prefix) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", file))) {
				if (line.startsWith(prefix)) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			return "?";
		}
		return "?";
	}

}
