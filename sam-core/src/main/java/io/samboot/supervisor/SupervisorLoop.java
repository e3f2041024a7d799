package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

import io.samboot.EndCause;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.SamStatus;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.protocol.Message.Reply;
import io.samboot.protocol.StatusMessages;
import io.samboot.supervisor.Deadlines.Deadline;
import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import io.samboot.supervisor.SupervisedInstance.Phase;

/**
 * The supervisor's loop: one thread that launches instances, enforces the health-check
 * time interval, sends the warning signal and SIGKILL, applies the recovery policy and
 * finally exits with the last instance's status. See the package documentation for the
 * states and transitions.
 *
 * <p>
 * Everything arrives as a {@link SupervisorEvent} from one {@link SupervisorEvents}
 * (whose {@link SupervisorInbox} reads the instances' sockets on this same thread while
 * the loop waits); deadlines are computed from an injected nanosecond ticker.
 * {@link #handle} and {@link #onTime} hold every decision, so tests drive them directly
 * with a fake clock, launcher and channel. What the decisions act on is kept by small
 * parts: {@link Deadlines} (what is due, and when), {@link Launches} and
 * {@link Registrations} (an instance's beginning), {@link HealthChecks} and
 * {@link PauseGrace} (its signs of life), {@link InstanceStopper} and
 * {@link InstanceHistory} (its end), {@link Restarts} (what follows it),
 * {@link Supervision} (where supervision stands, and its own end),
 * {@link SupervisorDataStore}, {@link ClusterLink} and {@link SupervisorListeners}.
 */
final class SupervisorLoop {

	private final SamLog log = SamLog.get(SupervisorLoop.class);

	private final SupervisorEvents events;

	private final ControlChannel channel;

	private final LongSupplier nanoTime;

	private final Clock clock;

	private final long supervisorPid;

	private final SupervisorListeners listeners = new SupervisorListeners(this.log);

	private final Deadlines deadlines = new Deadlines(this::current, this::settings);

	private final PauseGrace pauseGrace = new PauseGrace(this.log);

	private final Restarts restarts = new Restarts(this.deadlines, this.log);

	private final SupervisorDataStore dataStore;

	private final InstanceHistory history;

	private final ClusterLink cluster;

	private final Registrations registrations;

	private final Launches launches;

	private final HealthChecks health;

	private final HttpChecks http;

	private final InstanceStopper stopper;

	private final ExitAtClose exitAtClose;

	private final Supervision supervision;

	private final Standby standby;

	private final ListeningSockets listeningSockets;

	/**
	 * Instances the standby replaced while they were going: their warning signal or
	 * graceful stop, and the SIGKILL after it, still run their course.
	 */
	private final List<SupervisedInstance> replaced = new ArrayList<>();

	/** What becomes of the processes instances leave behind. */
	private Leftovers leftovers = Leftovers.NONE;

	/** The instances' JDWP agent, which may waive their health-check limits. */
	private InstanceDebugger debugger = InstanceDebugger.NONE;

	/** Standbys promoted so far. */
	private int promotions;

	/** The code of an instance's end has run once ({@link EndRehearsal}). */
	private boolean endRehearsed;

	/**
	 * The settings in force: the registered instance's with run-time changes; before it,
	 * the supervisor's own.
	 */
	private SamSettings settings;

	/**
	 * The instance being supervised; {@code null} between two, and once the supervisor
	 * exits.
	 */
	private SupervisedInstance current;

	SupervisorLoop(SupervisorEvents events, SamSettings settings, byte[] data, InstanceLauncher launcher,
			ControlChannel channel, NativeAccess os, IntConsumer exit, LongSupplier nanoTime, Clock clock) {
		this.events = events;
		this.settings = settings;
		this.channel = channel;
		this.nanoTime = nanoTime;
		this.clock = clock;
		this.supervisorPid = os.getpid();
		this.dataStore = new SupervisorDataStore(data, settings, nanoTime);
		this.cluster = new ClusterLink(this.supervisorPid,
				quorate -> events.post(new SupervisorEvent.QuorumChanged(quorate)), this.listeners::add);
		this.registrations = new Registrations(channel, this.dataStore, this.cluster, this.listeners, this.log,
				this.supervisorPid);
		this.launches = new Launches(launcher, channel, this.supervisorPid, events::post, this.listeners, this.log,
				clock, nanoTime);
		this.history = new InstanceHistory(this.listeners, this.log, clock);
		this.health = new HealthChecks(channel, this.dataStore, this.pauseGrace, this.listeners, this.log, clock,
				nanoTime);
		this.http = new HttpChecks(new HttpCheckClient(events::post), this.log);
		this.stopper = new InstanceStopper(os, this.listeners, this.log, nanoTime);
		this.exitAtClose = new ExitAtClose(os, this.log);
		this.stopper.threadDumps(new ThreadDumps(channel, clock));
		this.supervision = new Supervision(this.listeners, this.cluster, channel, exit, this.log);
		this.standby = new Standby(this.launches, this.stopper, this.log, clock);
		this.listeningSockets = new ListeningSockets(os, this.log);
		this.deadlines.watchStandby((now) -> this.standby.remaining(this.settings, standbyWanted(), now),
				this::replacedKillRemaining);
		channel.dataSink(this.dataStore);
		this.listeners.add(new InstanceNotices(channel));
	}

	/**
	 * Launches the first instance and runs until the supervisor exits. Never returns
	 * normally.
	 */
	void run() {
		start(this.nanoTime.getAsLong());
		while (!hasExited()) {
			pass();
		}
	}

	/**
	 * One wait for an event or a deadline, and what follows. A method of its own, not the
	 * body of {@link #run}'s loop: a method called a few times a second is compiled after
	 * a few seconds, while a loop that never returns runs interpreted until the JIT
	 * replaces it on the stack, minutes later at that pace.
	 */
	private void pass() {
		long now = this.nanoTime.getAsLong();
		long wait = this.deadlines.next(now) - now;
		SupervisorEvent event = this.events.next(wait);
		long woke = this.nanoTime.getAsLong();
		if (woke - now - Math.max(wait, 0) > Deadlines.notScheduledNanos(this.settings)) {
			supervisorWasAway(woke - now - Math.max(wait, 0), woke);
		}
		now = woke;
		if (event != null) {
			handle(event, now);
			// Stopped while it handled the event: the time it acts on is stale, and
			// the instance's signs of life could not reach it meanwhile either.
			now = scheduledSince(now);
		}
		if (!hasExited()) {
			onTime(now);
			// Stopped while it looked at its deadlines: the next pass would find the
			// instance's deadline passed with its answer still in the socket.
			scheduledSince(now);
		}
	}

	/**
	 * The time now, after giving the instance a fresh deadline if the loop has been
	 * running since {@code since} too long to have been scheduled all along: between two
	 * reads of the clock that did not sleep, only a stop, a freeze or starvation takes
	 * more than {@link Deadlines#notScheduledNanos}.
	 */
	long scheduledSince(long since) {
		long now = this.nanoTime.getAsLong();
		if (now - since > Deadlines.notScheduledNanos(this.settings) && !hasExited()) {
			supervisorWasAway(now - since, now);
		}
		return now;
	}

	/**
	 * The loop woke this much later than it asked to: the supervisor was not scheduled
	 * (SIGSTOP, a frozen cgroup, a paused VM, CPU starvation), so the instance's signs of
	 * life could not reach it. Its deadlines start over from now, and an event-driven
	 * instance is asked at once: a supervisor's own absence is no reason to kill a
	 * healthy instance.
	 */
	void supervisorWasAway(long lateNanos, long now) {
		SupervisedInstance instance = this.current;
		String message = "the supervisor was not scheduled for " + Duration.ofNanos(lateNanos).toMillis()
				+ "ms (stopped, frozen or starved): "
				+ ((instance != null) ? instance + "'s health-check deadline starts over from now" : "nothing was due");
		// Short absences come with a busy machine, often: a warning only for a long one.
		if (lateNanos >= TimeUnit.SECONDS.toNanos(1)) {
			this.log.warn(message);
		}
		else {
			this.log.info(message);
		}
		if (instance != null && instance.ending == null) {
			instance.lastAliveNanos = now;
			instance.nextRequestNanos = now;
			HttpChecks.supervisorWasAway(instance, now);
		}
		this.standby.alive(now);
	}

	/**
	 * Where quorum and CMAP come from when an instance asks for them; call before
	 * {@link #run()}.
	 */
	void clusterServices(ClusterServices services) {
		this.cluster.services(services);
	}

	/**
	 * Tells the loop whether an instance is inside a garbage-collection pause; call
	 * before {@link #run()}.
	 */
	void pauseProbe(PauseProbe probe) {
		this.pauseGrace.probe(probe);
	}

	/**
	 * Stops the processes instances leave behind; call before {@link #run()}.
	 */
	void leftovers(Leftovers leftovers) {
		this.leftovers = leftovers;
	}

	/**
	 * Tells the loop that the instances run a debugger's agent; call before
	 * {@link #run()}.
	 */
	void debugger(InstanceDebugger debugger) {
		this.debugger = debugger;
	}

	/** Adds a listener; call before {@link #run()}. */
	void addListener(SupervisorListener listener) {
		this.listeners.add(listener);
	}

	/** Launches the first instance. */
	void start(long now) {
		launchNext(now);
	}

	/**
	 * Takes over an instance already launched as instance 1, instead of launching one;
	 * the channel must already expect it (it may connect before the loop runs).
	 */
	void adoptFirstInstance(AdoptedInstance instance) {
		this.launches.adoptFirst(instance);
	}

	// ---- events
	// ------------------------------------------------------------------------------

	void handle(SupervisorEvent event, long now) {
		if (event instanceof SupervisorEvent.InstanceExited exited) {
			if (!this.exitAtClose.takenAlready(exited.instanceId())) {
				onExited(exited, now);
			}
		}
		else if (event instanceof SupervisorEvent.QuorumChanged changed) {
			onQuorumChanged(changed.quorate(), now);
		}
		else if (event instanceof SupervisorEvent.SignalReceived signal) {
			onSignal(signal.signal(), now);
		}
		else if (event instanceof SupervisorEvent.Connected connected && isCurrent(connected.instanceId())) {
			onHello(this.current, connected.hello(), now);
		}
		else if (event instanceof SupervisorEvent.Received received && isCurrent(received.instanceId())) {
			onMessage(this.current, received.message(), now);
		}
		else if (event instanceof SupervisorEvent.HttpChecked checked && isCurrent(checked.instanceId())) {
			this.http.answered(this.current, checked);
		}
		else if (event instanceof SupervisorEvent.Connected connected && this.standby.is(connected.instanceId())) {
			onStandbyHello(connected.instanceId(), connected.hello(), now);
		}
		else if (event instanceof SupervisorEvent.Received received && this.standby.is(received.instanceId())) {
			onStandbyMessage(received.instanceId(), received.message(), now);
		}
		else if (event instanceof SupervisorEvent.Received received
				&& replacedInstance(received.instanceId()) != null) {
			onReplacedMessage(received.instanceId(), received.message(), now);
		}
		else if (event instanceof SupervisorEvent.Disconnected disconnected && isCurrent(disconnected.instanceId())) {
			onDisconnected(this.current);
		}
		// Otherwise a closed channel alone decides nothing: the process exit that
		// follows does.
	}

	/**
	 * The instance's connection closed: its process is ending (a closed session keeps the
	 * connection open until the process ends), and its exit is taken here as soon as the
	 * kernel reports it ({@link ExitAtClose}).
	 */
	private void onDisconnected(SupervisedInstance instance) {
		OptionalInt status = this.exitAtClose.await(instance);
		if (status.isPresent()) {
			onExited(new SupervisorEvent.InstanceExited(instance.id, status.getAsInt()), this.nanoTime.getAsLong());
		}
	}

	private boolean isCurrent(int instanceId) {
		return this.current != null && this.current.id == instanceId;
	}

	private void onHello(SupervisedInstance instance, Message.Hello hello, long now) {
		this.settings = this.registrations.settings(instance, hello.settings(), this.settings);
		if (!this.registrations.admit(instance, this.settings)) {
			return;
		}
		instance.register(now);
		this.registrations.welcome(instance, this.settings, this.launches.restartCount());
		this.standby.explainIfNeverPromoted(this.settings);
	}

	private void onMessage(SupervisedInstance instance, Message message, long now) {
		// Whatever it asks, a message may also be a sign of life.
		this.health.received(instance, message, now);
		if (message instanceof Message.Heartbeat) {
			this.health.heartbeat(instance);
		}
		else if (message instanceof HealthCheckResult result) {
			this.health.result(instance, result);
		}
		else if (message instanceof Message.Start start) {
			onStart(instance, start, now);
		}
		else if (message instanceof Message.Stop || message instanceof Message.Close) {
			this.health.stop(instance);
		}
		else if (message instanceof Message.WarnSignalSet set) {
			this.settings = this.registrations.warnSignalSet(instance, this.settings, set.signal());
		}
		else if (SupervisorDataStore.isStore(message)) {
			reply(instance, this.dataStore.storeReceived(SupervisorDataStore.bytesOf(message)));
		}
		else if (message instanceof Message.StatusRequest) {
			this.channel.send(instance.id, StatusMessages.toMessage(status(now)));
		}
		else if (message instanceof Message.MarkFailed) {
			reply(instance, Reply.ok());
			markFailed(instance);
		}
		else if (message instanceof Message.RestartRequest) {
			reply(instance, Reply.ok());
			restart(instance, "the application asked for a restart", now);
		}
		else if (message instanceof Message.ListenSocketRequest request) {
			reply(instance, this.listeningSockets.handle(instance, request));
		}
		else if (message instanceof Message.HttpCheckUrl url) {
			reply(instance, this.http.urlReceived(instance, url, this.settings, now));
		}
		else {
			this.log.warn(instance + " sent " + message.getClass().getSimpleName() + ", which only the supervisor"
					+ " sends; ignored");
		}
	}

	private void onStart(SupervisedInstance instance, Message.Start start, long now) {
		if (instance.phase == Phase.STARTED || instance.phase == Phase.WAITING_FOR_QUORUM) {
			reply(instance, new Reply(SamError.BAD_HANDLE.name(), "health checking is already started"));
			return;
		}
		instance.eventDriven = start.eventDriven();
		if (this.settings.quorum() && this.settings.enabled() && !this.cluster.isQuorate()) {
			// As corosync's sam_start: start() in the instance waits for quorum.
			instance.phase = Phase.WAITING_FOR_QUORUM;
			this.health.waitingForQuorum(instance);
			return;
		}
		completeStart(instance, now);
	}

	private void completeStart(SupervisedInstance instance, long now) {
		boolean waited = instance.phase == Phase.WAITING_FOR_QUORUM;
		instance.phase = Phase.STARTED;
		this.health.started(instance, waited, this.settings, now);
		this.http.started(instance, this.settings, now);
		if (instance.promotedNanos != 0) {
			this.log.info(instance + " serves: " + Duration.ofNanos(now - instance.promotedNanos).toMillis()
					+ "ms from its promotion to health checking started");
			instance.promotedNanos = 0;
		}
		// Only now, and a moment later: two JVMs starting at once would slow the one that
		// serves.
		this.standby.activeReady(now);
		if (!this.endRehearsed) {
			// Once, when the first instance is up and the loop has time: not during its
			// start, which has both CPUs busy.
			this.endRehearsed = true;
			EndRehearsal.rehearse(instance, this.settings, this.clock, now);
		}
	}

	// ---- the hot standby
	// ---------------------------------------------------------------------

	/**
	 * Whether a standby should run now: the settings want one, the active instance is
	 * ready, and supervision is not ending.
	 */
	private boolean standbyWanted() {
		SupervisedInstance instance = this.current;
		return Standby.wanted(this.settings) && instance != null && instance.ending == null
				&& instance.phase == Phase.STARTED && !this.supervision.isShuttingDown() && !hasExited();
	}

	private void onStandbyHello(int id, Message.Hello hello, long now) {
		this.standby.hello(hello.settings(), now);
		byte[] data;
		try {
			// More than the standby reads in one frame: it gets the data (or learns it
			// was dropped) when it is promoted. Looked at before the data is copied out.
			data = this.dataStore.dataIfFits(SamSettings.fromMap(hello.settings()));
		}
		catch (IllegalArgumentException ex) {
			data = null;
		}
		this.channel.send(id,
				new Message.StandbyWelcome(id, this.supervisorPid, this.launches.restartCount() + 1, data));
	}

	private void onStandbyMessage(int id, Message message, long now) {
		this.standby.alive(now);
		if (message instanceof Message.StandbyReady) {
			if (this.standby.parked(now)) {
				promote(now);
			}
		}
		else if (message instanceof Message.ListenSocketRequest request) {
			this.channel.send(id, this.listeningSockets.handle(this.current, request));
		}
		else if (message instanceof Message.StatusRequest) {
			this.channel.send(id, StatusMessages.toMessage(status(now)));
		}
		else if (message instanceof Message.Stop || message instanceof Message.Close) {
			// A standby that stops (a failed start-up, a shutdown) closes SAM on its way.
			this.channel.send(id, Reply.ok());
		}
		else if (!(message instanceof Message.Heartbeat || message instanceof HealthCheckResult)) {
			this.dataStore.discard(message);
			String what = SupervisorDataStore.isStore(message) ? "DataStore" : message.getClass().getSimpleName();
			this.channel.send(id, new Reply(SamError.BAD_HANDLE.name(),
					"this JVM is the standby: " + what + " waits for its promotion"));
		}
	}

	/**
	 * A message from an instance the standby replaced, which is going: it is answered, so
	 * that its shutdown (which stops and closes SAM) does not wait, but it changes
	 * nothing.
	 */
	private void onReplacedMessage(int id, Message message, long now) {
		if (message instanceof Message.StatusRequest) {
			this.channel.send(id, StatusMessages.toMessage(status(now)));
		}
		else if (SupervisorDataStore.isStore(message)) {
			this.dataStore.discard(message);
			this.channel.send(id, new Reply(SamError.BAD_HANDLE.name(),
					"this instance has been replaced: instance " + this.launches.lastId() + " keeps the data now"));
		}
		else if (!(message instanceof Message.Heartbeat || message instanceof HealthCheckResult)) {
			this.channel.send(id, Reply.ok());
		}
	}

	/**
	 * Whether the standby takes the place of this instance, whose end was just decided
	 * (and not yet signalled): it does when the policy restarts it and the standby is
	 * parked. The instance then goes on its way aside; what follows it is decided now.
	 */
	private boolean replaceByStandby(SupervisedInstance instance, Ending ending, long now) {
		if (!this.standby.isReady() || this.supervision.isShuttingDown() || ending.next() == Next.QUIT) {
			return false;
		}
		Restarts.Outcome next = this.restarts.after(instance, ending, this.settings, now);
		instance.successor = next;
		if (next != Restarts.Outcome.NOW && next != Restarts.Outcome.LATER) {
			// Giving up: the instance stays the current one, and its exit ends
			// supervision.
			return false;
		}
		this.replaced.add(instance);
		this.launches.replacing(now);
		this.current = null;
		if (next == Restarts.Outcome.NOW) {
			promote(instance, now, now);
		}
		return true;
	}

	/**
	 * The standby becomes the next instance: registered with the settings of its hello
	 * and welcomed with the data as it is now, which ends its wait.
	 */
	private void promote(long now) {
		promote(null, now, now);
	}

	/**
	 * Promotes the standby in place of {@code replaced} (whose end, or failure, was known
	 * at {@code decidedNanos}), noting the promotion for its history entry.
	 */
	private void promote(SupervisedInstance replaced, long decidedNanos, long now) {
		SupervisedInstance next = this.standby.promote();
		if (replaced != null) {
			replaced.replacedBy = "the standby (pid " + next.pid + ") took over as instance " + next.id + " within "
					+ Duration.ofNanos(this.nanoTime.getAsLong() - decidedNanos).toMillis() + "ms";
		}
		this.launches.promoted(next, now);
		next.limitsWaived = this.debugger.waivesLimits(next, this.log);
		this.promotions++;
		next.promotedNanos = now;
		this.current = next;
		this.settings = this.registrations.settings(next, this.standby.settings(), this.settings);
		if (!this.registrations.admit(next, this.settings)) {
			return;
		}
		next.register(now);
		this.registrations.welcome(next, this.settings, this.launches.restartCount());
	}

	/** Recovers the current instance, through the standby when one is parked. */
	private void recover(SupervisedInstance instance, EndCause cause, String why, long now) {
		boolean replacedNow = replaceByStandby(instance, new Ending(cause, Next.RECOVER, why), now);
		this.stopper.recover(instance, cause, why + (replacedNow ? "; the standby took its place" : ""), this.settings,
				now);
	}

	/** Restarts the current instance gracefully, promoting a parked standby first. */
	private void restart(SupervisedInstance instance, String why, long now) {
		if (instance.ending == null) {
			replaceByStandby(instance, new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, why), now);
		}
		this.stopper.restart(instance, why, this.settings, now);
	}

	private long replacedKillRemaining(long now) {
		long earliest = Deadlines.NONE;
		for (SupervisedInstance instance : this.replaced) {
			if (instance.killAtNanos != 0) {
				earliest = Math.min(earliest, instance.killAtNanos - now);
			}
		}
		return earliest;
	}

	private void onQuorumChanged(boolean quorate, long now) {
		boolean news = this.cluster.quorateNow(quorate);
		SupervisedInstance instance = this.current;
		if (news) {
			// Before the recovery it may cause, so the instance hears why it is stopped.
			this.listeners.quorumChanged((instance != null && instance.registered) ? instance.id : 0, quorate);
		}
		if (instance != null && instance.ending == null && this.settings.enabled()) {
			if (quorate && instance.phase == Phase.WAITING_FOR_QUORUM) {
				completeStart(instance, now);
			}
			else if (!quorate && instance.phase == Phase.STARTED) {
				recover(instance, EndCause.QUORUM_LOST, "the cluster lost quorum", now);
			}
		}
		if (news) {
			this.log.info("the cluster is " + (quorate ? "quorate" : "not quorate"));
		}
	}

	private void reply(SupervisedInstance instance, Reply reply) {
		this.channel.send(instance.id, reply);
	}

	private void onSignal(PosixSignal signal, long now) {
		SupervisedInstance instance = this.current;
		switch (signal) {
			case TERM, INT -> {
				this.standby.stop(this.settings, "SIG" + signal.name() + " to the supervisor", now);
				if (instance == null) {
					this.log.info("SIG" + signal.name() + " received while no instance runs");
					exit(this.history.lastExitStatus(), failed(null));
					return;
				}
				if (this.supervision.isShuttingDown()) {
					this.log.warn("SIG" + signal.name() + " received again: killing " + instance + " now");
					this.stopper.send(instance, PosixSignal.KILL);
					return;
				}
				this.supervision.shutDown();
				this.stopper.shutDown(instance, signal, this.settings, now);
			}
			case HUP -> {
				if (instance == null) {
					return;
				}
				if (!this.settings.enabled() && instance.registered) {
					this.stopper.send(instance, PosixSignal.HUP);
					return;
				}
				restart(instance, "SIGHUP received", now);
			}
			default -> this.log.warn("ignoring unexpected SIG" + signal.name());
		}
	}

	/**
	 * Kills the instance and ends supervision in state failed ({@link #failed} reads the
	 * decision's cause).
	 */
	private void markFailed(SupervisedInstance instance) {
		this.settings = this.settings.withRecoveryPolicy(RecoveryPolicy.QUIT);
		this.log.warn(instance + " marked itself failed: killing it (SIGKILL) and ending supervision");
		this.listeners.stateChanged(instance.id, SamState.FAILED);
		this.stopper.kill(instance, new Ending(EndCause.MARKED_FAILED, Next.QUIT, "markFailed() called"));
	}

	private void onExited(SupervisorEvent.InstanceExited event, long now) {
		recordExit(event, now);
		// After the next instance was launched or promoted (what is time-critical), and
		// with it counted as running: what the ended instance left is killed now.
		this.leftovers.instanceEnded(event.instanceId(), runningInstances());
	}

	private void recordExit(SupervisorEvent.InstanceExited event, long now) {
		if (this.standby.is(event.instanceId())) {
			this.channel.disconnect(event.instanceId());
			if (this.standby.exited(event.exitValue(), now) && this.current == null && !hasExited()) {
				// The instance it was to replace is gone: the next starts cold.
				launchNext(now);
			}
			return;
		}
		SupervisedInstance gone = replacedInstance(event.instanceId());
		if (gone != null) {
			this.replaced.remove(gone);
			if (!this.standby.is(gone.id) && (this.current == null || this.current.id != gone.id)) {
				this.channel.disconnect(gone.id);
			}
			this.history.ended(gone, gone.endingAtExit(this.settings.enabled(), event.exitValue()), event.exitValue());
			return;
		}
		SupervisedInstance instance = this.current;
		if (instance == null || instance.id != event.instanceId()) {
			return;
		}
		this.current = null;
		this.dataStore.keepFrom(0);
		this.launches.ended(instance, now);
		int status = event.exitValue();
		if (!instance.registered) {
			this.debugger.endedBeforeRegistering(instance, status, this.log);
		}
		Ending ending = instance.endingAtExit(this.settings.enabled(), status);
		// A shutdown lets no instance follow, whatever the ending and the policy say.
		Restarts.Outcome next = this.supervision.isShuttingDown() ? Restarts.Outcome.NONE : (instance.successor != null)
				? instance.successor : this.restarts.after(instance, ending, this.settings, now);
		if (next == Restarts.Outcome.NOW && this.standby.isReady()) {
			// The parked standby first: writing the history's log line takes longer
			// than the promotion.
			promote(instance, now, now);
			this.history.ended(instance, ending, status);
			return;
		}
		this.history.ended(instance, ending, status);
		switch (next) {
			case NOW -> launchNext(now);
			case LATER -> {
				// Held in Deadlines: onTime launches it when the back-off delay is over.
			}
			case NONE -> exit(status, ending.next() == Next.RECOVER || failed(instance));
			case GIVE_UP -> exit(status, true);
		}
	}

	/** The instances whose processes run now, PID to instance id. */
	private Map<Long, Integer> runningInstances() {
		Map<Long, Integer> running = new HashMap<>();
		for (SupervisedInstance instance : this.replaced) {
			running.put(instance.pid, instance.id);
		}
		SupervisedInstance standbyProcess = this.standby.process();
		if (standbyProcess != null) {
			running.put(standbyProcess.pid, standbyProcess.id);
		}
		if (this.current != null) {
			running.put(this.current.pid, this.current.id);
		}
		return running;
	}

	private SupervisedInstance replacedInstance(int instanceId) {
		for (SupervisedInstance instance : this.replaced) {
			if (instance.id == instanceId) {
				return instance;
			}
		}
		return null;
	}

	// ---- time
	// --------------------------------------------------------------------------------

	/** Acts on every deadline that has passed; {@link Deadlines} defines them. */
	void onTime(long now) {
		if (this.deadlines.isDue(Deadline.REPLACED_KILL, now)) {
			for (SupervisedInstance going : this.replaced) {
				if (going.killAtNanos != 0 && going.killAtNanos - now <= 0) {
					this.stopper.killOverdue(going, now);
				}
			}
		}
		if (this.deadlines.isDue(Deadline.STANDBY, now)) {
			this.standby.onTime(this.settings, standbyWanted(), (this.current != null) ? this.current.pid : -1, now);
		}
		SupervisedInstance instance = this.current;
		if (instance == null) {
			if (this.deadlines.isDue(Deadline.RESTART, now)) {
				this.deadlines.restarted();
				launchNext(now);
			}
			return;
		}
		this.health.noteChannelStores(instance);
		if (!this.settings.pauseGrace().isZero() && this.deadlines.isAhead(Deadline.HEALTH_CHECK, now)) {
			this.pauseGrace.look(instance);
		}
		if (!this.deadlines.isAnyDue(now)) {
			// Most passes follow a message and find nothing due: one look at all
			// deadlines, not one each.
			return;
		}
		if (this.deadlines.isDue(Deadline.KILL, now)) {
			this.stopper.killOverdue(instance, now);
		}
		if (this.deadlines.isDue(Deadline.HEALTH_CHECK_REQUEST, now)) {
			this.health.request(instance, this.settings, now);
		}
		if (this.deadlines.isDue(Deadline.HTTP_CHECK, now)) {
			this.http.send(instance, this.settings, now);
		}
		if (this.deadlines.isDue(Deadline.HEALTH_CHECK, now) && !this.pauseGrace.extend(instance, this.settings, now)) {
			if (HttpChecks.isWhyMissed(instance, this.settings)) {
				recover(instance, HttpChecks.missedCause(instance), HttpChecks.missedDetail(instance, now), now);
			}
			else {
				recover(instance, this.health.missedCause(instance), this.health.missedDetail(instance, now), now);
			}
		}
		if (this.current == instance && this.deadlines.isDue(Deadline.STARTUP, now)) {
			recover(instance, EndCause.STARTUP_TIMEOUT,
					"not ready within sam.startup-timeout (" + DurationText.of(this.settings.startupTimeout()) + ")",
					now);
		}
	}

	/**
	 * The earliest moment {@link #onTime} has something to do, or
	 * {@link Deadlines#IDLE_NANOS} from now.
	 */
	long nextDeadline(long now) {
		return this.deadlines.next(now);
	}

	/** When this deadline falls, or {@link Deadlines#NONE} when it does not apply now. */
	long deadline(Deadlines.Deadline deadline, long now) {
		long remaining = this.deadlines.remaining(deadline, now);
		return (remaining != Deadlines.NONE) ? now + remaining : Deadlines.NONE;
	}

	// ---- effects
	// -----------------------------------------------------------------------------

	/**
	 * Launches the next instance (or takes over the adopted one); supervision ends if
	 * that fails.
	 */
	private void launchNext(long now) {
		if (this.standby.exists()) {
			// Never two instances with one id: the standby is the next, ready or not.
			if (this.standby.isReady()) {
				promote(now);
			}
			else {
				this.standby.promoteWhenReady();
			}
			return;
		}
		this.current = this.launches.next(now);
		if (this.current == null) {
			exit((this.launches.lastId() == 0) ? 1 : this.history.lastExitStatus(), true);
			return;
		}
		this.current.limitsWaived = this.debugger.waivesLimits(this.current, this.log);
	}

	private void exit(int status, boolean gaveUp) {
		this.standby.stop(this.settings, "supervision ends", this.nanoTime.getAsLong());
		this.leftovers.supervisorExiting(runningInstances());
		this.listeningSockets.close();
		this.supervision.exit(status, gaveUp, this.launches.lastId());
	}

	// ---- status
	// ------------------------------------------------------------------------------

	/** The supervisor's state as the instance may read it. */
	SamStatus status(long now) {
		SupervisedInstance instance = this.current;
		SamState state = failed(instance) ? SamState.FAILED
				: (instance != null) ? instance.state() : SamState.REGISTERED;
		return new SamStatus(state, this.launches.lastId(), this.launches.restartCount(),
				this.settings.recoveryPolicy(), this.settings.timeInterval(), this.health.lastUpdated(),
				this.settings.warnSignal().signalName(), (instance != null) ? instance.pid : -1, this.supervisorPid,
				this.settings.quorum() ? this.cluster.quorate() : null, this.dataStore.size(), this.history.list(),
				this.restarts.nextDelay(this.settings), this.restarts.restartsInWindow(this.settings, now),
				standbyStatus(), this.promotions);
	}

	private SamStatus.StandbyStatus standbyStatus() {
		Standby.StandbyView view = this.standby.view(this.settings);
		return (view != null) ? new SamStatus.StandbyStatus(view.state(), view.pid(), view.since(), view.failures())
				: null;
	}

	/**
	 * Whether supervision gave up, or is about to: the instance marked itself failed and
	 * is being killed.
	 */
	private boolean failed(SupervisedInstance instance) {
		return this.supervision.hasGivenUp()
				|| (instance != null && instance.ending != null && instance.ending.cause() == EndCause.MARKED_FAILED);
	}

	boolean hasExited() {
		return this.supervision.hasExited();
	}

	SamSettings settings() {
		return this.settings;
	}

	SupervisedInstance current() {
		return this.current;
	}

}
