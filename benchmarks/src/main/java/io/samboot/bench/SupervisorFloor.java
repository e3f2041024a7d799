package io.samboot.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The least any supervisor written for the JVM has to do while idle, and nothing of
 * SAM's: the floor under the supervisor's idle memory. It binds two C library calls with
 * JNA's direct mapping, as the supervisor binds its own, and makes one of them (it
 * becomes a subreaper, as the supervisor does); it starts a child process; and it asks
 * over a Unix socket, watched by a selector, for an answer every quarter of a one-second
 * interval, which the other end of the same socket gives, the way the supervisor asks an
 * instance for event-driven checks. {@link #TRIM_NANOS} after its start it gives the C
 * library's free memory back to the kernel once, as the supervisor does some time after
 * an instance's checks have begun.
 *
 * <p>
 * Run with the supervisor's own JVM options and class path and an archive of its own
 * classes ({@link SupervisorFloorRun}), its resident memory is what a JVM supervisor
 * costs before any code of SAM's runs: policies, the data store, logging, the cluster's
 * services, the hot standby.
 */
public final class SupervisorFloor {

	/** A quarter of the one-second interval the idle section checks at. */
	private static final long REQUEST_MILLIS = 250;

	/**
	 * From the start to the trim: after the JIT compiler's work on the loop (its methods
	 * reach the supervisor's C1 thresholds within seconds at four rounds a second), whose
	 * freed work areas are what the trim gives back, and before the idle section's window
	 * is half over. The supervisor trims 30 s after an instance's checks begin, which in
	 * the idle section is also early in the window.
	 */
	private static final long TRIM_NANOS = TimeUnit.SECONDS.toNanos(20);

	private static final int PR_SET_CHILD_SUBREAPER = 36;

	/** The line that says the loop has begun: the floor is then started. */
	static final String ASKING = "floor: asking every " + REQUEST_MILLIS + " ms";

	/** The line that says the trim is done: the idle section's window opens after it. */
	static final String TRIMMED = "floor: trimmed";

	/**
	 * The two C library calls, bound when the class initialises (glibc's: the suite runs
	 * on Linux with glibc, as its corosync column does).
	 */
	static final class Libc {

		static {
			Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
		}

		private Libc() {
		}

		static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

		static native int malloc_trim(long pad);

	}

	private SupervisorFloor() {
	}

	/**
	 * @param args the seconds to run (0: until stopped; a training run for the class
	 * archive ends by itself) and a directory for the socket
	 */
	public static void main(String[] args) throws IOException {
		long seconds = Long.parseLong(args[0]);
		Libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		Process child = new ProcessBuilder("sleep", "infinity").inheritIO().start();
		Path path = Path.of(args[1]).resolve("floor-" + ProcessHandle.current().pid() + ".sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(path));
			try (SocketChannel instance = SocketChannel.open(UnixDomainSocketAddress.of(path));
					SocketChannel peer = server.accept();
					Selector selector = Selector.open()) {
				// Connected: the name is not needed any more, and a stop by signal leaves
				// none.
				Files.delete(path);
				peer.configureBlocking(false);
				peer.register(selector, SelectionKey.OP_READ);
				System.out.println(ASKING);
				askUntil(selector, peer, instance, seconds);
			}
		}
		finally {
			child.destroy();
		}
	}

	/**
	 * The idle loop: a request a quarter interval after the last answer, read and
	 * answered by the instance's end, the answer read when the selector reports it.
	 */
	private static void askUntil(Selector selector, SocketChannel supervisorEnd, SocketChannel instanceEnd,
			long seconds) throws IOException {
		long start = System.nanoTime();
		long end = start + TimeUnit.SECONDS.toNanos(seconds);
		boolean trimmed = false;
		ByteBuffer request = ByteBuffer.allocateDirect(16);
		ByteBuffer received = ByteBuffer.allocateDirect(16);
		ByteBuffer answer = ByteBuffer.allocateDirect(16);
		while (seconds == 0 || System.nanoTime() - end < 0) {
			selector.select(REQUEST_MILLIS);
			supervisorEnd.write(request.clear());
			instanceEnd.read(received.clear());
			instanceEnd.write(answer.clear());
			selector.select(REQUEST_MILLIS);
			selector.selectedKeys().clear();
			supervisorEnd.read(received.clear());
			if (!trimmed && System.nanoTime() - start - TRIM_NANOS > 0) {
				Libc.malloc_trim(0);
				trimmed = true;
				System.out.println(TRIMMED);
			}
		}
	}

}
