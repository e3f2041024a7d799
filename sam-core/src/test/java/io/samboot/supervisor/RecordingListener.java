package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamSettings;
import io.samboot.SamState;

/** Records every call as a short line ("state 1 STARTED", "healthy 1", ...), in order. */
final class RecordingListener implements SupervisorListener {

	final List<String> heard = new ArrayList<>();

	@Override
	public void stateChanged(int instanceId, SamState state) {
		this.heard.add("state " + instanceId + " " + state);
	}

	@Override
	public void instanceLaunched(int instanceId, long pid) {
		this.heard.add("launched " + instanceId + " " + pid);
	}

	@Override
	public void instanceRegistered(int instanceId, SamSettings settings) {
		this.heard.add("registered " + instanceId);
	}

	@Override
	public void healthCheckingStarted(int instanceId) {
		this.heard.add("started " + instanceId);
	}

	@Override
	public void healthCheckingStopped(int instanceId) {
		this.heard.add("stopped " + instanceId);
	}

	@Override
	public void instanceHealthy(int instanceId) {
		this.heard.add("healthy " + instanceId);
	}

	@Override
	public void endingDecided(int instanceId, EndCause cause, String detail) {
		this.heard.add("ending " + instanceId + " " + cause);
	}

	@Override
	public void instanceEnded(InstanceRecord record) {
		this.heard.add("ended " + record.instanceId() + " " + record.cause());
	}

	@Override
	public void supervisorExiting(int status, boolean failed) {
		this.heard.add("exiting " + status + " " + failed);
	}

}
