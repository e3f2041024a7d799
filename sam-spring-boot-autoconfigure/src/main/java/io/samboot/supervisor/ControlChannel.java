package io.samboot.supervisor;

import io.samboot.protocol.Message;

/** What the supervisor loop needs of the control channel (the {@link ControlServer}, or a fake in tests). */
interface ControlChannel extends AutoCloseable {

    String socketPath();

    void expect(int instanceId, byte[] secret);

    void expectPid(int instanceId, long pid);

    void frameLimit(long dataStoreMaxSize);

    void send(int instanceId, Message message);

    void disconnect(int instanceId);

    @Override
    void close();
}
