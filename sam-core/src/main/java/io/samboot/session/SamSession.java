package io.samboot.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.samboot.CheckResult;
import io.samboot.EndCause;
import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckListener;
import io.samboot.LoopbackHttpUrl;
import io.samboot.PosixSignal;
import io.samboot.Sam;
import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamHandle;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.SamStatus;
import io.samboot.SupervisorNoticeListener;
import io.samboot.instance.HealthCheckRunner;
import io.samboot.instance.InheritedListeningSocket;
import io.samboot.instance.InstanceConnection;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.Message;
import io.samboot.protocol.ProtocolException;
import io.samboot.protocol.StatusMessages;
import io.samboot.supervisor.ClusterServices;
import io.samboot.supervisor.SupervisionDecision;
import io.samboot.supervisor.Supervisor;

/**
 * The SAM handle of this process ({@code sam_internal_data} in corosync): the state
 * machine NOT_INITIALIZED, INITIALIZED, REGISTERED, STARTED, FINALIZED, with corosync's
 * error for every call made in the wrong state ({@link SessionPhase}), the stored data
 * ({@link StoredData}), and in the instance the connection to the supervisor.
 */
public final class SamSession implements SamHandle {

	private static final SamLog LOG = SamLog.get(Sam.class);

	/**
	 * How long {@link #status()} waits for the supervisor. The loop answers at once;
	 * longer means it is stopped, frozen or starved, and a health or metrics endpoint
	 * that reads the status must not hang with it (a probe gives up after a second or
	 * two). Commands that change state (a data store) keep the longer
	 * {@link InstanceConnection#REPLY_TIMEOUT}: they must not fail while the supervisor
	 * would still take them.
	 */
	public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

	enum Phase {

		NOT_INITIALIZED, INITIALIZED, REGISTERED, STARTED, FINALIZED

	}

	private final SupervisionDecision decision;

	private final Map<String, String> environment;

	private final BiConsumer<SamSettings, byte[]> supervise;

	private final SessionPhase phase = new SessionPhase();

	private final StoredData data = new StoredData();

	private SamSettings settings;

	/**
	 * Volatile: every event-driven check reads it, without this handle's lock (a data
	 * store may hold it).
	 */
	private volatile HealthCheckCallback callback;

	private boolean callbackEverRegistered;

	private volatile HealthCheckListener listener = HealthCheckListener.NO_OP;

	private volatile SupervisorNoticeListener noticeListener = SupervisorNoticeListener.NO_OP;

	private InstanceConnection connection;

	private HealthCheckRunner runner;

	private int instanceId;

	private int restartCount;

	private long supervisorPid = -1;

	private boolean failed;

	private boolean starting;

	private boolean waitingForQuorum;

	/**
	 * This JVM is the hot standby: registered under the next instance's id, parked until
	 * it is promoted. Volatile: the promotion is awaited without the lock.
	 */
	private volatile boolean standby;

	/**
	 * @param supervise turns this process into the supervisor (settings, data stored so
	 * far); does not return
	 */
	SamSession(SupervisionDecision decision, Map<String, String> environment,
			BiConsumer<SamSettings, byte[]> supervise) {
		this.decision = decision;
		this.environment = environment;
		this.supervise = supervise;
	}

	/**
	 * The handle of this process, as {@link Sam} finds it through
	 * {@link java.util.ServiceLoader}.
	 */
	public SamSession() {
		this(SupervisionDecision.current(), System.getenv(), Supervisor::superviseThisProcess);
	}

	@Override
	public synchronized void initialize(SamSettings settings) {
		// corosync 3.1.7 (Debian's) checks the state first: a second initialize is
		// BAD_HANDLE whatever its arguments.
		this.phase.require("initialize", Phase.NOT_INITIALIZED);
		if (settings == null) {
			throw new SamException(SamError.INVALID_PARAM, "settings (time interval and recovery policy) are required");
		}
		if (settings.enabled() && (settings.quorum() || settings.cmap())) {
			try {
				// As corosync's sam_initialize with the quorum flag: no cluster, no
				// initialization.
				ClusterServices.fromClassPath().checkAvailable(settings.quorum(), settings.cmap());
			}
			catch (ClusterServices.ClusterUnavailableException ex) {
				throw new SamException(SamError.LIBRARY, ex.getMessage(), ex);
			}
		}
		this.settings = settings;
		if (this.decision.role() == SupervisionDecision.Role.INSTANCE) {
			armParentDeathSignal();
		}
		this.phase.set(Phase.INITIALIZED);
	}

	/**
	 * Fails with BAD_HANDLE unless {@code initialize} may be called (corosync checks the
	 * state first).
	 */
	@Override
	public synchronized void requireNotInitialized() {
		this.phase.require("initialize", Phase.NOT_INITIALIZED);
	}

	@Override
	public void supervisorNoticeListener(SupervisorNoticeListener listener) {
		this.noticeListener = (listener != null) ? listener : SupervisorNoticeListener.NO_OP;
	}

	/** Passes a notice from the supervisor on, on the channel's reader thread. */
	private void onNotice(Message.Notice notice) {
		SupervisorNoticeListener target = this.noticeListener;
		switch (notice.kind()) {
			case Message.Notice.QUORUM_LOST -> target.quorumLost();
			case Message.Notice.QUORUM_REGAINED -> target.quorumRegained();
			case Message.Notice.STOPPING -> target.stopping(endCause(notice.cause()), notice.detail());
			default -> {
				// A newer supervisor may tell more than this instance knows.
			}
		}
	}

	private static EndCause endCause(String id) {
		try {
			return EndCause.ofId(id);
		}
		catch (RuntimeException ex) {
			// A cause a newer supervisor knows: the instance is stopped all the same.
			return EndCause.SHUTDOWN;
		}
	}

	@Override
	public synchronized void healthCheckListener(HealthCheckListener listener) {
		this.listener = (listener != null) ? listener : HealthCheckListener.NO_OP;
	}

	/**
	 * {@code sam_register}: in the instance returns the instance id; in the supervisor
	 * does not return.
	 */
	@Override
	public int register() {
		byte[] dataForSupervisor;
		synchronized (this) {
			this.phase.require("register", Phase.INITIALIZED);
			switch (this.decision.role()) {
				case INSTANCE -> {
					connect();
					this.phase.set(Phase.REGISTERED);
					return this.instanceId;
				}
				case ORPHAN -> {
					LOG.error("this instance's " + this.decision.reason() + "; it stops rather than run"
							+ " unsupervised");
					Runtime.getRuntime().halt(1);
					return 0;
				}
				case UNSUPERVISED -> {
					if (this.decision.staleHandoff()) {
						LOG.warn("SAM supervision is off: " + this.decision.reason() + " (the SAM API works locally)");
					}
					else {
						LOG.info("SAM supervision is off: " + this.decision.reason() + " (the SAM API works locally)");
					}
					this.phase.set(Phase.REGISTERED);
					return 0;
				}
				default -> {
					if (!this.settings.enabled()) {
						// sam.enabled=false wherever the settings came from (a Spring
						// profile, application.yml, an argument): one JVM, no supervisor.
						LOG.info(
								"SAM supervision is off: switched off with sam.enabled=false (the SAM API works locally)");
						this.phase.set(Phase.REGISTERED);
						return 0;
					}
					dataForSupervisor = this.data.stored();
				}
			}
		}
		// Outside the lock: the supervisor loop runs here for the rest of the process's
		// life.
		this.supervise.accept(this.settings, dataForSupervisor);
		throw new IllegalStateException("the supervisor returned");
	}

	private void connect() {
		int frameLimit = (int) Math.min(Integer.MAX_VALUE - 16,
				this.settings.dataStoreMaxSize() + FrameChannel.FRAME_OVERHEAD);
		this.runner = new HealthCheckRunner(this::currentCallback, this.settings.healthCheckTimeout(),
				this.settings.healthCheckRequestPeriod(), message -> this.connection.send(message),
				new HealthCheckListener() {
					@Override
					public void onCheck(HealthCheckListener.Outcome outcome, Duration duration, CheckResult result) {
						currentListener().onCheck(outcome, duration, result);
					}
				});
		InstanceConnection.Connected connected = InstanceConnection.connect(this.environment, this.settings.toMap(),
				frameLimit, this.runner, () -> Runtime.getRuntime().halt(1));
		this.connection = connected.connection();
		this.connection.onNotice(this::onNotice);
		this.standby = connected.standby();
		Message.Welcome welcome = connected.welcome();
		this.instanceId = welcome.instanceId();
		this.restartCount = welcome.restartCount();
		this.supervisorPid = welcome.supervisorPid();
		// The supervisor's data replaces anything stored before registration, as a forked
		// child inherits its parent's.
		this.data.replace(welcome.data());
	}

	private HealthCheckListener currentListener() {
		return this.listener;
	}

	private HealthCheckCallback currentCallback() {
		return this.callback;
	}

	private void armParentDeathSignal() {
		// Armed before this JVM began when the supervisor says so: no native call, which
		// would cost this start JNA's first load.
		if (!Handoff.PARENT_DEATH_ARMED.equals(this.environment.get(Handoff.PARENT_DEATH_SIGNAL))
				&& !NativeAccess.get().setParentDeathSignal(PosixSignal.KILL)) {
			LOG.warn("cannot ask the kernel to kill this instance with its supervisor (no"
					+ " prctl(PR_SET_PDEATHSIG) here); it stops when the control channel ends instead");
			return;
		}
		// The supervisor may have died before the signal was armed: then nothing will
		// ever send it.
		String expected = this.environment.get(Handoff.SUPERVISOR_PID);
		long parent = SupervisionDecision.parentPid();
		if (expected != null && !expected.equals(Long.toString(parent))) {
			LOG.error("supervisor " + expected + " died before this instance started; it stops rather than"
					+ " run unsupervised");
			Runtime.getRuntime().halt(1);
		}
	}

	/**
	 * Whether this JVM is the hot standby ({@code sam.standby.enabled}), not yet
	 * promoted.
	 */
	@Override
	public boolean standby() {
		return this.standby;
	}

	/**
	 * Parks this standby until the supervisor promotes it; returns at once in an active
	 * instance. Once promoted, this handle is the instance a restart would have launched:
	 * its id, its restart count and the data as stored until the promotion.
	 * @throws SamException if the supervisor goes, or the thread is interrupted (a
	 * shutdown)
	 */
	@Override
	public void awaitPromotion() {
		InstanceConnection channel;
		synchronized (this) {
			if (!this.standby) {
				return;
			}
			channel = this.connection;
		}
		LOG.info("standby: ready and parked until the supervisor promotes it");
		Message.Welcome welcome = channel.awaitPromotion(heartbeatPeriod(this.settings.timeInterval()));
		synchronized (this) {
			this.instanceId = welcome.instanceId();
			this.restartCount = welcome.restartCount();
			this.data.replace(welcome.data());
			this.standby = false;
		}
		LOG.info("standby promoted: this JVM is instance " + welcome.instanceId());
	}

	/**
	 * How often a parked standby says it is alive: a quarter of the time interval, as the
	 * supervisor's requests come, within 100 ms and 2 s.
	 */
	static Duration heartbeatPeriod(Duration timeInterval) {
		Duration quarter = timeInterval.dividedBy(4);
		Duration floor = Duration.ofMillis(100);
		Duration ceiling = Duration.ofSeconds(2);
		return (timeInterval.isZero() || quarter.compareTo(ceiling) > 0) ? ceiling
				: (quarter.compareTo(floor) < 0) ? floor : quarter;
	}

	/**
	 * Takes the web server's listening socket the supervisor keeps for the hot standby
	 * and makes it standard input, for the web server to use as its inherited channel.
	 * @return the port, or -1 when this JVM is not supervised
	 */
	@Override
	public int inheritListeningSocket(String host, int port) {
		InstanceConnection channel;
		synchronized (this) {
			channel = this.connection;
		}
		return (channel != null) ? InheritedListeningSocket.adopt(channel, NativeAccess.get(), host, port) : -1;
	}

	/**
	 * {@code sam_start}. With quorum it blocks until the cluster is quorate, as
	 * corosync's does, but without holding this handle's lock, so status, data and
	 * metrics calls go on meanwhile. A standby first waits to be promoted
	 * ({@link #awaitPromotion()}).
	 */
	@Override
	public void start() {
		awaitPromotion();
		InstanceConnection channel;
		boolean eventDriven;
		synchronized (this) {
			this.phase.require("start", Phase.REGISTERED);
			if (this.starting) {
				throw new SamException(SamError.BAD_HANDLE, "start() is already in progress");
			}
			this.starting = true;
			channel = this.connection;
			eventDriven = this.callback != null;
		}
		try {
			if (channel != null) {
				Message.Reply reply = channel.commandReply(new Message.Start(eventDriven));
				if (Message.Reply.WAITING_FOR_QUORUM.equals(reply.message())) {
					synchronized (this) {
						this.waitingForQuorum = true;
					}
					channel.awaitQuorumStart();
				}
			}
			synchronized (this) {
				this.phase.set(Phase.STARTED);
			}
		}
		finally {
			synchronized (this) {
				this.starting = false;
				this.waitingForQuorum = false;
			}
		}
	}

	@Override
	public synchronized void stop() {
		this.phase.require("stop", Phase.STARTED);
		if (this.connection != null) {
			this.connection.command(new Message.Stop());
		}
		this.phase.set(Phase.REGISTERED);
	}

	@Override
	public void hcSend() {
		this.phase.require("hcSend", Phase.STARTED);
		if (this.connection != null) {
			this.connection.send(new Message.Heartbeat());
		}
	}

	@Override
	public synchronized void hcCallbackRegister(HealthCheckCallback callback) {
		this.phase.require("hcCallbackRegister", Phase.REGISTERED);
		if (this.settings.timeInterval().isZero()) {
			throw new SamException(SamError.INVALID_PARAM, "event-driven checking needs a time interval above zero");
		}
		if (callback == null && !this.callbackEverRegistered) {
			throw new SamException(SamError.INVALID_PARAM,
					"callback is null (null switches back to hcSend() only" + " after a callback was registered)");
		}
		this.callback = callback;
		this.callbackEverRegistered = true;
	}

	@Override
	public synchronized void warnSignalSet(String signal) {
		this.phase.require("warnSignalSet", Phase.INITIALIZED, Phase.REGISTERED, Phase.STARTED);
		PosixSignal parsed;
		SamSettings changed;
		try {
			parsed = PosixSignal.parseWarningSignal(signal);
			changed = this.settings.withWarnSignal(parsed);
		}
		catch (IllegalArgumentException ex) {
			throw new SamException(SamError.INVALID_PARAM, ex.getMessage());
		}
		if (this.connection != null) {
			this.connection.command(new Message.WarnSignalSet(parsed.name()));
		}
		this.settings = changed;
	}

	@Override
	public synchronized void httpCheckUrl(String url) {
		this.phase.require("httpCheckUrl", Phase.REGISTERED, Phase.STARTED);
		try {
			LoopbackHttpUrl.check("health-check.http.url", url);
		}
		catch (IllegalArgumentException ex) {
			throw new SamException(SamError.INVALID_PARAM, ex.getMessage());
		}
		if (this.connection != null) {
			this.connection.command(new Message.HttpCheckUrl(url));
		}
	}

	@Override
	public synchronized void dataStore(byte[] bytes) {
		this.phase.require("dataStore", Phase.INITIALIZED, Phase.REGISTERED, Phase.STARTED);
		byte[] copy = StoredData.copyForStore(bytes, this.settings);
		if (this.connection != null) {
			this.connection.command(new Message.DataStore(copy));
		}
		this.data.replace(copy);
	}

	/**
	 * Lock-free, as every restore call: one volatile read of the phase and one of the
	 * stored array.
	 */
	@Override
	public byte[] dataRestore() {
		this.phase.requireDataPhase("dataRestore");
		return this.data.restore();
	}

	/**
	 * {@code sam_data_restore} into a caller's buffer: returns the number of bytes
	 * copied.
	 */
	@Override
	public int dataRestore(byte[] buffer) {
		if (buffer == null) {
			throw new SamException(SamError.INVALID_PARAM, "buffer is null");
		}
		this.phase.requireDataPhase("dataRestore");
		return this.data.restoreInto(buffer);
	}

	@Override
	public int dataGetSize() {
		this.phase.requireDataPhase("dataGetSize");
		return this.data.size();
	}

	@Override
	public synchronized void markFailed() {
		this.phase.require("markFailed", Phase.REGISTERED, Phase.STARTED);
		this.failed = true;
		if (this.connection != null) {
			// The supervisor kills this process right after answering.
			this.connection.command(new Message.MarkFailed());
		}
		else {
			LOG.warn("markFailed() called in an unsupervised process: nothing to end");
		}
	}

	@Override
	public synchronized void close() {
		this.phase.require("close", Phase.INITIALIZED, Phase.REGISTERED, Phase.STARTED);
		if (this.phase.get() == Phase.STARTED) {
			stop();
		}
		if (this.connection != null) {
			// The channel stays open: the supervisor takes its end as this process's end.
			this.connection.command(new Message.Close());
		}
		if (this.runner != null) {
			this.runner.shutdown();
		}
		this.data.replace(null);
		this.phase.set(Phase.FINALIZED);
	}

	@Override
	public synchronized int instanceId() {
		return this.instanceId;
	}

	@Override
	public synchronized int restartCount() {
		return this.restartCount;
	}

	@Override
	public synchronized SamState state() {
		if (this.failed) {
			return SamState.FAILED;
		}
		if (this.waitingForQuorum) {
			return SamState.WAITING_FOR_QUORUM;
		}
		return (this.phase.get() == Phase.STARTED) ? SamState.STARTED : SamState.REGISTERED;
	}

	@Override
	public synchronized boolean supervised() {
		return this.connection != null;
	}

	@Override
	public SamStatus status() {
		InstanceConnection channel;
		synchronized (this) {
			this.phase.require("status", Phase.REGISTERED, Phase.STARTED, Phase.FINALIZED);
			channel = this.connection;
			if (channel == null) {
				return localStatus();
			}
		}
		Message answer = channel.request(new Message.StatusRequest(), STATUS_TIMEOUT);
		if (!(answer instanceof Message.Status status)) {
			throw new SamException(SamError.LIBRARY, "unexpected answer " + answer);
		}
		try {
			return StatusMessages.fromMessage(status);
		}
		catch (ProtocolException ex) {
			throw new SamException(SamError.LIBRARY, ex.getMessage(), ex);
		}
	}

	private SamStatus localStatus() {
		long pid = ProcessHandle.current().pid();
		return new SamStatus(state(), this.instanceId, this.restartCount, this.settings.recoveryPolicy(),
				this.settings.timeInterval(), null, this.settings.warnSignal().signalName(), pid, this.supervisorPid,
				null, this.data.size(), List.of());
	}

	@Override
	public void requestRestart() {
		InstanceConnection channel;
		synchronized (this) {
			this.phase.require("requestRestart", Phase.REGISTERED, Phase.STARTED);
			channel = this.connection;
		}
		if (channel == null) {
			throw new SamException(SamError.NOT_SUPPORTED, "this process is not supervised: nobody can restart it");
		}
		channel.command(new Message.RestartRequest());
	}

	synchronized SamSettings settings() {
		return this.settings;
	}

	Phase phase() {
		return this.phase.get();
	}

	Duration timeInterval() {
		return settings().timeInterval();
	}

}
