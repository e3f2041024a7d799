package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.samboot.PosixSignal;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;

/**
 * Frees the JMX remote ports of this JVM before the active instance is started with the
 * same command line.
 *
 * <p>
 * {@code -Dcom.sun.management.jmxremote.port=N} makes every JVM started with it open a
 * connector on port N, so the instance would fail to start its own while the supervisor
 * holds it. The user wants JMX access to the application, not to the supervisor: the
 * supervisor stops its connector, exactly as {@code jcmd <pid> ManagementAgent.stop}
 * does, and the instance keeps the port the user chose. When that fails,
 * {@link JvmOptionPolicy} drops the port options instead.
 *
 * <p>
 * Why the attach mechanism: {@code ManagementAgent.stop} is a diagnostic command that
 * HotSpot (17 to 25 at least) exports to the attach API only, not to the
 * {@code DiagnosticCommand} MBean (there is no {@code managementAgentStop} operation),
 * and the method behind it is in a non-exported JDK package. The JDK's own attach client
 * refuses to attach to its own JVM unless {@code -Djdk.attach.allowAttachSelf=true} was
 * given, and {@code jcmd} is missing from JRE images. So this class speaks HotSpot's
 * attach protocol (version 1, which {@code jcmd} speaks too) over the JVM's own Unix
 * socket {@code /tmp/.java_pid<pid>}, starting the attach listener the way {@code jcmd}
 * does: a {@code /tmp/.attach_pid<pid>} file, then {@code SIGQUIT}. Linux only; it
 * refuses when the listener cannot start ({@code -XX:+DisableAttachMechanism}) or when
 * {@code SIGQUIT} would kill the JVM ({@code -Xrs}).
 */
final class JmxRemoteAgent {

	static final String PORT_PROPERTY = "com.sun.management.jmxremote.port";

	private static final Duration LISTENER_START_DEADLINE = Duration.ofSeconds(5);

	private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(10);

	private static final Path TMP = Path.of("/tmp");

	private static final SamLog logger = SamLog.get(JmxRemoteAgent.class);

	private JmxRemoteAgent() {
	}

	/**
	 * Stops this JVM's JMX remote connector, if it was started from the command line.
	 * @return {@code true} if the connector was stopped or none ran, {@code false} if it
	 * could not be stopped (a warning is logged)
	 */
	static boolean releaseIfRunning() {
		String port = System.getProperty(PORT_PROPERTY);
		if (port == null) {
			return true;
		}
		try {
			jcmd("ManagementAgent.stop");
			return true;
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not stop the supervisor's JMX remote connector on port " + port + " (jcmd "
					+ ProcessHandle.current().pid() + " ManagementAgent.stop through the attach mechanism: "
					+ ex.getMessage() + "); the active instance is started without -D" + PORT_PROPERTY
					+ " and -Dcom.sun.management.jmxremote.rmi.port, so it has no JMX remote access", ex);
			return false;
		}
	}

	/**
	 * Runs a diagnostic command in this JVM through its attach listener and returns its
	 * output.
	 */
	static String jcmd(String command) throws IOException {
		long pid = ProcessHandle.current().pid();
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
			throw new IOException("attaching to this JVM is implemented for Linux only");
		}
		HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		if (Boolean.parseBoolean(hotSpot.getVMOption("DisableAttachMechanism").getValue())) {
			throw new IOException("the attach mechanism is disabled (-XX:+DisableAttachMechanism)");
		}
		Path socket = TMP.resolve(".java_pid" + pid);
		SocketChannel channel = connect(socket);
		if (channel == null) {
			if (Boolean.parseBoolean(hotSpot.getVMOption("ReduceSignalUsage").getValue())) {
				throw new IOException("the attach listener is not running and cannot be started with SIGQUIT, "
						+ "which would stop this JVM started with -Xrs");
			}
			channel = startListenerAndConnect(pid, socket);
		}
		try (SocketChannel open = channel) {
			return execute(open, command);
		}
	}

	private static SocketChannel startListenerAndConnect(long pid, Path socket) throws IOException {
		Path trigger = TMP.resolve(".attach_pid" + pid);
		try {
			Files.createFile(trigger);
		}
		catch (FileAlreadyExistsException ex) {
			// another attach in progress made it: it triggers as well
		}
		try {
			sendQuit(pid);
			long deadline = System.nanoTime() + LISTENER_START_DEADLINE.toNanos();
			while (System.nanoTime() < deadline) {
				SocketChannel channel = connect(socket);
				if (channel != null) {
					return channel;
				}
				Thread.sleep(10);
			}
			throw new IOException("the attach listener did not open " + socket + " within "
					+ LISTENER_START_DEADLINE.toSeconds() + " s of SIGQUIT");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for the attach listener", ex);
		}
		finally {
			Files.deleteIfExists(trigger);
		}
	}

	/** SIGQUIT through the native layer when it can, else through {@code kill(1)}. */
	private static void sendQuit(long pid) throws IOException, InterruptedException {
		NativeAccess nativeAccess = NativeAccess.get();
		if (nativeAccess.isNative()) {
			nativeAccess.kill(pid, PosixSignal.QUIT);
			return;
		}
		Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).redirectErrorStream(true).start();
		if (!kill.waitFor(LISTENER_START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
			kill.destroyForcibly();
			throw new IOException("kill -QUIT " + pid + " did not finish");
		}
		if (kill.exitValue() != 0) {
			throw new IOException("kill -QUIT " + pid + " exited with status " + kill.exitValue() + ": "
					+ new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
		}
	}

	private static SocketChannel connect(Path socket) {
		if (!Files.exists(socket)) {
			return null;
		}
		try {
			return SocketChannel.open(UnixDomainSocketAddress.of(socket));
		}
		catch (IOException ex) {
			return null; // a stale socket of an earlier process with this PID, or not
							// listening yet
		}
	}

	/**
	 * Attach protocol 1: the version, the operation and three arguments, each
	 * NUL-terminated; the answer is a status line ({@code 0} for success) followed by the
	 * output, up to EOF.
	 */
	private static String execute(SocketChannel channel, String command) throws IOException {
		Thread watchdog = new Thread(() -> {
			try {
				Thread.sleep(COMMAND_DEADLINE.toMillis());
				channel.close(); // unblocks the read below, which then fails
			}
			catch (InterruptedException | IOException ex) {
				// the command finished in time
			}
		}, "sam-attach-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		try {
			channel.write(ByteBuffer.wrap(("1\0jcmd\0" + command + "\0\0\0").getBytes(StandardCharsets.UTF_8)));
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(4096);
			while (channel.read(buffer) >= 0) {
				response.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			String answer = response.toString(StandardCharsets.UTF_8);
			int newline = answer.indexOf('\n');
			String status = (newline >= 0) ? answer.substring(0, newline).strip() : answer.strip();
			String output = (newline >= 0) ? answer.substring(newline + 1).strip() : "";
			if (!status.equals("0")) {
				throw new IOException("status " + status + (output.isEmpty() ? "" : ": " + output));
			}
			return output;
		}
		finally {
			watchdog.interrupt();
		}
	}

}
