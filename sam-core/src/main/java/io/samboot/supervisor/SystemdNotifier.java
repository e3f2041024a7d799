package io.samboot.supervisor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;

/**
 * Tells systemd what the supervisor does, through the notify socket systemd names in
 * {@code NOTIFY_SOCKET} (the {@code sd_notify(3)} datagram protocol), so that a unit with
 * {@code Type=notify} and {@code WatchdogSec=} sees the supervised application's real
 * state.
 *
 * <ul>
 * <li>{@code READY=1} (with {@code STATUS=} and {@code MAINPID=}, the supervisor's PID)
 * when the first instance starts health checking, and again when the instance that
 * replaces one ended by a requested restart starts; later starts only update
 * {@code STATUS=}. An instance that runs with {@code sam.enabled=false} is ready when it
 * registers, since it never starts health checking.</li>
 * <li>{@code STATUS=} on every transition, with the instance id:
 * {@code instance 2 started}, {@code instance 1 health-check-timeout: restarting (...)},
 * ...</li>
 * <li>{@code WATCHDOG=1} every half of {@code WATCHDOG_USEC}, only while the instance
 * passes its health checks: its last sign of health (or the start of checking) is younger
 * than its {@code time-interval}, or the interval is 0 and checking is started. Nothing
 * is sent while no instance is checked (before the first start, after {@code stop()},
 * while an instance is being ended and its successor starts), so systemd's watchdog fires
 * when SAM cannot bring a healthy instance back within {@code WatchdogSec}.
 * {@code WATCHDOG_PID}, when set, must be the supervisor's PID.</li>
 * <li>{@code RELOADING=1} (with {@code MONOTONIC_USEC=}) when a restart is requested
 * (SIGHUP, the endpoint), which is what {@code Type=notify-reload} expects;
 * {@code READY=1} ends it.</li>
 * <li>{@code STOPPING=1} when the supervisor decides to shut down, and when it
 * exits.</li>
 * </ul>
 *
 * <p>
 * Messages are sent on the caller's thread (the loop's) without ever blocking: a datagram
 * systemd cannot take is dropped. Pings come from one daemon thread. A failed send is
 * logged once; listener methods never throw.
 */
public final class SystemdNotifier implements SupervisorListener, AutoCloseable {

	/**
	 * The variable systemd sets to its notify socket: a path, or {@code @name} for an
	 * abstract socket.
	 */
	public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

	/**
	 * The variable systemd sets to the watchdog timeout in microseconds when
	 * {@code WatchdogSec=} is set.
	 */
	public static final String WATCHDOG_USEC = "WATCHDOG_USEC";

	/** The variable systemd sets to the PID that should send the pings. */
	public static final String WATCHDOG_PID = "WATCHDOG_PID";

	/**
	 * Longest text taken from the instance (a check's reason) into a {@code STATUS=}
	 * line.
	 */
	private static final int MAX_DETAIL = 200;

	private final SamLog log = SamLog.get(SystemdNotifier.class);

	private final String socket;

	private final NativeAccess os;

	private final long pid;

	private final LongSupplier nanoTime;

	private final long watchdogPeriodNanos;

	private final ScheduledExecutorService watchdog;

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	private final AtomicLong watchdogTicks = new AtomicLong();

	// Guarded by this: written on the loop thread, read by the watchdog thread.

	private int instanceId;

	private boolean checking;

	private boolean passThrough;

	private long lastHealthyNanos;

	private long timeIntervalNanos;

	private RecoveryPolicy recoveryPolicy = RecoveryPolicy.RESTART;

	private boolean readySent;

	private boolean reloading;

	private boolean stopping;

	SystemdNotifier(String socket, NativeAccess os, LongSupplier nanoTime, Duration watchdogPeriod) {
		this.socket = socket;
		this.os = os;
		this.pid = os.getpid();
		this.nanoTime = nanoTime;
		this.watchdogPeriodNanos = (watchdogPeriod != null) ? watchdogPeriod.toNanos() : 0;
		if (this.watchdogPeriodNanos > 0) {
			this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
				Thread thread = new Thread(task, "sam-systemd-watchdog");
				thread.setDaemon(true);
				return thread;
			});
			this.watchdog.scheduleAtFixedRate(this::watchdogTick, this.watchdogPeriodNanos, this.watchdogPeriodNanos,
					TimeUnit.NANOSECONDS);
		}
		else {
			this.watchdog = null;
		}
	}

	/**
	 * A notifier for the socket systemd names in the environment, or empty when there is
	 * none (or it cannot be used, which is logged once with the reason).
	 * @param env the supervisor's environment ({@code System.getenv()})
	 * @param os how to send the datagrams (JNA is needed)
	 */
	public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> env, NativeAccess os) {
		return fromEnvironment(env, os, System::nanoTime);
	}

	/**
	 * As {@link #fromEnvironment(Map, NativeAccess)} with the ticker that measures health
	 * and stamps {@code MONOTONIC_USEC} ({@link System#nanoTime()}, which is
	 * {@code CLOCK_MONOTONIC} on Linux).
	 */
	static Optional<SystemdNotifier> fromEnvironment(Map<String, String> env, NativeAccess os, LongSupplier nanoTime) {
		SamLog log = SamLog.get(SystemdNotifier.class);
		String socket = env.get(NOTIFY_SOCKET);
		if (socket == null || socket.isBlank()) {
			return Optional.empty();
		}
		if (!socket.startsWith("/") && !socket.startsWith("@")) {
			log.warn(NOTIFY_SOCKET + "=" + socket + " is neither a socket path nor an abstract name (@name), the only"
					+ " kinds SAM can send to: systemd will not hear from the supervisor (a Type=notify unit times"
					+ " out at start); use a unit with Type=exec, or a systemd that passes a Unix socket");
			return Optional.empty();
		}
		if (!os.isNative()) {
			log.warn(NOTIFY_SOCKET + " is set, but telling systemd needs JNA (net.java.dev.jna:jna) and native"
					+ " access is unavailable: systemd will not hear from the supervisor (a Type=notify unit times"
					+ " out at start); add JNA, or use a unit with Type=exec");
			return Optional.empty();
		}
		Duration period = watchdogPeriod(env, os.getpid(), log);
		SystemdNotifier notifier = new SystemdNotifier(socket, os, nanoTime, period);
		log.info("notifying systemd at " + NOTIFY_SOCKET + "=" + socket + ((period != null)
				? "; WATCHDOG=1 every " + DurationText.of(period) + " while the instance passes its health checks"
				: ""));
		return Optional.of(notifier);
	}

	/**
	 * Half of {@code WATCHDOG_USEC} when it applies to this process, else {@code null}.
	 */
	private static Duration watchdogPeriod(Map<String, String> env, long pid, SamLog log) {
		String usec = env.get(WATCHDOG_USEC);
		if (usec == null || usec.isBlank()) {
			return null;
		}
		String watchdogPid = env.get(WATCHDOG_PID);
		if (watchdogPid != null && !watchdogPid.isBlank() && !watchdogPid.trim().equals(Long.toString(pid))) {
			log.info(WATCHDOG_PID + "=" + watchdogPid.trim() + " is not the supervisor (pid " + pid
					+ "): it sends no watchdog pings");
			return null;
		}
		long micros;
		try {
			micros = Long.parseLong(usec.trim());
		}
		catch (NumberFormatException ex) {
			micros = -1;
		}
		if (micros <= 0) {
			log.warn(WATCHDOG_USEC + "=" + usec + " is not a positive number of microseconds: the supervisor sends"
					+ " no watchdog pings, so systemd's watchdog (WatchdogSec=) will stop the service; fix the unit");
			return null;
		}
		return Duration.ofNanos(Math.max(1, micros * 1000 / 2));
	}

	// ---- listener
	// ----------------------------------------------------------------------------

	@Override
	public void instanceLaunched(int instanceId, long pid) {
		synchronized (this) {
			this.instanceId = instanceId;
			this.checking = false;
			this.passThrough = false;
		}
		send("STATUS=instance " + instanceId + " launched (pid " + pid + ")");
	}

	@Override
	public void instanceRegistered(int instanceId, SamSettings settings) {
		String message;
		synchronized (this) {
			this.timeIntervalNanos = settings.timeInterval().toNanos();
			this.recoveryPolicy = settings.recoveryPolicy();
			if (settings.enabled()) {
				message = "STATUS=instance " + instanceId + " registered";
			}
			else {
				// It never starts health checking: ready now, and alive is all the
				// watchdog can know.
				this.passThrough = true;
				message = readyOrStatus("instance " + instanceId + " runs unsupervised (sam.enabled=false)");
			}
		}
		send(message);
	}

	@Override
	public void healthCheckingStarted(int instanceId) {
		String message;
		synchronized (this) {
			this.checking = true;
			this.lastHealthyNanos = this.nanoTime.getAsLong();
			message = readyOrStatus("instance " + instanceId + " started");
		}
		send(message);
	}

	/**
	 * {@code READY=1} the first time and after a reload, {@code STATUS=} only otherwise;
	 * holds the lock.
	 */
	private String readyOrStatus(String status) {
		if (this.readySent && !this.reloading) {
			return "STATUS=" + status;
		}
		this.readySent = true;
		this.reloading = false;
		return "READY=1\nSTATUS=" + status + "\nMAINPID=" + this.pid;
	}

	@Override
	public void healthCheckingStopped(int instanceId) {
		synchronized (this) {
			this.checking = false;
		}
		send("STATUS=instance " + instanceId + " stopped health checking");
	}

	@Override
	public void instanceHealthy(int instanceId) {
		synchronized (this) {
			if (instanceId == this.instanceId) {
				this.lastHealthyNanos = this.nanoTime.getAsLong();
			}
		}
	}

	@Override
	public void stateChanged(int instanceId, SamState state) {
		// Registered and started have their own hooks; these two have none.
		if (state == SamState.WAITING_FOR_QUORUM) {
			send("STATUS=instance " + instanceId + " waits for quorum");
		}
		else if (state == SamState.FAILED) {
			send("STATUS=instance " + instanceId + " failed");
		}
	}

	@Override
	public void endingDecided(int instanceId, EndCause cause, String detail) {
		String message;
		synchronized (this) {
			this.checking = false;
			this.passThrough = false;
			String status = "STATUS=instance " + instanceId + " " + cause.id() + ": ";
			switch (cause) {
				case SHUTDOWN -> {
					this.stopping = true;
					message = "STOPPING=1\n" + status + "stopping";
				}
				case RESTART_REQUESTED -> {
					this.reloading = true;
					message = "RELOADING=1\nMONOTONIC_USEC=" + (this.nanoTime.getAsLong() / 1000) + "\n" + status
							+ "restarting";
				}
				case MARKED_FAILED -> message = status + "stopping";
				default -> message = status + ((this.recoveryPolicy == RecoveryPolicy.RESTART) ? "restarting"
						: "stopping (recovery-policy quit)");
			}
			if (detail != null && !detail.isBlank()) {
				message += " (" + oneLine(detail) + ")";
			}
		}
		send(message);
	}

	@Override
	public void instanceEnded(InstanceRecord record) {
		send("STATUS=instance " + record.instanceId() + " ended: "
				+ ((record.signal() != null) ? "killed by " + record.signal() : "exit status " + record.exitStatus())
				+ ", cause " + record.cause().id());
	}

	@Override
	public void supervisorExiting(int status, boolean failed) {
		synchronized (this) {
			this.stopping = true;
			this.checking = false;
			this.passThrough = false;
		}
		send("STOPPING=1\nSTATUS=supervisor exits with status " + status + (failed ? " (state failed)" : ""));
		close();
	}

	// ---- watchdog
	// ----------------------------------------------------------------------------

	/**
	 * One period of the watchdog thread: a ping if the instance passes its checks now.
	 */
	void watchdogTick() {
		try {
			if (passing(this.nanoTime.getAsLong())) {
				send("WATCHDOG=1");
			}
		}
		catch (RuntimeException ex) {
			// A periodic task that throws is never run again: keep the watchdog alive
			// whatever happens.
			logFailure(ex);
		}
		finally {
			this.watchdogTicks.incrementAndGet();
		}
	}

	/**
	 * Whether the instance passes its health checks at {@code now} (ticker nanoseconds).
	 */
	synchronized boolean passing(long now) {
		if (this.stopping) {
			return false;
		}
		if (this.passThrough) {
			return true;
		}
		return this.checking && (this.timeIntervalNanos == 0 || now - this.lastHealthyNanos < this.timeIntervalNanos);
	}

	/** How many watchdog periods have run (whether they pinged or not), for tests. */
	long watchdogTicks() {
		return this.watchdogTicks.get();
	}

	/** Half of {@code WATCHDOG_USEC}, or zero without a watchdog. */
	Duration watchdogPeriod() {
		return Duration.ofNanos(this.watchdogPeriodNanos);
	}

	String socket() {
		return this.socket;
	}

	// ---- sending
	// -----------------------------------------------------------------------------

	/**
	 * Text the instance chose (a health check's reason), made safe for one
	 * {@code STATUS=} line: a line break would start a new assignment such as
	 * {@code READY=1}.
	 */
	static String oneLine(String text) {
		StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_DETAIL + 3));
		for (int i = 0; i < text.length() && line.length() < MAX_DETAIL; i++) {
			char c = text.charAt(i);
			line.append(Character.isISOControl(c) ? ' ' : c);
		}
		if (text.length() > MAX_DETAIL) {
			line.append("...");
		}
		return line.toString();
	}

	private void send(String message) {
		try {
			this.os.sendDatagram(this.socket, (message + "\n").getBytes(StandardCharsets.UTF_8));
		}
		catch (RuntimeException | LinkageError ex) {
			logFailure(ex);
		}
	}

	private void logFailure(Throwable ex) {
		if (this.failureLogged.compareAndSet(false, true)) {
			this.log.warn("cannot notify systemd at " + NOTIFY_SOCKET + "=" + this.socket + ": " + ex.getMessage()
					+ "; the supervisor goes on without telling systemd (further failures are not logged)");
		}
	}

	/**
	 * Stops the watchdog thread; nothing is sent afterwards but what the listener methods
	 * send.
	 */
	@Override
	public void close() {
		if (this.watchdog != null) {
			this.watchdog.shutdownNow();
		}
	}

	@Override
	public String toString() {
		return "systemd notifier (" + NOTIFY_SOCKET + "=" + this.socket + ")";
	}

}
