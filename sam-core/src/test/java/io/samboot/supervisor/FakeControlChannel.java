package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.samboot.protocol.Message;

/** Records what the supervisor loop does with its control channel. */
final class FakeControlChannel implements ControlChannel {

	/** One message the loop sent to an instance. */
	record Sent(int instanceId, Message message) {
	}

	static final String SOCKET = "/tmp/sam-test/control.sock";

	final List<Sent> sent = new ArrayList<>();

	final Map<Integer, byte[]> expectedSecrets = new HashMap<>();

	final Map<Integer, Long> expectedPids = new HashMap<>();

	final List<Long> frameLimits = new ArrayList<>();

	final List<Integer> disconnected = new ArrayList<>();

	boolean closed;

	/** What the loop registered to keep data stores on the channel's thread. */
	DataSink dataSink;

	@Override
	public String socketPath() {
		return SOCKET;
	}

	@Override
	public void expect(int instanceId, byte[] secret) {
		this.expectedSecrets.put(instanceId, secret.clone());
	}

	@Override
	public void expectPid(int instanceId, long pid) {
		this.expectedPids.put(instanceId, pid);
	}

	@Override
	public void frameLimit(long dataStoreMaxSize) {
		this.frameLimits.add(dataStoreMaxSize);
	}

	@Override
	public void send(int instanceId, Message message) {
		this.sent.add(new Sent(instanceId, message));
	}

	@Override
	public void dataSink(DataSink sink) {
		this.dataSink = sink;
	}

	@Override
	public void disconnect(int instanceId) {
		this.disconnected.add(instanceId);
	}

	@Override
	public void close() {
		this.closed = true;
	}

	/** The messages of one type sent to one instance, in order. */
	<T extends Message> List<T> sentTo(int instanceId, Class<T> type) {
		List<T> messages = new ArrayList<>();
		for (Sent entry : this.sent) {
			if (entry.instanceId() == instanceId && type.isInstance(entry.message())) {
				messages.add(type.cast(entry.message()));
			}
		}
		return messages;
	}

	/** The last message sent to an instance. */
	Message lastTo(int instanceId) {
		for (int i = this.sent.size() - 1; i >= 0; i--) {
			if (this.sent.get(i).instanceId() == instanceId) {
				return this.sent.get(i).message();
			}
		}
		throw new AssertionError("nothing was sent to instance " + instanceId);
	}

}
