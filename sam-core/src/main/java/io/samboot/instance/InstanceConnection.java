package io.samboot.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;

/**
 * The instance's end of the control channel. One reader thread at a time takes every
 * frame: answers go to the one request waiting for them (requests are serialised),
 * health-check requests to a handler. A reader that gets a request to run a check runs it
 * itself and answers from that thread (leader and follower), so the request crosses no
 * thread in this process. Only when the check is slow does it hand reading over to a
 * second thread: when the handler says the check has run long (see
 * {@link HealthCheckRequests#run}), or at once when a command is sent meanwhile, whose
 * answer must not wait for the check. Handing over wakes a thread, which would otherwise
 * cost every round trip some 20-40 us.
 *
 * <p>
 * Data stores go over a second connection, the {@link CommandConnection}, opened at the
 * first store, on which the caller reads its own answer: on this one the answer would
 * wake the reader thread, which then wakes the caller.
 *
 * <p>
 * When the channel ends while this process is still running, the supervisor is gone (it
 * closes the channel only after the instance has ended), and an instance must never
 * outlive its supervisor: it halts.
 */
public final class InstanceConnection implements AutoCloseable {

	/**
	 * How long a command waits for the supervisor's answer; the supervisor loop answers
	 * at once.
	 */
	public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

	/** How long an instance waits for its supervisor's socket to appear. */
	static final Duration CONNECT_PATIENCE = Duration.ofSeconds(30);

	private static final Duration CONNECT_RETRY = Duration.ofMillis(5);

	/**
	 * How long a command's caller watches for the answer before it parks; see
	 * {@link #awaitBriefly}.
	 */
	private static final long ANSWER_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	/** Commands that carry more data than this are not watched for: they take longer. */
	private static final int ANSWER_SPIN_MAX_DATA = 64 * 1024;

	/** Watching needs another CPU for the reader; with one, it would only delay it. */
	private static final boolean MAY_SPIN = Runtime.getRuntime().availableProcessors() > 1;

	private static final SamLog LOG = SamLog.get(InstanceConnection.class);

	private final FrameChannel frames;

	private final Object requestLock = new Object();

	private final Object writeLock = new Object();

	private final HealthCheckRequests healthCheckRequests;

	private final Runnable supervisorGone;

	/**
	 * Permission to read frames, passed between the two reader threads; held by exactly
	 * one of them.
	 */
	private final Semaphore readerRole = new Semaphore(0);

	/**
	 * Set while the thread holding the reader role runs a check without having handed
	 * reading over; whoever clears it hands reading over (see {@link #handOffReading}).
	 */
	private final AtomicBoolean checkHoldsRole = new AtomicBoolean();

	/** {@link #handOffReading}, made once rather than for every check. */
	private final Runnable handOffReading = this::handOffReading;

	/**
	 * Set and read only by the thread that hands the role over, the one that cleared
	 * {@link #checkHoldsRole}.
	 */
	private volatile boolean secondReaderStarted;

	private volatile boolean ended;

	private volatile CompletableFuture<Message> pendingAnswer;

	/**
	 * Answers still owed to requests that timed out: the supervisor answers every request
	 * in order, late or not, so the next this many answers belong to no one waiting now.
	 */
	private final AtomicInteger lateAnswers = new AtomicInteger();

	private volatile CompletableFuture<Void> quorumStart = new CompletableFuture<>();

	/**
	 * Completed with the welcome that promotes this standby; set while it is one, so that
	 * the welcome is not taken for the answer to a command.
	 */
	private volatile CompletableFuture<Message.Welcome> promotion;

	private volatile boolean closing;

	private volatile Consumer<Message.Notice> notices = notice -> {
	};

	/** Where and as whom to open the {@link CommandConnection}. */
	private final CommandTarget commandTarget;

	/**
	 * The connection data stores go over, opened at the first; guarded by
	 * {@link #requestLock} (volatile for {@link #close}).
	 */
	private volatile CommandConnection commands;

	/**
	 * Set once a command connection could not be opened: data stores go over this
	 * connection from then on. Guarded by {@link #requestLock}.
	 */
	private boolean commandsRefused;

	/** Whether a command connection was ever opened. Guarded by {@link #requestLock}. */
	private boolean commandsOpened;

	/**
	 * What opening the {@link CommandConnection} takes: the socket, the instance id the
	 * connection was admitted under, the control connection's
	 * {@link HandshakeProofs#commandKey command key} and the frame limit.
	 */
	private record CommandTarget(String path, int instanceId, byte[] commandKey, int frameLimit) {
	}

	/** What the reader does with the supervisor's health-check requests. */
	public interface HealthCheckRequests {

		/**
		 * Called on the reader thread; must not block.
		 * @return whether the reader must now call {@link #run} (after handing reading to
		 * another thread)
		 */
		boolean begin(Message.HealthCheckRequest request);

		/**
		 * Runs the check {@link #begin} accepted and answers it; may block for as long as
		 * the check.
		 * @param handOffReading to be called, from any thread, once the check has run
		 * long enough that frames arriving meanwhile must be read by another thread; safe
		 * to call more than once, and after the check has ended
		 */
		void run(Message.HealthCheckRequest request, Runnable handOffReading);

	}

	private InstanceConnection(FrameChannel frames, HealthCheckRequests healthCheckRequests, Runnable supervisorGone,
			CommandTarget commandTarget) {
		this.frames = frames;
		this.commandTarget = commandTarget;
		this.healthCheckRequests = healthCheckRequests;
		this.supervisorGone = supervisorGone;
	}

	/**
	 * Connects to the supervisor named in the environment, makes sure it is that
	 * supervisor ({@link SupervisorVerification}: its user, its proof of the secret)
	 * before sending anything that matters, and says hello.
	 * @param environment the process environment with the {@link Handoff} variables
	 * @param settings the instance's settings, which the supervisor adopts
	 * @param frameLimit the largest frame the supervisor may send (the data limit plus
	 * overhead)
	 * @param healthCheckRequests called on the reader thread for each request; must not
	 * block
	 * @param supervisorGone called when the channel ends while the process runs
	 * @return the connection and the supervisor's welcome
	 */
	public static Connected connect(Map<String, String> environment, Map<String, String> settings, int frameLimit,
			Consumer<Message.HealthCheckRequest> healthCheckRequests, Runnable supervisorGone) {
		return connect(environment, settings, frameLimit, new HealthCheckRequests() {
			@Override
			public boolean begin(Message.HealthCheckRequest request) {
				healthCheckRequests.accept(request);
				return false;
			}

			@Override
			public void run(Message.HealthCheckRequest request, Runnable handOffReading) {
			}
		}, supervisorGone);
	}

	/**
	 * As {@link #connect(Map, Map, int, Consumer, Runnable)}, with checks run on the
	 * reader thread that receives their request (which hands reading over to a second
	 * thread when the check runs long).
	 */
	public static Connected connect(Map<String, String> environment, Map<String, String> settings, int frameLimit,
			HealthCheckRequests healthCheckRequests, Runnable supervisorGone) {
		String path = environment.get(Handoff.SOCKET);
		byte[] secret;
		int instanceId;
		try {
			secret = Handoff.fromHex(environment.getOrDefault(Handoff.SECRET, ""));
		}
		catch (IllegalArgumentException ex) {
			throw new SamException(SamError.LIBRARY, Handoff.SECRET + " is malformed: " + ex.getMessage());
		}
		if (secret.length == 0) {
			throw new SamException(SamError.LIBRARY, Handoff.SECRET + " is missing or empty");
		}
		try {
			instanceId = Integer.parseInt(environment.getOrDefault(Handoff.INSTANCE_ID, ""));
		}
		catch (NumberFormatException ex) {
			throw new SamException(SamError.LIBRARY, Handoff.INSTANCE_ID + " is missing or not a number");
		}
		HandshakeProofs.warmUp();
		SocketChannel channel = connectWithin(path, CONNECT_PATIENCE);
		// Until the peer has proven to be the supervisor, it may not make this process
		// allocate more than a handshake frame.
		FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
		HandshakeProofs proofs;
		try {
			SupervisorVerification.checkPeerUser(channel, path);
			proofs = SupervisorVerification.challenge(channel, frames, path, instanceId, secret, REPLY_TIMEOUT);
		}
		catch (SamException ex) {
			closeQuietly(channel);
			throw ex;
		}
		frames.frameLimit(frameLimit);
		FrameChannel.sendBufferFor(channel, frameLimit);
		InstanceConnection connection = new InstanceConnection(frames, healthCheckRequests, supervisorGone,
				new CommandTarget(path, instanceId, proofs.commandKey(secret), frameLimit));
		connection.startReader();
		Message answer = connection
			.request(new Message.Hello(proofs.byInstance(secret), ProcessHandle.current().pid(), settings));
		if (answer instanceof Message.Reply reply && !reply.isOk()) {
			connection.close();
			throw new SamException(SamError.LIBRARY, "the supervisor refused the registration: " + reply.message());
		}
		if (answer instanceof Message.StandbyWelcome standby) {
			connection.promotion = new CompletableFuture<>();
			return new Connected(connection, new Message.Welcome(standby.instanceId(), standby.supervisorPid(),
					standby.restartCount(), standby.data()), true);
		}
		if (!(answer instanceof Message.Welcome welcome)) {
			connection.close();
			throw new SamException(SamError.LIBRARY, "the supervisor answered the hello with " + answer);
		}
		return new Connected(connection, welcome, false);
	}

	/**
	 * Connects to the supervisor's socket, waiting for it to appear: instance 1 is
	 * launched while the supervisor re-executes itself as a lean JVM, which binds the
	 * socket only once it runs (see {@code SupervisorReexec}); it normally does so long
	 * before the application gets here.
	 */
	static SocketChannel connectWithin(String path, Duration patience) {
		long deadline = System.nanoTime() + patience.toNanos();
		while (true) {
			SocketChannel channel = null;
			try {
				channel = SocketChannel.open(StandardProtocolFamily.UNIX);
				channel.connect(UnixDomainSocketAddress.of(path));
				return channel;
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(channel);
				if (!notThereYet(path, ex) || System.nanoTime() - deadline > 0) {
					throw new SamException(SamError.LIBRARY, "cannot reach the supervisor at " + path + ": " + ex, ex);
				}
			}
			LockSupport.parkNanos(CONNECT_RETRY.toNanos());
		}
	}

	/**
	 * Whether a failed connect may succeed later: nothing at the path yet, or a socket
	 * nobody listens on yet. A directory or a regular file there will never do.
	 */
	private static boolean notThereYet(String path, Exception failure) {
		// Refused (ECONNREFUSED) or missing (ENOENT); the socket may appear between the
		// two looks.
		Path file = Path.of(path);
		return failure instanceof java.net.SocketException && !Files.isDirectory(file) && !Files.isRegularFile(file);
	}

	static void closeQuietly(SocketChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing was connected
			}
		}
	}

	/** A connection and the welcome it received. */
	public record Connected(InstanceConnection connection, Message.Welcome welcome, boolean standby) {
	}

	/**
	 * Sends a command and waits for its answer.
	 * @throws SamException {@link SamError#LIBRARY} if the channel fails,
	 * {@link SamError#TIMEOUT} if no answer comes
	 */
	public Message request(Message message) {
		return request(message, REPLY_TIMEOUT);
	}

	/**
	 * Sends a command and waits for its answer at most {@code timeout}, or for as long as
	 * it takes when {@code null} (start() waiting for quorum, as corosync's sam_start
	 * blocks).
	 */
	public Message request(Message message, Duration timeout) {
		synchronized (this.requestLock) {
			if (message instanceof Message.DataStore && timeout != null) {
				long deadline = System.nanoTime() + timeout.toNanos();
				Message answer = requestOnCommandConnection(message, timeout, deadline);
				if (answer != null) {
					return answer;
				}
				// What is left of the time, for the control connection.
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw timedOut(message, timeout);
				}
				return requestOnControlConnection(message, Duration.ofNanos(left), timeout);
			}
			return requestOnControlConnection(message, timeout, timeout);
		}
	}

	/**
	 * Sends a data store over the {@link CommandConnection}, opening it the first time,
	 * and reads the answer on this thread. A store that times out leaves the connection
	 * as it is: its answer, when it comes, is skipped, and the next store follows it on
	 * the same connection, so that stores reach the supervisor in the order they were
	 * made.
	 * @param deadline when to give up ({@link System#nanoTime()}), opening included
	 * @return the answer, or {@code null} when the store must go over the control
	 * connection instead: this is a standby not yet promoted (the supervisor does not
	 * keep its stores as it reads them), no command connection could be opened (an
	 * embedded channel keeps none), or the one open failed (the store is sent again on
	 * the control connection; storing the same bytes twice leaves the same data)
	 */
	private Message requestOnCommandConnection(Message message, Duration timeout, long deadline) {
		if (this.promotion != null || this.ended || this.closing) {
			return null;
		}
		CommandConnection connection = commandConnection(deadline);
		if (connection == null) {
			return null;
		}
		try {
			return connection.exchange(message, deadline, mayWatch(message), ANSWER_SPIN_NANOS);
		}
		catch (TimeoutException ex) {
			if (!connection.isOpen()) {
				// It could not even be written whole: that connection is over.
				dropCommandConnection();
			}
			throw timedOut(message, timeout);
		}
		catch (IOException ex) {
			dropCommandConnection();
			LOG.debug("the command connection failed (" + ex.getMessage()
					+ "); the data store goes over the control connection");
			return null;
		}
	}

	/**
	 * The command connection, opened now if there is none; {@code null} if the supervisor
	 * refuses it or it cannot be opened.
	 */
	private CommandConnection commandConnection(long deadline) {
		CommandConnection current = this.commands;
		if (current != null) {
			return current;
		}
		if (this.commandsRefused) {
			return null;
		}
		CommandTarget target = this.commandTarget;
		try {
			current = CommandConnection.open(target.path(), target.instanceId(), target.commandKey(),
					target.frameLimit(), deadline);
		}
		catch (SamException ex) {
			// Not the supervisor's answer: something is wrong with the socket.
			this.commandsRefused = true;
			LOG.warn("data stores go over the control connection from now on: " + ex.getMessage());
			return null;
		}
		if (current == null) {
			// A supervisor that once took one may only still hold the one before: the
			// next store asks again.
			this.commandsRefused = !this.commandsOpened;
			if (this.commandsRefused) {
				LOG.info("data stores go over the control connection: the supervisor keeps no command connection"
						+ " (an embedded control channel)");
			}
			return null;
		}
		this.commandsOpened = true;
		this.commands = current;
		if (this.closing) {
			dropCommandConnection();
			return null;
		}
		return current;
	}

	private void dropCommandConnection() {
		CommandConnection current = this.commands;
		this.commands = null;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * @param stated the time-out the caller asked for, which a time-out names
	 */
	private Message requestOnControlConnection(Message message, Duration timeout, Duration stated) {
		CompletableFuture<Message> answer = new CompletableFuture<>();
		this.pendingAnswer = answer;
		try {
			send(message);
			// A reader busy with a check would read the answer only after it.
			handOffReading();
			awaitBriefly(answer, message);
			return (timeout != null) ? answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS) : answer.get();
		}
		catch (TimeoutException ex) {
			SamException timedOut = timedOut(message, stated);
			if (!answer.completeExceptionally(timedOut)) {
				// The answer (or the channel's end) came in the same moment.
				try {
					return answer.join();
				}
				catch (CompletionException failed) {
					throw new SamException(SamError.LIBRARY,
							"control channel failed: " + failed.getCause().getMessage(), failed.getCause());
				}
			}
			this.lateAnswers.incrementAndGet();
			throw timedOut;
		}
		catch (ExecutionException ex) {
			throw new SamException(SamError.LIBRARY, "control channel failed: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SamException(SamError.LIBRARY, "interrupted while waiting for the supervisor");
		}
		finally {
			this.pendingAnswer = null;
		}
	}

	private static SamException timedOut(Message message, Duration timeout) {
		return new SamException(SamError.TIMEOUT, "the supervisor did not answer " + message.getClass().getSimpleName()
				+ " within " + SamSettings.format(timeout) + " (it may be stopped, frozen or starved)");
	}

	/**
	 * Whether a caller may watch for this command's answer rather than wait for it at
	 * once: with more than one CPU, and for small commands (large stores take longer).
	 */
	private static boolean mayWatch(Message message) {
		return MAY_SPIN && !(message instanceof Message.DataStore store && store.data() != null
				&& store.data().length > ANSWER_SPIN_MAX_DATA);
	}

	/**
	 * Watches, for at most {@link #ANSWER_SPIN_NANOS}, for the reader thread to hand over
	 * the answer, instead of parking at once. The supervisor's loop answers a command as
	 * soon as it reads it, so a small command's answer is usually back within tens of
	 * microseconds; a parked caller must then be woken by the reader, and waking a thread
	 * whose CPU has gone idle costs more than the whole exchange on a virtual machine
	 * (about 80 us of a 110 us data store on the benchmark machine; 15-30 us watching).
	 * Large stores and single-CPU machines park at once.
	 */
	private static void awaitBriefly(CompletableFuture<Message> answer, Message message) {
		if (!mayWatch(message)) {
			return;
		}
		long until = System.nanoTime() + ANSWER_SPIN_NANOS;
		while (!answer.isDone() && System.nanoTime() - until < 0) {
			Thread.onSpinWait();
		}
	}

	/** Sends a message that has no answer (a heartbeat or a health-check result). */
	public void send(Message message) {
		synchronized (this.writeLock) {
			try {
				this.frames.write(message);
			}
			catch (IOException ex) {
				throw new SamException(SamError.LIBRARY, "cannot write to the supervisor: " + ex.getMessage(), ex);
			}
		}
	}

	/** Sends a command and fails unless the supervisor answers OK. */
	public void command(Message message) {
		command(message, REPLY_TIMEOUT);
	}

	/**
	 * Sends a command, waiting at most {@code timeout} ({@code null}: no limit), and
	 * fails unless it is OK.
	 */
	public void command(Message message, Duration timeout) {
		checked(request(message, timeout));
	}

	/**
	 * Sends a command and returns the supervisor's OK reply (its message may say more);
	 * fails otherwise.
	 */
	public Message.Reply commandReply(Message message) {
		return checked(request(message, REPLY_TIMEOUT));
	}

	/**
	 * Waits, holding no lock, until a start that the supervisor answered with
	 * {@link Message.Reply#WAITING_FOR_QUORUM} has completed (the cluster became
	 * quorate).
	 */
	public void awaitQuorumStart() {
		try {
			this.quorumStart.get();
		}
		catch (ExecutionException ex) {
			throw new SamException(SamError.LIBRARY,
					"control channel failed while waiting for quorum: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SamException(SamError.LIBRARY, "interrupted while waiting for quorum");
		}
		finally {
			this.quorumStart = new CompletableFuture<>();
		}
	}

	/**
	 * Tells the supervisor this standby is parked and waits, holding no lock, for the
	 * welcome that promotes it, saying it is alive every {@code heartbeatEvery}
	 * meanwhile.
	 * @return the welcome: the instance id, the restart count and the data as they are
	 * now
	 * @throws SamException if the channel ends, or the thread is interrupted (its
	 * interrupt status is kept: Spring interrupts a start-up it closes)
	 */
	public Message.Welcome awaitPromotion(Duration heartbeatEvery) {
		CompletableFuture<Message.Welcome> promoted = this.promotion;
		if (promoted == null) {
			throw new SamException(SamError.BAD_HANDLE, "this instance is not a standby");
		}
		send(new Message.StandbyReady());
		try {
			while (true) {
				try {
					Message.Welcome welcome = promoted.get(heartbeatEvery.toNanos(), TimeUnit.NANOSECONDS);
					this.promotion = null;
					return welcome;
				}
				catch (TimeoutException ex) {
					send(new Message.Heartbeat());
				}
			}
		}
		catch (ExecutionException ex) {
			throw new SamException(SamError.LIBRARY,
					"control channel failed while waiting for promotion: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SamException(SamError.LIBRARY, "interrupted while waiting to be promoted from standby");
		}
	}

	private static Message.Reply checked(Message answer) {
		if (!(answer instanceof Message.Reply reply)) {
			throw new SamException(SamError.LIBRARY, "unexpected answer " + answer);
		}
		if (!reply.isOk()) {
			SamError error;
			try {
				error = SamError.valueOf(reply.error());
			}
			catch (IllegalArgumentException ex) {
				error = SamError.LIBRARY;
			}
			throw new SamException(error, (reply.message() != null) ? reply.message() : "refused by the supervisor");
		}
		return reply;
	}

	@Override
	public void close() {
		this.closing = true;
		CommandConnection current = this.commands;
		if (current != null) {
			current.close();
		}
		try {
			this.frames.close();
		}
		catch (IOException ex) {
			// Nothing left to do with a channel being closed.
		}
	}

	private void startReader() {
		Thread reader = new Thread(() -> readLoop(true), "sam-channel");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Hands reading over to the other reader thread if the thread holding the role is
	 * running a check and has not handed it over yet; otherwise does nothing. Called by
	 * the check's handler when the check runs long, and by commands.
	 */
	private void handOffReading() {
		if (this.checkHoldsRole.get() && this.checkHoldsRole.compareAndSet(true, false)) {
			passReaderRole();
		}
	}

	/** Gives the reader role to the other reader thread, starting it the first time. */
	private void passReaderRole() {
		if (!this.secondReaderStarted) {
			this.secondReaderStarted = true;
			Thread reader = new Thread(() -> readLoop(false), "sam-channel-2");
			reader.setDaemon(true);
			reader.start();
		}
		this.readerRole.release();
	}

	/**
	 * Who hears the supervisor's {@link Message.Notice}s; called on the reader thread, so
	 * it must not block.
	 */
	public void onNotice(Consumer<Message.Notice> listener) {
		this.notices = listener;
	}

	private void tell(Message.Notice notice) {
		try {
			this.notices.accept(notice);
		}
		catch (RuntimeException ex) {
			LOG.warn("a listener failed on the supervisor's notice " + notice.kind() + ": " + ex);
		}
	}

	private void readLoop(boolean holdsRole) {
		if (!holdsRole) {
			this.readerRole.acquireUninterruptibly();
			if (this.ended) {
				return;
			}
		}
		Throwable failure = null;
		try {
			while (true) {
				Message message = this.frames.read();
				if (message == null) {
					break;
				}
				if (message instanceof Message.HealthCheckRequest request) {
					if (this.healthCheckRequests.begin(request)) {
						this.checkHoldsRole.set(true);
						this.healthCheckRequests.run(request, this.handOffReading);
						if (!this.checkHoldsRole.compareAndSet(true, false)) {
							// Reading was handed over during the check: the other reader
							// has the role until it, in turn, hands it back.
							this.readerRole.acquireUninterruptibly();
							if (this.ended) {
								// The other reader saw the channel end (and reported it)
								// while this one ran the check.
								this.readerRole.release();
								return;
							}
						}
					}
				}
				else if (message instanceof Message.QuorumStart) {
					this.quorumStart.complete(null);
				}
				else if (message instanceof Message.ThreadDumpRequest request) {
					// On this thread, at once: the warning signal follows on its heels.
					ThreadDumpFile.write(request.path());
				}
				else if (message instanceof Message.Notice notice) {
					// Never an answer: it may arrive while a command waits for one.
					tell(notice);
				}
				else if (message instanceof Message.Welcome welcome && this.promotion != null) {
					this.promotion.complete(welcome);
				}
				else if (this.lateAnswers.getAndUpdate((late) -> (late > 0) ? late - 1 : late) > 0) {
					LOG.debug("the supervisor's late " + message.getClass().getSimpleName()
							+ " to a request that timed out; dropped");
				}
				else {
					CompletableFuture<Message> answer = this.pendingAnswer;
					if (answer != null) {
						if (!answer.complete(message)) {
							// Its request timed out in this very moment and counted it
							// late.
							this.lateAnswers.decrementAndGet();
						}
					}
					else {
						LOG.warn("unexpected " + message.getClass().getSimpleName() + " from the supervisor; ignored");
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		this.ended = true;
		// A reader running a check takes the role back when its check ends, sees the end
		// and leaves.
		this.readerRole.release();
		CompletableFuture<Message> answer = this.pendingAnswer;
		IOException closed = new IOException("supervisor closed the channel");
		if (answer != null) {
			answer.completeExceptionally((failure != null) ? failure : closed);
		}
		this.quorumStart.completeExceptionally((failure != null) ? failure : closed);
		CompletableFuture<Message.Welcome> promoted = this.promotion;
		if (promoted != null) {
			promoted.completeExceptionally((failure != null) ? failure : closed);
		}
		if (!this.closing) {
			LOG.error("the supervisor's control channel ended"
					+ ((failure != null) ? " (" + failure.getMessage() + ")" : "")
					+ "; the supervisor is gone, and this instance stops rather than run unsupervised");
			this.supervisorGone.run();
		}
	}

}
