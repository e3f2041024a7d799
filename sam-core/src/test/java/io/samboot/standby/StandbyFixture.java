package io.samboot.standby;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;
import io.samboot.instance.InheritedListeningSocket;

import static io.samboot.testsupport.FixtureMarks.mark;

/**
 * A plain-Java server with a hot standby, started as a real JVM by
 * {@link StandbyProcessTests}. Every instance serves the socket the supervisor keeps
 * ({@link Sam#inheritListeningSocket}); a connection gets one line,
 * {@code iid=N pid=P data=D}, after the optional command it sends: {@code hang} stops the
 * heartbeats, {@code store X} stores X.
 */
public final class StandbyFixture {

	private static final long PID = ProcessHandle.current().pid();

	private static volatile boolean hanging;

	/** The thread that closes the inherited channel, once it has begun to. */
	private static volatile Thread stopsAccepting;

	private StandbyFixture() {
	}

	public static void main(String[] args) throws Exception {
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ofMillis(Long.parseLong(args[0])))
			.recoveryPolicy(RecoveryPolicy.RESTART)
			.standby(true)
			.shutdownTimeout(Duration.ofSeconds(5))
			.build());
		int iid = Sam.register();
		boolean standby = Sam.isStandby();
		mark("registered iid=" + iid + " pid=" + PID + " standby=" + standby);
		int port = Sam.inheritListeningSocket("127.0.0.1", 0);
		Channel inherited = System.inheritedChannel();
		InheritedListeningSocket.beforeStopAccepting(() -> {
			stopsAccepting = Thread.currentThread();
			mark("stops accepting pid=" + PID);
		});
		Runtime.getRuntime().addShutdownHook(new Thread(() -> markOnceClosed(inherited), "mark-once-closed"));
		mark("socket pid=" + PID + " port=" + port + " inherited="
				+ ((inherited instanceof ServerSocketChannel server) ? server.getLocalAddress() : inherited));
		// A standby parks here until it is promoted.
		Sam.start();
		mark("active iid=" + Sam.client().instanceId() + " pid=" + PID + " was-standby=" + standby + " restarts="
				+ Sam.client().restartCount() + " data=" + data());
		Thread heartbeats = new Thread(StandbyFixture::heartbeats, "heartbeats");
		heartbeats.setDaemon(true);
		heartbeats.start();
		serve((ServerSocketChannel) inherited);
	}

	private static void heartbeats() {
		while (true) {
			if (!hanging) {
				Sam.hcSend();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private static void serve(ServerSocketChannel server) throws IOException {
		// Closed when the JVM begins to stop: the other instance takes the connections.
		while (server.isOpen()) {
			try (Socket socket = server.accept().socket()) {
				socket.setSoTimeout(2000);
				BufferedReader in = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
				String command = in.readLine();
				if (command != null && command.equals("hang")) {
					hanging = true;
					mark("hangs pid=" + PID);
				}
				else if (command != null && command.startsWith("store ")) {
					Sam.dataStore(command.substring(6).getBytes(StandardCharsets.UTF_8));
				}
				PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
				out.println("iid=" + Sam.client().instanceId() + " pid=" + PID + " data=" + data());
			}
			catch (IOException ex) {
				// One client's trouble is not the server's.
			}
		}
	}

	/**
	 * Closing the inherited channel makes the JDK point standard output at /dev/null: a
	 * line written once SAM's hook that closes it has ended shows that the stopping
	 * instance still has its console.
	 */
	private static void markOnceClosed(Channel inherited) {
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			while (stopsAccepting == null && System.nanoTime() - deadline < 0) {
				Thread.sleep(1);
			}
			Thread closing = stopsAccepting;
			if (closing != null) {
				closing.join(Duration.ofSeconds(3).toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		mark("still writes after it stopped accepting pid=" + PID + " closed=" + !inherited.isOpen());
	}

	private static String data() {
		byte[] data = Sam.dataRestore();
		return (data != null && data.length > 0) ? new String(data, StandardCharsets.UTF_8) : "-";
	}

}
