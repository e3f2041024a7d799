package io.samboot.corosync;

import io.samboot.supervisor.ClusterServices.ClusterUnavailableException;

/**
 * Runs {@link CorosyncAvailability#check} in a fresh JVM and prints the outcome, for the
 * tests.
 */
public final class AvailabilityFixture {

	private AvailabilityFixture() {
	}

	public static void main(String[] args) {
		try {
			CorosyncAvailability.check(true, true);
			System.out.println("AVAILABLE");
		}
		catch (ClusterUnavailableException ex) {
			System.out.println("UNAVAILABLE service=" + ex.service() + " reason="
					+ ((CorosyncUnavailableException) ex.getCause()).reason() + " message=" + ex.getMessage());
		}
	}

}
