package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.log.SamLog;

/**
 * The loop's listeners as one: each hears every call, in the order they were added, and
 * one that throws is logged and skipped, so no integration can stop supervision. Direct
 * calls rather than a lambda per event: the loop tells of every heartbeat.
 */
final class SupervisorListeners implements SupervisorListener {

	private final List<SupervisorListener> listeners = new ArrayList<>();

	private final SamLog log;

	SupervisorListeners(SamLog log) {
		this.log = log;
	}

	void add(SupervisorListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void stateChanged(int instanceId, SamState state) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.stateChanged(instanceId, state);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void instanceLaunched(int instanceId, long pid) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.instanceLaunched(instanceId, pid);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void instanceRegistered(int instanceId, SamSettings settings) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.instanceRegistered(instanceId, settings);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void healthCheckingStarted(int instanceId) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.healthCheckingStarted(instanceId);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void healthCheckingStopped(int instanceId) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.healthCheckingStopped(instanceId);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void instanceHealthy(int instanceId) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.instanceHealthy(instanceId);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void endingDecided(int instanceId, EndCause cause, String detail) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.endingDecided(instanceId, cause, detail);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void quorumChanged(int instanceId, boolean quorate) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.quorumChanged(instanceId, quorate);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void instanceEnded(InstanceRecord record) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.instanceEnded(record);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void supervisorExiting(int status, boolean failed) {
		for (SupervisorListener listener : this.listeners) {
			try {
				listener.supervisorExiting(status, failed);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	private void failed(SupervisorListener listener, RuntimeException ex) {
		this.log.warn("listener " + listener.getClass().getSimpleName() + " failed: " + ex);
	}

}
