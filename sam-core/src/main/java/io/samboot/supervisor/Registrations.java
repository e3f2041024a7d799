package io.samboot.supervisor;

import java.util.Map;

import io.samboot.PosixSignal;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.log.SamLog;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.Reply;

/**
 * What an instance's hello sets up: the settings it registers with, what they switch on
 * (the size limits, the cluster services they ask for) and the welcome. The warning
 * signal the application sets at run time ({@code sam_warn_signal_set}) outlives the
 * instance that set it, as in corosync, so every later registration keeps it. Used on the
 * loop thread only.
 */
final class Registrations {

	private final ControlChannel channel;

	private final SupervisorDataStore dataStore;

	private final ClusterLink cluster;

	private final SupervisorListener listeners;

	private final SamLog log;

	private final long supervisorPid;

	/** Set when the application changed the warning signal at run time. */
	private PosixSignal warnSignal;

	Registrations(ControlChannel channel, SupervisorDataStore dataStore, ClusterLink cluster,
			SupervisorListener listeners, SamLog log, long supervisorPid) {
		this.channel = channel;
		this.dataStore = dataStore;
		this.cluster = cluster;
		this.listeners = listeners;
		this.log = log;
		this.supervisorPid = supervisorPid;
	}

	/**
	 * The settings to apply from an instance's hello: those it sent, or the previous ones
	 * if those cannot be used, with the run-time warning signal, if any.
	 */
	SamSettings settings(SupervisedInstance instance, Map<String, String> sent, SamSettings previous) {
		SamSettings settings = previous;
		try {
			settings = SamSettings.fromMap(sent);
		}
		catch (IllegalArgumentException ex) {
			this.log.warn(instance + " sent settings the supervisor cannot use (" + ex.getMessage() + "); keeping "
					+ previous);
		}
		if (this.warnSignal != null) {
			try {
				settings = settings.withWarnSignal(this.warnSignal);
			}
			catch (IllegalArgumentException ex) {
				this.log.warn(instance + " cannot keep the warning signal set at run time ("
						+ this.warnSignal.signalName() + "): " + ex.getMessage());
			}
		}
		return settings;
	}

	/**
	 * Applies what the settings switch on: the data store's and the channel's size
	 * limits, and the cluster services they ask for.
	 * @return {@code false} if a cluster service is unavailable: the instance is told so
	 * (its registration fails) and the error is logged
	 */
	boolean admit(SupervisedInstance instance, SamSettings settings) {
		this.dataStore.settings(settings);
		this.channel.frameLimit(settings.dataStoreMaxSize());
		String clusterProblem = this.cluster.connect(settings);
		if (clusterProblem != null) {
			this.log.error(instance + " asked for " + clusterProblem);
			this.channel.send(instance.id, new Reply(SamError.LIBRARY.name(), clusterProblem));
			return false;
		}
		return true;
	}

	/**
	 * Welcomes the registered instance with the stored data, and tells the listeners and
	 * the log.
	 */
	void welcome(SupervisedInstance instance, SamSettings settings, int restartCount) {
		int dropped = this.dataStore.dropIfTooBig();
		if (dropped > 0) {
			// The instance reads no frame larger than its own limit: the welcome would
			// end
			// it, and every instance after it.
			this.log.warn("the stored data (" + dropped + " bytes) is larger than sam.data-store.max-size ("
					+ settings.dataStoreMaxSize() + " bytes) of " + instance + ", lowered since it was stored: it is"
					+ " dropped and " + instance + " starts without it; raise the limit again to keep data that large");
		}
		// From now on (its settings are known) its data stores are kept as the channel
		// reads them.
		this.dataStore.keepFrom(instance.id);
		this.channel.send(instance.id,
				new Message.Welcome(instance.id, this.supervisorPid, restartCount, this.dataStore.data()));
		this.listeners.instanceRegistered(instance.id, settings);
		this.listeners.stateChanged(instance.id, SamState.REGISTERED);
		if (!settings.enabled()) {
			this.log.info(instance + " runs with sam.enabled=false: the supervisor only passes signals and its exit"
					+ " status through");
		}
		else {
			this.log.info(instance + " registered: time-interval " + DurationText.of(settings.timeInterval())
					+ ", recovery-policy " + settings.recoveryPolicy().id() + ", warn-signal "
					+ settings.warnSignal().signalName() + ", health-check " + settings.healthCheckMode().id());
		}
	}

	/**
	 * Changes the warning signal at the instance's request, for it and every later
	 * instance, and answers it; a signal that cannot warn a JVM (see
	 * {@link PosixSignal#parseWarningSignal}) is refused with INVALID_PARAM.
	 * @return the settings with the new warning signal, or unchanged when refused
	 */
	SamSettings warnSignalSet(SupervisedInstance instance, SamSettings settings, String signal) {
		try {
			PosixSignal parsed = PosixSignal.parseWarningSignal(signal);
			SamSettings changed = settings.withWarnSignal(parsed);
			this.warnSignal = parsed;
			this.channel.send(instance.id, Reply.ok());
			return changed;
		}
		catch (IllegalArgumentException ex) {
			this.channel.send(instance.id, new Reply(SamError.INVALID_PARAM.name(), ex.getMessage()));
			return settings;
		}
	}

}
