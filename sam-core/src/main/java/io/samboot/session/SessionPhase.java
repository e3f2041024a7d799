package io.samboot.session;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.session.SamSession.Phase;

/**
 * Where the SAM handle stands ({@link Phase}), and corosync's BAD_HANDLE for a call made
 * in a phase that does not allow it (lib/sam.c checks the state before anything else).
 * Changed under the handle's lock only, but volatile: hcSend and the restore calls check
 * it without taking the lock, and without a varargs array.
 */
final class SessionPhase {

	private volatile Phase phase = Phase.NOT_INITIALIZED;

	Phase get() {
		return this.phase;
	}

	void set(Phase phase) {
		this.phase = phase;
	}

	/** Fails with BAD_HANDLE unless the handle is in this phase. */
	void require(String call, Phase allowed) {
		Phase current = this.phase;
		if (current != allowed) {
			throw badHandle(call, current);
		}
	}

	/** Fails with BAD_HANDLE unless the handle is in one of these phases. */
	void require(String call, Phase... allowed) {
		Phase current = this.phase;
		for (Phase candidate : allowed) {
			if (current == candidate) {
				return;
			}
		}
		throw badHandle(call, current);
	}

	/**
	 * The data calls' check (INITIALIZED, REGISTERED or STARTED) without a varargs array.
	 */
	void requireDataPhase(String call) {
		Phase current = this.phase;
		if (current != Phase.INITIALIZED && current != Phase.REGISTERED && current != Phase.STARTED) {
			throw badHandle(call, current);
		}
	}

	private static SamException badHandle(String call, Phase phase) {
		String why = switch (phase) {
			case NOT_INITIALIZED -> "SAM is not initialized";
			case INITIALIZED -> "SAM is initialized but not registered";
			case REGISTERED -> "health checking is not started";
			case STARTED -> "health checking is started";
			case FINALIZED -> "SAM was closed";
		};
		return new SamException(SamError.BAD_HANDLE, call + "() is not allowed here: " + why);
	}

}
