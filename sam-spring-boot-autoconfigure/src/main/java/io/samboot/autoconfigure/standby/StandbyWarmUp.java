package io.samboot.autoconfigure.standby;

/**
 * Work a parked standby does before it waits, so that its first requests after the
 * promotion are fast: side-effect-free requests through the web stack, for instance.
 */
@FunctionalInterface
public interface StandbyWarmUp {

	void run();

}
