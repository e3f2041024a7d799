package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;

/**
 * Gives the supervisor's threads whose work is never urgent the lowest priority (nice
 * 19), so that they run when the loop does not want the CPU.
 *
 * <p>
 * At an instance's crash the kernel wakes several of the supervisor's threads at once:
 * the loop (the closed connection), the thread that waits for that instance's exit, the
 * orphan reaper (some child has ended) and, as the loop runs the crash's code, the JIT
 * compiler it asks to compile it. On two CPUs, with the dying JVM's teardown on one of
 * them, the loop waited behind the others: in a scheduler trace of the sample
 * application's first crash, the exit thread ran 0.43 ms and the compiler 0.28 ms before
 * the loop got a CPU, 0.96 ms after it was woken, and each compilation the loop then
 * asked for woke the compiler, which took the CPU from it at once. None of them is needed
 * for the decision: the loop takes the exit itself ({@link ExitAtClose}), the orphans
 * wait a scan period anyway, and code runs interpreted until compiled. At nice 19 they no
 * longer preempt the loop, and they still run whenever a CPU is free. One that has just
 * got a CPU can still keep it for a while after the loop wakes (1.2 ms of the C1 compiler
 * in a trace of a later crash on JDK 25: the scheduler protects a running thread's slice
 * from a woken one, whatever their nice values); {@code SCHED_IDLE}, which would give it
 * up at once, showed no gain side by side and was left out for the risk of a lock held by
 * a thread that then waits for a free CPU.
 *
 * <p>
 * Only these threads: a thread's nice value survives {@code execve} and is inherited by
 * the threads it makes, and raising it again needs privilege, so the thread that goes on
 * to run the lean JVM (or the loop) keeps its own.
 */
final class BackgroundThreads {

	private static final SamLog log = SamLog.get(BackgroundThreads.class);

	private static final Path TASKS = Path.of("/proc/self/task");

	private BackgroundThreads() {
	}

	/**
	 * Lowers the priority of this JVM's compiler threads where the platform allows it.
	 * Compiler threads the JVM adds later are started by its compiler threads and inherit
	 * the value.
	 * @return how many threads were lowered
	 */
	static int lowerCompilers(NativeAccess os) {
		return lowerCompilers(os, TASKS);
	}

	/**
	 * As {@link #lowerCompilers(NativeAccess)}, with the threads listed in {@code tasks}
	 * ({@code /proc/self/task}: a directory per thread, named by its id, its name in
	 * {@code comm}).
	 */
	static int lowerCompilers(NativeAccess os, Path tasks) {
		int lowered = 0;
		try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
			for (Path thread : threads) {
				if (isCompiler(name(thread))
						&& os.lowerThreadPriority(Long.parseLong(thread.getFileName().toString()))) {
					lowered++;
				}
			}
		}
		catch (IOException | NumberFormatException | NativeAccessException ex) {
			log.debug("the JIT compiler threads keep their priority: " + ex);
		}
		return lowered;
	}

	/**
	 * Lowers the calling thread's priority where the platform allows it; a thread of the
	 * supervisor calls it first thing.
	 */
	static void lowerCallingThread(NativeAccess os) {
		try {
			os.lowerCallingThreadPriority();
		}
		catch (NativeAccessException ex) {
			log.debug("thread " + Thread.currentThread().getName() + " keeps its priority: " + ex);
		}
	}

	/**
	 * Whether a thread's name, as the kernel keeps it (15 bytes), is a HotSpot compiler
	 * thread's: {@code C1 CompilerThread0}, {@code C2 CompilerThread1},
	 * {@code JVMCI CompilerThread0}.
	 */
	static boolean isCompiler(String name) {
		return name != null && (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
				|| name.startsWith("JVMCI CompilerT"));
	}

	/** The thread's name, or {@code null} once it has ended. */
	private static String name(Path thread) {
		try {
			return Files.readString(thread.resolve("comm")).strip();
		}
		catch (IOException ex) {
			return null;
		}
	}

}
