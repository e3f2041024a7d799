package io.samboot.instance;

import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import io.samboot.log.SamLog;

/**
 * A thread dump of this JVM written to a file the supervisor names, in the layout of
 * {@code jstack} (every thread, its state, its stack with the monitors it holds and waits
 * for, and the ownable synchronizers), instead of SIGQUIT's dump into the application's
 * own output, where it mixes with everything else the application and the supervisor
 * print.
 */
public final class ThreadDumpFile {

	private static final SamLog LOG = SamLog.get(ThreadDumpFile.class);

	private ThreadDumpFile() {
	}

	/**
	 * Writes the dump; a failure is logged and otherwise ignored: the instance is going.
	 */
	public static void write(String path) {
		try {
			Path file = Path.of(path);
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(file, dump(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
		}
		catch (IOException | RuntimeException ex) {
			LOG.warn("cannot write the thread dump the supervisor asked for to " + path + ": " + ex);
		}
	}

	static String dump() {
		ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
		StringBuilder out = new StringBuilder();
		out.append(Instant.now())
			.append('\n')
			.append("Full thread dump of pid ")
			.append(ProcessHandle.current().pid())
			.append(" (")
			.append(System.getProperty("java.vm.name"))
			.append(' ')
			.append(System.getProperty("java.vm.version"))
			.append("), taken for the SAM supervisor\n\n");
		for (ThreadInfo thread : threads) {
			append(out, thread);
		}
		return out.toString();
	}

	private static void append(StringBuilder out, ThreadInfo thread) {
		out.append('"')
			.append(thread.getThreadName())
			.append("\" #")
			.append(thread.getThreadId())
			.append(thread.isDaemon() ? " daemon" : "")
			.append(" prio=")
			.append(thread.getPriority())
			.append('\n')
			.append("   java.lang.Thread.State: ")
			.append(thread.getThreadState());
		if (thread.getLockName() != null) {
			out.append(" on ").append(thread.getLockName());
		}
		if (thread.getLockOwnerName() != null) {
			out.append(" owned by \"").append(thread.getLockOwnerName()).append("\" #").append(thread.getLockOwnerId());
		}
		out.append('\n');
		StackTraceElement[] stack = thread.getStackTrace();
		for (int depth = 0; depth < stack.length; depth++) {
			out.append("\tat ").append(stack[depth]).append('\n');
			if (depth == 0 && thread.getLockInfo() != null) {
				out.append("\t- ")
					.append(waiting(thread.getThreadState()))
					.append(' ')
					.append(thread.getLockInfo())
					.append('\n');
			}
			for (MonitorInfo monitor : thread.getLockedMonitors()) {
				if (monitor.getLockedStackDepth() == depth) {
					out.append("\t- locked ").append(monitor).append('\n');
				}
			}
		}
		LockInfo[] synchronizers = thread.getLockedSynchronizers();
		if (synchronizers.length > 0) {
			out.append("\n   Locked ownable synchronizers:\n");
			for (LockInfo synchronizer : synchronizers) {
				out.append("\t- ").append(synchronizer).append('\n');
			}
		}
		out.append('\n');
	}

	private static String waiting(Thread.State state) {
		return switch (state) {
			case BLOCKED -> "waiting to lock";
			case WAITING, TIMED_WAITING -> "parking to wait for";
			default -> "waiting on";
		};
	}

}
