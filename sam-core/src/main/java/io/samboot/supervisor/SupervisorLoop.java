package io.samboot.supervisor;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.SamStatus;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.Message;
import io.samboot.protocol.StatusMessages;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.protocol.Message.Reply;
import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;
import io.samboot.supervisor.InstanceLauncher.LaunchTicket;
import io.samboot.supervisor.InstanceLauncher.LaunchedInstance;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * The supervisor's loop: one thread that launches instances, enforces the health-check time
 * interval, sends the warning signal and SIGKILL, applies the recovery policy and finally exits
 * with the last instance's status. See the package documentation for the states and transitions.
 *
 * <p>Everything arrives as a {@link SupervisorEvent} on one queue; deadlines are computed from an
 * injected nanosecond ticker. {@link #handle} and {@link #onTime} hold every decision, so tests
 * drive them directly with a fake clock, launcher and channel.
 */
final class SupervisorLoop {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AdoptedInstance adopted;

    private final SupervisorLog log = SupervisorLog.get();

    private final BlockingQueue<SupervisorEvent> events;

    private final InstanceLauncher launcher;

    private final ControlChannel channel;

    private final NativeAccess os;

    private final IntConsumer exit;

    private final LongSupplier nanoTime;

    private final Clock clock;

    private final long supervisorPid;

    private final Deque<InstanceRecord> history = new ArrayDeque<>();

    private final List<SupervisorListener> listeners = new ArrayList<>();

    private final RestartBackoff backoff = new RestartBackoff();

    private ClusterServices cluster = ClusterServices.NONE;

    private PauseProbe pauseProbe = PauseProbe.NONE;

    private QuorumSource quorum;

    /** The cluster's quorum, {@code null} while quorum is not used or not yet known. */
    private Boolean quorate;

    private boolean cmapPublishing;

    /** A restart waiting for its back-off delay to pass. */
    private boolean launchPending;

    private long launchAtNanos;

    /** When the loop learned that the last instance ended, to report the gap before the next. */
    private long lastEndedNanos;

    /** Volatile: the channel's reader thread checks stored data against its limit. */
    private volatile SamSettings settings;

    /** Set when the application changed the warning signal at run time: it outlives instances, as in corosync. */
    private PosixSignal warnSignalOverride;

    /** Replaced, never changed in place; volatile: the channel's reader thread stores it (see {@link #storeData}). */
    private volatile byte[] data;

    /** The registered instance whose data stores the channel's reader thread may keep; 0 for none. */
    private volatile int dataStoresFrom;

    /** The last data store kept on the channel's thread, for liveness (see {@link #noteChannelStores}). */
    private volatile StoreSeen lastStore;

    private int lastInstanceId;

    private int restartCount;

    private SupervisedInstance current;

    private Instant lastUpdated;

    private boolean failed;

    private boolean shuttingDown;

    private int lastExitStatus;

    private boolean exited;

    SupervisorLoop(BlockingQueue<SupervisorEvent> events, SamSettings settings, byte[] data,
            InstanceLauncher launcher, ControlChannel channel, NativeAccess os, IntConsumer exit, LongSupplier nanoTime,
            Clock clock) {
        this.events = events;
        this.settings = settings;
        this.data = (data != null) ? data.clone() : null;
        this.launcher = launcher;
        this.channel = channel;
        this.os = os;
        this.exit = exit;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.supervisorPid = os.getpid();
        channel.dataSink(this::storeData);
    }

    /**
     * A data store of the current, registered instance, kept on the channel's reader thread: the
     * instance waits for the answer, and nothing else the loop does depends on the bytes until it
     * next reads them (a welcome, a status). Anything else is left to the loop.
     */
    private Reply storeData(int instanceId, byte[] bytes) {
        if (instanceId != this.dataStoresFrom) {
            return null;
        }
        long limit = this.settings.dataStoreMaxSize();
        if (bytes != null && bytes.length > limit) {
            return new Reply(SamError.TOO_BIG.name(), bytes.length + " bytes exceed sam.data-store.max-size ("
                    + limit + ")");
        }
        this.data = (bytes == null || bytes.length == 0) ? null : bytes;
        // Noted, not posted: waking the loop for every store would cost the instance a thread's wake-up.
        this.lastStore = new StoreSeen(instanceId, this.nanoTime.getAsLong());
        return Reply.ok();
    }

    private record StoreSeen(int instanceId, long nanos) {
    }

    /**
     * Like any message, a data store proves an application-mode instance alive (as in corosync);
     * those kept on the channel's thread count from when they were kept, looked at before any deadline.
     */
    private void noteChannelStores(SupervisedInstance instance) {
        StoreSeen store = this.lastStore;
        if (store != null && store.instanceId() == instance.id && !instance.eventDriven
                && store.nanos() - instance.lastAliveNanos > 0) {
            alive(instance, store.nanos());
        }
    }

    /** Where the channel and signal threads post what happens. */
    void post(SupervisorEvent event) {
        this.events.add(event);
    }

    /** Launches the first instance and runs until the supervisor exits. Never returns normally. */
    void run() {
        start(this.nanoTime.getAsLong());
        while (!this.exited) {
            long now = this.nanoTime.getAsLong();
            long wait = nextDeadline(now) - now;
            SupervisorEvent event;
            try {
                event = (wait > 0) ? this.events.poll(wait, TimeUnit.NANOSECONDS) : this.events.poll();
            }
            catch (InterruptedException ex) {
                // The loop thread belongs to the supervisor; nobody should interrupt it. Go on.
                continue;
            }
            now = this.nanoTime.getAsLong();
            if (event != null) {
                handle(event, now);
            }
            if (!this.exited) {
                onTime(now);
            }
        }
    }

    /** Where quorum and CMAP come from when an instance asks for them; call before {@link #run()}. */
    void clusterServices(ClusterServices services) {
        this.cluster = services;
    }

    /** Tells the loop whether an instance is inside a garbage-collection pause; call before {@link #run()}. */
    void pauseProbe(PauseProbe probe) {
        this.pauseProbe = probe;
    }

    /** Adds a listener; call before {@link #run()}. */
    void addListener(SupervisorListener listener) {
        this.listeners.add(listener);
    }

    private void tell(Consumer<SupervisorListener> call) {
        for (SupervisorListener listener : this.listeners) {
            try {
                call.accept(listener);
            }
            catch (RuntimeException ex) {
                this.log.warn("listener " + listener.getClass().getSimpleName() + " failed: " + ex);
            }
        }
    }

    /** Launches the first instance. */
    void start(long now) {
        launchNext(now);
    }

    /**
     * Takes over an instance already launched as instance 1, instead of launching one; the channel
     * must already expect it (it may connect before the loop runs).
     */
    void adoptFirstInstance(AdoptedInstance instance) {
        this.adopted = instance;
    }

    // ---- events ------------------------------------------------------------------------------

    void handle(SupervisorEvent event, long now) {
        if (event instanceof SupervisorEvent.InstanceExited exited) {
            onExited(exited, now);
        }
        else if (event instanceof SupervisorEvent.QuorumChanged changed) {
            onQuorumChanged(changed.quorate(), now);
        }
        else if (event instanceof SupervisorEvent.SignalReceived signal) {
            onSignal(signal.signal(), now);
        }
        else {
            SupervisedInstance instance = this.current;
            int id = idOf(event);
            if (instance == null || instance.id != id) {
                return;
            }
            if (event instanceof SupervisorEvent.Connected connected) {
                onHello(instance, connected.hello(), now);
            }
            else if (event instanceof SupervisorEvent.Received received) {
                onMessage(instance, received.message(), now);
            }

            // A closed channel alone decides nothing: the process exit that follows does.
        }
    }

    private static int idOf(SupervisorEvent event) {
        if (event instanceof SupervisorEvent.Connected connected) {
            return connected.instanceId();
        }
        if (event instanceof SupervisorEvent.Received received) {
            return received.instanceId();
        }

        return ((SupervisorEvent.Disconnected) event).instanceId();
    }

    private void onHello(SupervisedInstance instance, Message.Hello hello, long now) {
        try {
            this.settings = SamSettings.fromMap(hello.settings());
        }
        catch (IllegalArgumentException ex) {
            this.log.warn(instance + " sent settings the supervisor cannot use (" + ex.getMessage()
                    + "); keeping " + this.settings);
        }
        if (this.warnSignalOverride != null) {
            try {
                this.settings = this.settings.withWarnSignal(this.warnSignalOverride);
            }
            catch (IllegalArgumentException ex) {
                this.log.warn(instance + " cannot keep the warning signal set at run time ("
                        + this.warnSignalOverride.signalName() + "): " + ex.getMessage());
            }
        }
        this.channel.frameLimit(this.settings.dataStoreMaxSize());
        String clusterProblem = connectCluster();
        if (clusterProblem != null) {
            this.log.error(instance + " asked for " + clusterProblem);
            this.channel.send(instance.id, new Reply(SamError.LIBRARY.name(), clusterProblem));
            return;
        }
        instance.registered = true;
        instance.lastAliveNanos = now;
        // From now on (its settings are known) its data stores are kept by the channel's reader thread.
        this.dataStoresFrom = instance.id;
        this.channel.send(instance.id, new Message.Welcome(instance.id, this.supervisorPid, this.restartCount, this.data));
        SamSettings registered = this.settings;
        tell(listener -> listener.instanceRegistered(instance.id, registered));
        tell(listener -> listener.stateChanged(instance.id, SamState.REGISTERED));
        if (!this.settings.enabled()) {
            this.log.info(instance + " runs with sam.enabled=false: the supervisor only passes signals and its exit"
                    + " status through");
        }
        else {
            this.log.info(instance + " registered: time-interval " + describe(this.settings.timeInterval())
                    + ", recovery-policy " + this.settings.recoveryPolicy().id() + ", warn-signal "
                    + this.settings.warnSignal().signalName() + ", health-check " + this.settings.healthCheckMode().id());
        }
    }

    private void onMessage(SupervisedInstance instance, Message message, long now) {
        if (rearms(instance, message)) {
            alive(instance, now);
        }
        if (message instanceof Message.Heartbeat) {
            this.lastUpdated = this.clock.instant();
            if (instance.started && instance.ending == null) {
                tell(listener -> listener.instanceHealthy(instance.id));
            }
        }
        else if (message instanceof HealthCheckResult result) {
            onHealthCheckResult(instance, result);
        }
        else if (message instanceof Message.Start start) {
            onStart(instance, start, now);
        }
        else if (message instanceof Message.Stop || message instanceof Message.Close) {
            boolean wasStarted = instance.started;
            instance.started = false;
            instance.finalized |= message instanceof Message.Close;
            reply(instance, Reply.ok());
            if (wasStarted && instance.ending == null) {
                tell(listener -> listener.healthCheckingStopped(instance.id));
                tell(listener -> listener.stateChanged(instance.id, SamState.REGISTERED));
            }
        }
        else if (message instanceof Message.WarnSignalSet set) {
            onWarnSignalSet(instance, set);
        }
        else if (message instanceof Message.DataStore store) {
            onDataStore(instance, store);
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
            requestRestart(instance, "the application asked for a restart", now);
        }
        else {
            this.log.warn(instance + " sent " + message.getClass().getSimpleName() + ", which only the supervisor"
                    + " sends; ignored");
        }
    }

    private void alive(SupervisedInstance instance, long now) {
        instance.lastAliveNanos = now;
        if (instance.pauseGraceSinceNanos != 0) {
            this.log.info(instance + " answered again after a pause; its deadline was extended for "
                    + Duration.ofNanos(now - instance.pauseGraceSinceNanos).toMillis() + "ms");
            instance.pauseGraceSinceNanos = 0;
            instance.pauseGraceUntilNanos = 0;
        }
    }

    /**
     * Whether a message re-arms the time interval. With application-driven checking every message
     * proves the instance alive, as in corosync. With event-driven checking only a passed check (or
     * an explicit heartbeat) does: an instance whose checks fail must not stay alive by storing data.
     */
    private static boolean rearms(SupervisedInstance instance, Message message) {
        if (message instanceof HealthCheckResult result) {
            return result.outcome().healthy();
        }
        return !instance.eventDriven || message instanceof Message.Heartbeat || message instanceof Message.Start;
    }

    private void onStart(SupervisedInstance instance, Message.Start start, long now) {
        if (instance.started || instance.waitingForQuorum) {
            reply(instance, new Reply(SamError.BAD_HANDLE.name(), "health checking is already started"));
            return;
        }
        instance.eventDriven = start.eventDriven();
        if (this.settings.quorum() && this.settings.enabled() && !Boolean.TRUE.equals(this.quorate)) {
            // As corosync's sam_start: the answer, and so start() in the instance, waits for quorum.
            instance.waitingForQuorum = true;
            // Answered now, so the instance's other requests are not held up; QuorumStart follows later.
            reply(instance, new Reply(null, Reply.WAITING_FOR_QUORUM));
            this.log.info(instance + " waits for quorum before health checking starts");
            tell(listener -> listener.stateChanged(instance.id, SamState.WAITING_FOR_QUORUM));
            return;
        }
        completeStart(instance, now);
    }

    private void completeStart(SupervisedInstance instance, long now) {
        boolean waited = instance.waitingForQuorum;
        instance.waitingForQuorum = false;
        instance.started = true;
        instance.everStarted = true;
        instance.lastFailure = null;
        instance.lastAliveNanos = now;
        instance.nextRequestNanos = now;
        this.lastUpdated = this.clock.instant();
        this.channel.send(instance.id, waited ? new Message.QuorumStart() : Reply.ok());
        tell(listener -> listener.healthCheckingStarted(instance.id));
        tell(listener -> listener.stateChanged(instance.id, SamState.STARTED));
        // The first look at a JVM's counters costs milliseconds, and safepoints are seen between two looks:
        // look now and on every pass, not first at a missed deadline.
        this.pauseProbe.currentPause(instance.pid);
        if (this.settings.enabled()) {
            this.log.info(instance + " started health checking"
                    + (this.settings.timeInterval().isZero() ? " (no time limit: only its death is watched)"
                            : instance.eventDriven ? " (the supervisor requests checks)" : " (the application sends them)"));
        }
    }

    private void onQuorumChanged(boolean nowQuorate, long now) {
        Boolean before = this.quorate;
        this.quorate = nowQuorate;
        SupervisedInstance instance = this.current;
        if (instance != null && instance.ending == null && this.settings.enabled()) {
            if (nowQuorate && instance.waitingForQuorum) {
                completeStart(instance, now);
            }
            else if (!nowQuorate && instance.started) {
                recover(instance, EndCause.QUORUM_LOST, "the cluster lost quorum", now);
            }
        }
        if (before == null || before != nowQuorate) {
            this.log.info("the cluster is " + (nowQuorate ? "quorate" : "not quorate"));
        }
    }

    /**
     * Connects the cluster services the settings ask for, once per supervisor.
     * @return what went wrong, or {@code null}
     */
    private String connectCluster() {
        try {
            if (this.settings.quorum() && this.quorum == null) {
                this.quorum = this.cluster.quorum();
                this.quorum.start(q -> post(new SupervisorEvent.QuorumChanged(q)));
            }
            if (this.settings.cmap() && !this.cmapPublishing) {
                this.listeners.add(this.cluster.cmap(this.supervisorPid));
                this.cmapPublishing = true;
            }
            return null;
        }
        catch (RuntimeException ex) {
            return "corosync " + ((ex instanceof ClusterServices.ClusterUnavailableException unavailable)
                    ? unavailable.service() : "integration") + ", which is unavailable: " + ex.getMessage();
        }
    }

    private void onHealthCheckResult(SupervisedInstance instance, HealthCheckResult result) {
        if (result.outcome().healthy()) {
            if (instance.lastFailure != null && instance.ending == null) {
                this.log.info(instance + " is healthy again");
            }
            instance.lastFailure = null;
            this.lastUpdated = this.clock.instant();
            if (instance.ending == null) {
                tell(listener -> listener.instanceHealthy(instance.id));
            }
            return;
        }
        if (instance.lastFailure == null && instance.ending == null) {
            this.log.warn(instance + " health check " + result.outcome().name().toLowerCase() + ": " + describe(result));
        }
        instance.lastFailure = result;
    }

    private void onWarnSignalSet(SupervisedInstance instance, Message.WarnSignalSet set) {
        try {
            PosixSignal signal = PosixSignal.parseWarningSignal(set.signal());
            this.settings = this.settings.withWarnSignal(signal);
            this.warnSignalOverride = signal;
            reply(instance, Reply.ok());
        }
        catch (IllegalArgumentException ex) {
            reply(instance, new Reply(SamError.INVALID_PARAM.name(), ex.getMessage()));
        }
    }

    private void onDataStore(SupervisedInstance instance, Message.DataStore store) {
        byte[] bytes = store.data();
        if (bytes != null && bytes.length > this.settings.dataStoreMaxSize()) {
            reply(instance, new Reply(SamError.TOO_BIG.name(), bytes.length + " bytes exceed sam.data-store.max-size ("
                    + this.settings.dataStoreMaxSize() + ")"));
            return;
        }
        this.data = (bytes == null || bytes.length == 0) ? null : bytes;
        reply(instance, Reply.ok());
    }

    private void reply(SupervisedInstance instance, Reply reply) {
        this.channel.send(instance.id, reply);
    }

    private void onSignal(PosixSignal signal, long now) {
        SupervisedInstance instance = this.current;
        switch (signal) {
            case TERM, INT -> {
                if (instance == null) {
                    this.log.info("SIG" + signal.name() + " received while no instance runs");
                    exit(this.lastExitStatus);
                    return;
                }
                if (this.shuttingDown) {
                    this.log.warn("SIG" + signal.name() + " received again: killing " + instance + " now");
                    kill(instance, PosixSignal.KILL);
                    return;
                }
                this.shuttingDown = true;
                Duration timeout = this.settings.shutdownTimeout();
                if (instance.ending != null) {
                    // Already going (a recovery, a restart): keep its cause and timers, but quit afterwards.
                    this.log.info("SIG" + signal.name() + " received while " + instance + " is ending ("
                            + instance.ending.cause().id() + "): no restart will follow");
                    instance.ending = new Ending(instance.ending.cause(), Next.QUIT, instance.ending.detail());
                    return;
                }
                this.log.info("SIG" + signal.name() + " received: stopping " + instance + " (SIGTERM, then SIGKILL after "
                        + describe(timeout) + "); no restart");
                decide(instance, new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIG" + signal.name() + " to the supervisor"));
                kill(instance, this.settings.enabled() ? PosixSignal.TERM : signal);
                instance.killAtNanos = now + timeout.toNanos();
            }
            case HUP -> {
                if (instance == null) {
                    return;
                }
                if (!this.settings.enabled() && instance.registered) {
                    kill(instance, PosixSignal.HUP);
                    return;
                }
                requestRestart(instance, "SIGHUP received", now);
            }
            default -> this.log.warn("ignoring unexpected SIG" + signal.name());
        }
    }

    private void requestRestart(SupervisedInstance instance, String why, long now) {
        if (instance.ending != null) {
            this.log.info(why + ", but " + instance + " is already ending (" + instance.ending.cause().id() + ")");
            return;
        }
        Duration timeout = this.settings.shutdownTimeout();
        this.log.info(why + ": restarting " + instance + " gracefully (SIGTERM, then SIGKILL after " + describe(timeout)
                + ")");
        decide(instance, new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, why));
        kill(instance, PosixSignal.TERM);
        instance.killAtNanos = now + timeout.toNanos();
    }

    private void markFailed(SupervisedInstance instance) {
        this.failed = true;
        this.settings = this.settings.withRecoveryPolicy(RecoveryPolicy.QUIT);
        this.log.warn(instance + " marked itself failed: killing it (SIGKILL) and ending supervision");
        tell(listener -> listener.stateChanged(instance.id, SamState.FAILED));
        decide(instance, new Ending(EndCause.MARKED_FAILED, Next.QUIT, "markFailed() called"));
        kill(instance, PosixSignal.KILL);
    }

    private void onExited(SupervisorEvent.InstanceExited event, long now) {
        SupervisedInstance instance = this.current;
        if (instance == null || instance.id != event.instanceId()) {
            return;
        }
        this.current = null;
        this.dataStoresFrom = 0;
        this.lastEndedNanos = now;
        this.channel.disconnect(instance.id);
        int status = event.exitValue();
        this.lastExitStatus = status;
        Ending ending = instance.ending;
        if (ending == null) {
            boolean recover = (instance.started || instance.waitingForQuorum) && this.settings.enabled();
            ending = new Ending(EndCause.EXITED, recover ? Next.RECOVER : Next.QUIT,
                    recover ? "ended while health checking was started" : "ended while health checking was stopped");
        }
        String signal = (status > 128 && PosixSignal.ofNumber(status - 128).isPresent())
                ? PosixSignal.ofNumber(status - 128).get().signalName() : null;
        InstanceRecord record = new InstanceRecord(instance.id, instance.pid, instance.startedAt, this.clock.instant(),
                ending.cause(), status, signal, ending.detail());
        remember(record);
        tell(listener -> listener.instanceEnded(record));
        this.log.info(instance + " ended: " + ((signal != null) ? "killed by " + signal : "exit status " + status)
                + ", cause " + ending.cause().id());
        boolean restart = switch (ending.next()) {
            case RESTART -> true;
            case QUIT -> false;
            case RECOVER -> this.settings.recoveryPolicy() == RecoveryPolicy.RESTART;
        };
        if (!restart || this.shuttingDown) {
            if (ending.next() == Next.RECOVER) {
                this.failed = true;
            }
            exit(status);
            return;
        }
        if (ending.next() == Next.RECOVER) {
            RestartBackoff.Decision decision = this.backoff.afterFailure(this.settings, now, now - instance.launchedNanos);
            if (decision.giveUp()) {
                this.failed = true;
                this.log.error(instance + " failed (" + ending.cause().id() + ") after " + decision.restartsInWindow()
                        + " restarts within sam.restart.window (" + describe(this.settings.restartWindow())
                        + "), the most sam.restart.max-restarts allows: giving up, state failed");
                exit(status);
                return;
            }
            if (!decision.delay().isZero()) {
                this.launchPending = true;
                this.launchAtNanos = now + decision.delay().toNanos();
                this.log.info("restarting in " + describe(decision.delay()) + " (restart " + decision.restartsInWindow()
                        + " within " + describe(this.settings.restartWindow()) + ")");
                return;
            }
        }
        launchNext(now);
    }

    private void remember(InstanceRecord record) {
        if (this.history.size() == SamStatus.HISTORY_LIMIT) {
            this.history.removeFirst();
        }
        this.history.addLast(record);
    }

    // ---- time --------------------------------------------------------------------------------

    /** Acts on every deadline that has passed. */
    void onTime(long now) {
        SupervisedInstance instance = this.current;
        if (instance == null) {
            if (this.launchPending && now - this.launchAtNanos >= 0) {
                this.launchPending = false;
                launchNext(now);
            }
            return;
        }
        noteChannelStores(instance);
        if (instance.ending != null) {
            if (!instance.killed && instance.killAtNanos != 0 && now - instance.killAtNanos >= 0) {
                this.log.warn(instance + " is still running " + Duration.ofNanos(now - instance.lastSignalNanos).toMillis() + "ms"
                        + " after " + instance.lastSignal.signalName() + ": sending SIGKILL");
                kill(instance, PosixSignal.KILL, now);
            }
            return;
        }
        if (!this.settings.enabled()) {
            return;
        }
        long interval = this.settings.timeInterval().toNanos();
        if (instance.started && interval > 0) {
            if (!this.settings.pauseGrace().isZero() && now - healthDeadline(instance, interval) < 0) {
                this.pauseProbe.currentPause(instance.pid);
            }
            if (instance.eventDriven && now - instance.nextRequestNanos >= 0) {
                instance.requestSequence++;
                this.channel.send(instance.id, new Message.HealthCheckRequest(instance.requestSequence));
                instance.nextRequestNanos = now + this.settings.healthCheckRequestPeriod().toNanos();
            }
            if (now - healthDeadline(instance, interval) >= 0 && !inPauseGrace(instance, now)) {
                HealthCheckResult failure = instance.lastFailure;
                if (failure != null && failure.outcome() != HealthCheckResult.Outcome.TIMEOUT) {
                    recover(instance, EndCause.HEALTH_CHECK_FAILED, describe(failure), now);
                }
                else if (failure != null) {
                    recover(instance, EndCause.HEALTH_CHECK_TIMEOUT, describe(failure), now);
                }
                else {
                    recover(instance, EndCause.HEALTH_CHECK_TIMEOUT, "no " + (instance.eventDriven
                            ? "answer to a health-check request" : "heartbeat") + " for "
                            + describe(Duration.ofNanos(now - instance.lastAliveNanos)), now);
                }
            }
        }
        else if (!instance.everStarted && !instance.waitingForQuorum && !this.settings.startupTimeout().isZero()
                && now - (instance.launchedNanos + this.settings.startupTimeout().toNanos()) >= 0) {
            recover(instance, EndCause.STARTUP_TIMEOUT, "not ready within sam.startup-timeout ("
                    + describe(this.settings.startupTimeout()) + ")", now);
        }
    }

    private void decide(SupervisedInstance instance, Ending ending) {
        instance.ending = ending;
        tell(listener -> listener.endingDecided(instance.id, ending.cause(), ending.detail()));
    }

    private static long healthDeadline(SupervisedInstance instance, long interval) {
        long deadline = instance.lastAliveNanos + interval;
        return (instance.pauseGraceUntilNanos != 0 && instance.pauseGraceUntilNanos - deadline > 0)
                ? instance.pauseGraceUntilNanos : deadline;
    }

    /**
     * At a missed deadline: whether the instance is inside a stop-the-world pause (a long garbage
     * collection) and may have more time, up to {@code sam.health-check.pause-grace} in all. Each
     * extension is one request period, so an instance whose pause ended has that long to answer. A
     * failed check is not a pause: only missing answers are forgiven.
     */
    private boolean inPauseGrace(SupervisedInstance instance, long now) {
        Duration grace = this.settings.pauseGrace();
        HealthCheckResult failure = instance.lastFailure;
        if (grace.isZero() || (failure != null && failure.outcome() != HealthCheckResult.Outcome.TIMEOUT)) {
            return false;
        }
        java.util.Optional<Duration> pause = this.pauseProbe.currentPause(instance.pid);
        if (pause.isEmpty()) {
            return false;
        }
        if (instance.pauseGraceSinceNanos == 0) {
            instance.pauseGraceSinceNanos = now;
            this.log.info(instance + " missed its health-check deadline inside a stop-the-world pause ("
                    + pause.get().toMillis() + "ms so far): extending the deadline while it lasts, up to"
                    + " sam.health-check.pause-grace (" + describe(grace) + ")");
        }
        if (now - instance.pauseGraceSinceNanos >= grace.toNanos()) {
            this.log.warn(instance + " is still paused after sam.health-check.pause-grace (" + describe(grace) + ")");
            return false;
        }
        instance.pauseGraceUntilNanos = now + Math.max(this.settings.healthCheckRequestPeriod().toNanos(),
                Duration.ofMillis(10).toNanos());
        return true;
    }

    /** Decides on recovery: from here on the instance is going, whatever it does while it goes. */
    private void recover(SupervisedInstance instance, EndCause cause, String why, long now) {
        String detail = why;
        boolean missedCheck = cause == EndCause.HEALTH_CHECK_TIMEOUT || cause == EndCause.HEALTH_CHECK_FAILED;
        if (missedCheck && this.settings.threadDump()) {
            // SIGQUIT makes HotSpot print every thread's stack into the instance's own output, before it goes.
            kill(instance, PosixSignal.QUIT, now);
            this.log.info(instance + ": thread dump requested (SIGQUIT); it is in the application's output");
            detail = why + "; thread dump taken";
        }
        decide(instance, new Ending(cause, Next.RECOVER, detail));
        PosixSignal warning = this.settings.warnSignal();
        // Signal first, log after: the log line costs milliseconds the instance should already have.
        if (warning == PosixSignal.KILL) {
            kill(instance, PosixSignal.KILL);
            this.log.warn(instance + " " + cause.id() + ": " + detail + "; sent SIGKILL (no warning signal)");
            return;
        }
        Duration killDelay = this.settings.killDelay();
        kill(instance, warning, now);
        instance.killAtNanos = now + killDelay.toNanos();
        this.log.warn(instance + " " + cause.id() + ": " + detail + "; sent " + warning.signalName()
                + ", SIGKILL follows in " + describe(killDelay));
    }

    /** The earliest moment {@link #onTime} has something to do, or far away. */
    long nextDeadline(long now) {
        long far = now + TimeUnit.SECONDS.toNanos(60);
        SupervisedInstance instance = this.current;
        if (instance == null) {
            return this.launchPending ? this.launchAtNanos : far;
        }
        if (instance.ending != null) {
            return (!instance.killed && instance.killAtNanos != 0) ? instance.killAtNanos : far;
        }
        if (!this.settings.enabled()) {
            return far;
        }
        long interval = this.settings.timeInterval().toNanos();
        if (instance.started && interval > 0) {
            long deadline = healthDeadline(instance, interval);
            if (instance.eventDriven && instance.nextRequestNanos - deadline < 0) {
                deadline = instance.nextRequestNanos;
            }
            return deadline;
        }
        if (!instance.everStarted && !instance.waitingForQuorum && !this.settings.startupTimeout().isZero()) {
            return instance.launchedNanos + this.settings.startupTimeout().toNanos();
        }
        return far;
    }

    // ---- effects -----------------------------------------------------------------------------

    private void launchNext(long now) {
        int id = this.lastInstanceId + 1;
        AdoptedInstance adoption = this.adopted;
        this.adopted = null;
        if (adoption != null && adoption.ticket().instanceId() == id) {
            adopt(adoption);
            return;
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        this.channel.expect(id, secret);
        LaunchedInstance launched;
        try {
            launched = this.launcher.launch(new LaunchTicket(id, secret, this.channel.socketPath(), this.supervisorPid));
        }
        catch (IOException | RuntimeException ex) {
            this.log.error("could not launch instance " + id + ": " + ex.getMessage());
            this.failed = true;
            exit(this.lastInstanceId == 0 ? 1 : this.lastExitStatus);
            return;
        }
        if (this.lastInstanceId > 0) {
            this.restartCount++;
        }
        this.lastInstanceId = id;
        this.channel.expectPid(id, launched.pid());
        SupervisedInstance instance = new SupervisedInstance(id, launched.pid(), this.clock.instant(), now);
        this.current = instance;
        launched.exit().whenComplete((status, failure) -> post(new SupervisorEvent.InstanceExited(id,
                (status != null) ? status : 1)));
        this.log.info("launched instance " + id + " (pid " + launched.pid() + ")" + ((id > 1)
                ? ", " + Duration.ofNanos(now - this.lastEndedNanos).toMillis() + "ms after instance " + (id - 1) + " ended"
                : ""));
        tell(listener -> listener.instanceLaunched(id, launched.pid()));
    }

    private void adopt(AdoptedInstance adoption) {
        int id = adoption.ticket().instanceId();
        LaunchedInstance launched = adoption.launched();
        this.lastInstanceId = id;
        this.channel.expectPid(id, launched.pid());
        this.current = new SupervisedInstance(id, launched.pid(), adoption.launchedAt(), adoption.launchedNanos());
        launched.exit().whenComplete((status, failure) -> post(new SupervisorEvent.InstanceExited(id,
                (status != null) ? status : 1)));
        this.log.info("launched instance " + id + " (pid " + launched.pid() + "), "
                + Duration.ofNanos(this.nanoTime.getAsLong() - adoption.launchedNanos()).toMillis()
                + "ms before this supervisor JVM took it over");
        tell(listener -> listener.instanceLaunched(id, launched.pid()));
    }

    private void kill(SupervisedInstance instance, PosixSignal signal) {
        kill(instance, signal, this.nanoTime.getAsLong());
    }

    private void kill(SupervisedInstance instance, PosixSignal signal, long now) {
        instance.lastSignal = signal;
        instance.lastSignalNanos = now;
        if (signal == PosixSignal.KILL) {
            instance.killed = true;
        }
        try {
            this.os.kill(instance.pid, signal);
        }
        catch (RuntimeException ex) {
            this.log.error("could not send " + signal.signalName() + " to " + instance + ": " + ex.getMessage());
        }
    }

    private void exit(int status) {
        this.exited = true;
        this.log.info("supervisor exits with status " + status + (this.failed ? " (state failed)" : ""));
        boolean gaveUp = this.failed;
        if (gaveUp) {
            tell(listener -> listener.stateChanged(this.lastInstanceId, SamState.FAILED));
        }
        tell(listener -> listener.supervisorExiting(status, gaveUp));
        if (this.quorum != null) {
            this.quorum.close();
        }
        this.channel.close();
        this.exit.accept(status);
    }

    // ---- status ------------------------------------------------------------------------------

    /** The supervisor's state as the instance may read it. */
    SamStatus status(long now) {
        SupervisedInstance instance = this.current;
        SamState state;
        if (this.failed) {
            state = SamState.FAILED;
        }
        else if (instance != null && instance.waitingForQuorum && instance.ending == null) {
            state = SamState.WAITING_FOR_QUORUM;
        }
        else if (instance != null && instance.started && instance.ending == null) {
            state = SamState.STARTED;
        }
        else {
            state = SamState.REGISTERED;
        }
        return new SamStatus(state, this.lastInstanceId, this.restartCount, this.settings.recoveryPolicy(),
                this.settings.timeInterval(), this.lastUpdated, this.settings.warnSignal().signalName(),
                (instance != null) ? instance.pid : -1, this.supervisorPid, this.settings.quorum() ? this.quorate : null,
                (this.data != null) ? this.data.length : 0, List.copyOf(this.history),
                this.backoff.nextDelay(this.settings), this.backoff.restartsInWindow(this.settings, now));
    }

    boolean hasExited() {
        return this.exited;
    }

    SamSettings settings() {
        return this.settings;
    }

    SupervisedInstance current() {
        return this.current;
    }

    // ---- wording -----------------------------------------------------------------------------

    static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0s (none)";
        }
        long millis = duration.toMillis();
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }

    private static String describe(HealthCheckResult result) {
        String check = (result.check() != null) ? result.check() : "health check";
        return check + ((result.reason() != null) ? " (" + result.reason() + ")" : "");
    }
}
