package io.samboot.bench;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.samboot.SamSettings;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.Message;
import io.samboot.supervisor.EmbeddedControlServer;

/**
 * The supervisor's side of the control channel without the supervisor loop, for measuring
 * the event-driven health-check round trip: the real control server through
 * {@link EmbeddedControlServer} (private socket directory, handshake, the non-blocking
 * write from the sending thread with its writer-thread fallback, the loop's inbox), and a
 * real instance in a second JVM that uses the public SAM API. The thread that calls
 * {@link #roundTrip()} plays the loop: it sends a {@link Message.HealthCheckRequest}
 * through {@link EmbeddedControlServer#send} as the loop does (so the request is written
 * from this thread, as the loop writes it from its own) and reads the answer from the
 * socket itself, waiting as the loop waits ({@link EmbeddedControlServer#next}).
 *
 * <p>
 * The instance is launched from a thread of its own that lives as long as the harness,
 * because the instance arms {@code PR_SET_PDEATHSIG}, which fires when the launching
 * <em>thread</em> ends.
 */
public final class ControlHarness implements AutoCloseable {

	private static final int INSTANCE_ID = 1;

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

	private final CountDownLatch release = new CountDownLatch(1);

	private final EmbeddedControlServer server;

	private Process instance;

	private long sequence;

	private long heartbeats;

	private long overlaps;

	private byte[] data;

	private ControlHarness() throws IOException {
		this.server = EmbeddedControlServer.open();
	}

	/**
	 * Opens the channel, launches the instance and waits until it has registered and
	 * started health checking.
	 * @param instanceCommand the instance's command line (a JVM running the SAM API)
	 */
	public static ControlHarness start(List<String> instanceCommand) throws IOException, InterruptedException {
		ControlHarness harness = new ControlHarness();
		try {
			harness.launch(instanceCommand);
			harness.awaitStarted();
			return harness;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			harness.close();
			throw ex;
		}
	}

	private void launch(List<String> command) throws IOException, InterruptedException {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.server.expect(INSTANCE_ID, secret);
		CompletableFuture<Process> launched = new CompletableFuture<>();
		Thread launcher = new Thread(() -> {
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.redirectError(ProcessBuilder.Redirect.INHERIT);
				builder.environment().keySet().removeIf(name -> name.startsWith("SAM_"));
				builder.environment().put(Handoff.SOCKET, this.server.socketPath());
				builder.environment().put(Handoff.SUPERVISOR_PID, Long.toString(ProcessHandle.current().pid()));
				builder.environment().put(Handoff.INSTANCE_ID, Integer.toString(INSTANCE_ID));
				builder.environment().put(Handoff.SECRET, Handoff.toHex(secret));
				launched.complete(builder.start());
			}
			catch (IOException | RuntimeException ex) {
				launched.completeExceptionally(ex);
				return;
			}
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "harness-launcher");
		launcher.setDaemon(true);
		launcher.start();
		try {
			this.instance = launched.get();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IOException("could not launch the instance " + command + ": " + ex.getCause(), ex.getCause());
		}
		this.server.expectPid(INSTANCE_ID, this.instance.pid());
	}

	private void awaitStarted() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			Message message = next(deadline - System.nanoTime());
			if (message == null) {
				throw new IllegalStateException(
						"the instance (pid " + this.instance.pid() + ") did not start" + " health checking within 60s");
			}
			if (message instanceof Message.Start) {
				this.server.send(INSTANCE_ID, Message.Reply.ok());
				return;
			}
			handle(message);
		}
	}

	/**
	 * One event-driven health check: request, the instance runs its check and answers,
	 * the answer is read from the socket by this thread, as the loop reads it.
	 * @return the instance's answer
	 */
	public Message.HealthCheckResult roundTrip() throws InterruptedException {
		long sent = ++this.sequence;
		this.server.send(INSTANCE_ID, new Message.HealthCheckRequest(sent));
		while (true) {
			Message message = next(ANSWER_TIMEOUT.toNanos());
			if (message == null) {
				throw new IllegalStateException(
						"no answer to health-check request " + sent + " within " + ANSWER_TIMEOUT.toSeconds() + "s");
			}
			if (message instanceof Message.HealthCheckResult result && result.sequence() == sent) {
				if (!result.outcome().healthy()) {
					if (result.reason() != null && result.reason().startsWith("the previous check")) {
						// The instance still counted its previous check as running: a
						// request sent right
						// after an answer could meet that while a check answered before
						// it was marked finished.
						this.overlaps++;
						return result;
					}
					throw new IllegalStateException("the empty check answered " + result);
				}
				return result;
			}
			handle(message);
		}
	}

	/** Heartbeats received so far. */
	public long heartbeats() {
		return this.heartbeats;
	}

	/**
	 * Requests answered "the previous check is still running" although it had answered.
	 */
	public long overlaps() {
		return this.overlaps;
	}

	/** The instance's PID. */
	public long instancePid() {
		return this.instance.pid();
	}

	/**
	 * What the instance did next, as the loop takes it from its queue; {@code null} after
	 * the timeout.
	 */
	private Message next(long timeoutNanos) throws InterruptedException {
		try {
			return this.server.next(timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (ClosedChannelException ex) {
			throw new IllegalStateException("the instance (pid " + this.instance.pid() + ") closed the channel");
		}
	}

	private void handle(Message message) {
		if (message instanceof Message.Hello hello) {
			// Only ever the instance's first message: the one it passed the handshake
			// with.
			SamSettings settings = SamSettings.fromMap(hello.settings());
			this.server.frameLimit(settings.dataStoreMaxSize());
			this.server.send(INSTANCE_ID,
					new Message.Welcome(INSTANCE_ID, ProcessHandle.current().pid(), 0, this.data));
		}
		else if (message instanceof Message.Heartbeat) {
			this.heartbeats++;
		}
		else if (message instanceof Message.DataStore store) {
			this.data = store.data();
			this.server.send(INSTANCE_ID, Message.Reply.ok());
		}
		else if (message instanceof Message.Stop || message instanceof Message.Close || message instanceof Message.Start
				|| message instanceof Message.WarnSignalSet) {
			this.server.send(INSTANCE_ID, Message.Reply.ok());
		}
	}

	@Override
	public void close() {
		Process process = this.instance;
		if (process != null) {
			try {
				// The instance exits when its standard input ends.
				process.getOutputStream().close();
			}
			catch (IOException ex) {
				// It is killed below anyway.
			}
			try {
				if (!process.waitFor(5, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					process.waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		this.release.countDown();
		this.server.close();
	}

}
