package io.samboot.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Learns the moment a process has exited, as its parent is told (Linux {@code pidfd_open}
 * + {@code poll}: the pidfd becomes readable when the whole thread group is gone, when
 * the parent gets SIGCHLD), on a thread already blocked in {@code poll} before the
 * process is killed. This separates the kernel's share of crash detection (tearing down a
 * large JVM takes milliseconds) from the supervisor's (reaping it and acting on it).
 */
final class ExitWatch {

	private static final long SYS_PIDFD_OPEN = 434;

	private static final int POLLIN = 1;

	interface LibC extends Library {

		int syscall(long number, int pid, int flags);

		int poll(int[] fds, long count, int timeoutMillis);

		int close(int fd);

	}

	private static final LibC LIBC = load();

	private final CompletableFuture<Long> exited = new CompletableFuture<>();

	private ExitWatch() {
	}

	private static LibC load() {
		try {
			return Native.load("c", LibC.class);
		}
		catch (UnsatisfiedLinkError | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Starts watching; {@link #exitedNanos} then says when the process exited.
	 * @return {@code null} when pidfds are unavailable (kernel before 5.3, no JNA) or the
	 * process is gone
	 */
	static ExitWatch start(long pid) throws InterruptedException {
		if (LIBC == null) {
			return null;
		}
		int fd = LIBC.syscall(SYS_PIDFD_OPEN, (int) pid, 0);
		if (fd < 0) {
			return null;
		}
		ExitWatch watch = new ExitWatch();
		CountDownLatch polling = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			int[] pollfd = { fd, POLLIN };
			Realtime.raise();
			polling.countDown();
			int ready = LIBC.poll(pollfd, 1, 30_000);
			long now = System.nanoTime();
			LIBC.close(fd);
			watch.exited.complete((ready == 1) ? now : -1L);
		}, "exit-watch-" + pid);
		thread.setDaemon(true);
		thread.start();
		polling.await();
		// Let the thread get into poll() before the caller kills the process.
		Thread.sleep(5);
		return watch;
	}

	/** The monotonic time the process exited, or -1 if it did not within the timeout. */
	long exitedNanos(long timeout, TimeUnit unit) {
		try {
			return this.exited.get(timeout, unit);
		}
		catch (Exception ex) {
			return -1;
		}
	}

}
