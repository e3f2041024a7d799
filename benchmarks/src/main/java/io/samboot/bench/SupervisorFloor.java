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

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The least any supervisor written for the JVM has to do while idle, and nothing of
 * SAM's: the floor under the supervisor's idle memory. It loads JNA and makes one call
 * through it (becoming a subreaper, as the supervisor does), starts a child process, and
 * asks over a Unix socket, watched by a selector, for an answer every quarter of a
 * one-second interval, which the other end of the same socket gives, the way the
 * supervisor asks an instance for event-driven checks. Some seconds after its start it
 * gives the C library's free memory back to the kernel once, as the supervisor does once
 * an instance's checks have begun.
 *
 * <p>
 * Run with the supervisor's own JVM options and an archive of its own classes, its
 * resident memory is what a JVM supervisor costs before any code of SAM's: policies, the
 * data store, logging, the cluster's services, the hot standby.
 */
public final class SupervisorFloor {

	/** A quarter of the one-second interval the idle section checks at. */
	private static final long REQUEST_MILLIS = 250;

	/** When the C library's free memory is given back, from the start. */
	private static final long TRIM_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final int PR_SET_CHILD_SUBREAPER = 36;

	/** The two C library calls the floor makes through JNA. */
	public interface CLibrary extends Library {

		int prctl(int option, long arg2, long arg3, long arg4, long arg5);

		int malloc_trim(long pad);

	}

	private SupervisorFloor() {
	}

	/**
	 * @param args the seconds to run (0: until stopped; a training run for the class
	 * archive ends by itself) and a directory for the socket
	 */
	public static void main(String[] args) throws IOException {
		long seconds = Long.parseLong(args[0]);
		CLibrary c = Native.load("c", CLibrary.class);
		c.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
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
				System.out.println("floor: asking every " + REQUEST_MILLIS + " ms");
				askUntil(c, selector, peer, instance, seconds);
			}
		}
		finally {
			child.destroy();
		}
	}

	/**
	 * The idle loop: a request a quarter interval after the last answer, its answer read
	 * when the selector reports it.
	 */
	private static void askUntil(CLibrary c, Selector selector, SocketChannel supervisorEnd, SocketChannel instanceEnd,
			long seconds) throws IOException {
		long start = System.nanoTime();
		long end = start + TimeUnit.SECONDS.toNanos(seconds);
		boolean trimmed = false;
		ByteBuffer request = ByteBuffer.allocateDirect(16);
		ByteBuffer answer = ByteBuffer.allocateDirect(16);
		while (seconds == 0 || System.nanoTime() - end < 0) {
			selector.select(REQUEST_MILLIS);
			request.clear();
			supervisorEnd.write(request);
			request.clear();
			instanceEnd.read(request);
			answer.clear();
			instanceEnd.write(answer);
			selector.select(REQUEST_MILLIS);
			selector.selectedKeys().clear();
			answer.clear();
			supervisorEnd.read(answer);
			if (!trimmed && System.nanoTime() - start - TRIM_NANOS > 0) {
				c.malloc_trim(0);
				trimmed = true;
			}
		}
	}

}
