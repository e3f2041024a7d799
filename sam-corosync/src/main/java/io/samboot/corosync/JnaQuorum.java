package io.samboot.corosync;

import java.util.function.IntConsumer;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * {@link QuorumLibrary} through JNA: {@code libquorum.so.5} (corosync 3) and the C
 * library's {@code poll}.
 *
 * <p>
 * {@code quorum_dispatch} puts about 1 MiB on the C stack, more than a default Java
 * thread has (the JVM then dies without an error file): every connection is used on a
 * {@link NativeThreads} thread. The notification callback and the callback structure stay
 * referenced from the connection for as long as the handle lives, so the garbage
 * collector never frees the trampoline corosync calls.
 */
final class JnaQuorum implements QuorumLibrary {

	private static final int CS_OK = 1;

	private static final int CS_DISPATCH_ALL = 2;

	private static final int CS_TRACK_CHANGES = 0x02;

	private static final short POLLIN = 0x001;

	private static final short POLLERR = 0x008;

	private static final short POLLHUP = 0x010;

	private static final short POLLNVAL = 0x020;

	private static final String[] SYMBOLS = { "quorum_initialize", "quorum_finalize", "quorum_fd_get",
			"quorum_dispatch", "quorum_getquorate", "quorum_trackstart" };

	/** The calls of {@code corosync/quorum.h} SAM makes. */
	public interface Lib extends Library {

		int quorum_initialize(LongByReference handle, Callbacks callbacks, IntByReference quorumType);

		int quorum_finalize(long handle);

		int quorum_fd_get(long handle, IntByReference fd);

		int quorum_dispatch(long handle, int dispatchTypes);

		int quorum_getquorate(long handle, IntByReference quorate);

		int quorum_trackstart(long handle, int flags);

	}

	/** {@code quorum_notification_fn_t}. */
	public interface NotifyFn extends Callback {

		void invoke(long handle, int quorate, long ringSeq, int viewListEntries, Pointer viewList);

	}

	/** {@code quorum_callbacks_t}: one function pointer. */
	@Structure.FieldOrder({ "quorum_notify_fn" })
	public static final class Callbacks extends Structure {

		public NotifyFn quorum_notify_fn;

	}

	/** {@code poll(2)}. */
	public interface Libc extends Library {

		int poll(Pointer fds, long nfds, int timeout);

	}

	private final String name;

	private final Lib lib;

	private final Libc libc;

	private JnaQuorum(String name, Lib lib, Libc libc) {
		this.name = name;
		this.lib = lib;
		this.libc = libc;
	}

	/**
	 * Loads the library and resolves every symbol now, so that a missing or too old
	 * library fails here and not at the first call.
	 * @throws UnsatisfiedLinkError if the library or one of its symbols cannot be found
	 */
	static QuorumLibrary load(String name) {
		NativeLibrary library = NativeLibrary.getInstance(name);
		for (String symbol : SYMBOLS) {
			library.getFunction(symbol);
		}
		Lib lib = Native.load(name, Lib.class);
		Libc libc = Native.load(Platform.C_LIBRARY_NAME, Libc.class);
		return new JnaQuorum(name, lib, libc);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public QuorumConnection connect(IntConsumer notifications) {
		NotifyFn notify = (handle, quorate, ringSeq, entries, viewList) -> notifications.accept(quorate);
		Callbacks callbacks = new Callbacks();
		callbacks.quorum_notify_fn = notify;
		LongByReference handle = new LongByReference();
		IntByReference quorumType = new IntByReference();
		check("quorum_initialize()", this.lib.quorum_initialize(handle, callbacks, quorumType));
		Connection connection = new Connection(handle.getValue(), quorumType.getValue(), notify, callbacks);
		try {
			IntByReference fd = new IntByReference();
			check("quorum_fd_get()", this.lib.quorum_fd_get(connection.handle, fd));
			connection.fd = fd.getValue();
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	private static void check(String call, int result) {
		if (result != CS_OK) {
			throw new CorosyncException(call, result);
		}
	}

	private final class Connection implements QuorumConnection {

		private final long handle;

		private final int quorumType;

		/** Referenced so that the callback trampoline lives as long as the handle. */
		@SuppressWarnings("unused")
		private final NotifyFn notify;

		@SuppressWarnings("unused")
		private final Callbacks callbacks;

		private final Memory pollFd = new Memory(8);

		private int fd = -1;

		private boolean closed;

		Connection(long handle, int quorumType, NotifyFn notify, Callbacks callbacks) {
			this.handle = handle;
			this.quorumType = quorumType;
			this.notify = notify;
			this.callbacks = callbacks;
		}

		@Override
		public int quorumType() {
			return this.quorumType;
		}

		@Override
		public void trackChanges() {
			check("quorum_trackstart(CS_TRACK_CHANGES)",
					JnaQuorum.this.lib.quorum_trackstart(this.handle, CS_TRACK_CHANGES));
		}

		@Override
		public boolean quorate() {
			IntByReference quorate = new IntByReference();
			check("quorum_getquorate()", JnaQuorum.this.lib.quorum_getquorate(this.handle, quorate));
			return quorate.getValue() != 0;
		}

		@Override
		public Readiness await(int timeoutMillis) {
			// struct pollfd { int fd; short events; short revents; }
			this.pollFd.setInt(0, this.fd);
			this.pollFd.setShort(4, POLLIN);
			this.pollFd.setShort(6, (short) 0);
			int ready = JnaQuorum.this.libc.poll(this.pollFd, 1, timeoutMillis);
			if (ready == 0) {
				return Readiness.TIMEOUT;
			}
			if (ready < 0) {
				// EINTR and the like: let the caller look again.
				return Readiness.TIMEOUT;
			}
			short revents = this.pollFd.getShort(6);
			if ((revents & POLLIN) != 0) {
				return Readiness.READABLE;
			}
			if ((revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
				return Readiness.HANGUP;
			}
			return Readiness.TIMEOUT;
		}

		@Override
		public void dispatchAll() {
			check("quorum_dispatch(CS_DISPATCH_ALL)", JnaQuorum.this.lib.quorum_dispatch(this.handle, CS_DISPATCH_ALL));
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				JnaQuorum.this.lib.quorum_finalize(this.handle);
			}
		}

	}

}
