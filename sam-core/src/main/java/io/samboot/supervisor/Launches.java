package io.samboot.supervisor;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.samboot.log.SamLog;
import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;
import io.samboot.supervisor.InstanceLauncher.LaunchTicket;
import io.samboot.supervisor.InstanceLauncher.LaunchedInstance;

/**
 * Instance after instance: each gets the next id and a secret made for it alone, or, for
 * the first, is taken over when the JVM this process was before it re-executed itself
 * launched it already ({@link SupervisorReexec}). Launched or adopted, an instance takes
 * the same path from then on: the channel expects its PID, its exit is watched, it is
 * logged and the listeners hear of it. Used on the loop thread only.
 */
final class Launches {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final InstanceLauncher launcher;

	private final ControlChannel channel;

	private final long supervisorPid;

	private final Consumer<SupervisorEvent> events;

	private final SupervisorListener listeners;

	private final SamLog log;

	private final Clock clock;

	private final LongSupplier nanoTime;

	private AdoptedInstance adopted;

	private int lastId;

	private int restartCount;

	/** When the last instance ended, to report the gap before the next. */
	private long lastEndedNanos;

	/**
	 * @param events where an instance's exit is posted, from the thread that sees it
	 * @param nanoTime the loop's ticker
	 */
	Launches(InstanceLauncher launcher, ControlChannel channel, long supervisorPid, Consumer<SupervisorEvent> events,
			SupervisorListener listeners, SamLog log, Clock clock, LongSupplier nanoTime) {
		this.launcher = launcher;
		this.channel = channel;
		this.supervisorPid = supervisorPid;
		this.events = events;
		this.listeners = listeners;
		this.log = log;
		this.clock = clock;
		this.nanoTime = nanoTime;
	}

	/**
	 * Takes over this instance, launched as instance 1, instead of launching the first
	 * one.
	 */
	void adoptFirst(AdoptedInstance instance) {
		this.adopted = instance;
	}

	/**
	 * Launches the next instance, or takes over the adopted one when it is the next.
	 * @return the new instance, or {@code null} if it could not be launched (logged)
	 */
	SupervisedInstance next(long now) {
		int id = this.lastId + 1;
		AdoptedInstance adoption = this.adopted;
		this.adopted = null;
		if (adoption != null && adoption.ticket().instanceId() == id) {
			return supervise(id, adoption.launched(), adoption.launchedAt(), adoption.launchedNanos(), true, now);
		}
		LaunchedInstance launched = launch(id, "instance " + id);
		return (launched != null) ? supervise(id, launched, this.clock.instant(), now, false, now) : null;
	}

	/**
	 * Launches the hot standby: the next instance's id and secret, but nothing is counted
	 * and nobody hears of it until it is {@link #promoted}.
	 * @return the standby, or {@code null} if it could not be launched (logged)
	 */
	SupervisedInstance nextStandby(long now) {
		int id = this.lastId + 1;
		LaunchedInstance launched = launch(id, "the standby");
		if (launched == null) {
			return null;
		}
		this.channel.expectPid(id, launched.pid());
		SupervisedInstance standby = new SupervisedInstance(id, launched.pid(), this.clock.instant(), now);
		standby.launched = launched;
		standby.standby = true;
		launched.exit()
			.whenComplete((status, failure) -> this.events
				.accept(new SupervisorEvent.InstanceExited(id, (status != null) ? status : 1)));
		return standby;
	}

	/**
	 * The standby becomes the next instance: counted as a restart, logged and announced
	 * as a launched instance would be.
	 */
	void promoted(SupervisedInstance standby, long now) {
		standby.standby = false;
		this.restartCount++;
		this.lastId = standby.id;
		this.log.info("promoted the standby (pid " + standby.pid + ") to instance " + standby.id + ", "
				+ Duration.ofNanos(now - this.lastEndedNanos).toMillis() + "ms after instance " + (standby.id - 1)
				+ " failed or was replaced");
		this.listeners.instanceLaunched(standby.id, standby.pid);
	}

	/**
	 * The instance before the next is going now (a promotion does not wait for its exit).
	 */
	void replacing(long now) {
		this.lastEndedNanos = now;
	}

	private LaunchedInstance launch(int id, String what) {
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		this.channel.expect(id, secret);
		try {
			return this.launcher.launch(new LaunchTicket(id, secret, this.channel.socketPath(), this.supervisorPid));
		}
		catch (IOException | RuntimeException ex) {
			this.log.error("could not launch " + what + ": " + ex.getMessage());
			return null;
		}
	}

	private SupervisedInstance supervise(int id, LaunchedInstance launched, Instant startedAt, long launchedNanos,
			boolean adopted, long now) {
		if (this.lastId > 0) {
			this.restartCount++;
		}
		this.lastId = id;
		this.channel.expectPid(id, launched.pid());
		SupervisedInstance instance = new SupervisedInstance(id, launched.pid(), startedAt, launchedNanos);
		instance.launched = launched;
		launched.exit()
			.whenComplete((status, failure) -> this.events
				.accept(new SupervisorEvent.InstanceExited(id, (status != null) ? status : 1)));
		this.log.info("launched instance " + id + " (pid " + launched.pid() + ")"
				+ (adopted
						? ", " + Duration.ofNanos(this.nanoTime.getAsLong() - launchedNanos).toMillis()
								+ "ms before this supervisor JVM took it over"
						: (id > 1) ? ", " + Duration.ofNanos(now - this.lastEndedNanos).toMillis()
								+ "ms after instance " + (id - 1) + " ended" : ""));
		this.listeners.instanceLaunched(id, launched.pid());
		return instance;
	}

	/**
	 * The instance ended now: its channel is closed, and the next launch reports the gap.
	 */
	void ended(SupervisedInstance instance, long now) {
		this.lastEndedNanos = now;
		this.channel.disconnect(instance.id);
	}

	/** The id of the last instance launched, 0 before the first. */
	int lastId() {
		return this.lastId;
	}

	/** Instances launched after the first. */
	int restartCount() {
		return this.restartCount;
	}

}
