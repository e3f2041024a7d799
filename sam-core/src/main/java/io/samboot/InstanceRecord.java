package io.samboot;

import java.time.Instant;

/**
 * One ended instance in the supervisor's history.
 *
 * @param instanceId the instance id (1 for the first instance)
 * @param pid the instance's process id
 * @param startedAt when the supervisor launched it
 * @param endedAt when the supervisor saw it end
 * @param cause why it ended
 * @param exitStatus its exit status as a shell reports it (128 + N when it died of signal
 * N)
 * @param signal the signal that ended it ({@code SIGKILL}), or {@code null} when it
 * exited
 * @param detail what the supervisor knows beyond the cause (the failing check and its
 * reason), or {@code null}
 */
public record InstanceRecord(int instanceId, long pid, Instant startedAt, Instant endedAt, EndCause cause,
		int exitStatus, String signal, String detail) {
}
