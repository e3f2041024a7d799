package io.samboot.autoconfigure;

import io.samboot.supervisor.ClusterServices.ClusterUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that failed because {@code sam.quorum.enabled} or
 * {@code sam.cmap.enabled} asks for corosync and corosync cannot serve it: what is
 * missing (JNA, the client libraries, the daemon, the user's permission) and what to
 * install or start, or how to switch the feature off.
 *
 * <p>
 * Has a no-argument constructor only: the check runs before any application context
 * exists.
 */
public class ClusterUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<ClusterUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ClusterUnavailableException cause) {
		String property = "sam." + cause.service() + ".enabled";
		String feature = "quorum".equals(cause.service())
				? "corosync's quorum (start waits until the cluster is"
						+ " quorate, losing quorum triggers the recovery)"
				: "corosync's CMAP (the resources.process.<pid>.* keys corosync's watchdog service reads)";
		String switchOff = "Or set " + property + "=false to run without " + feature.substring(0, feature.indexOf(" ("))
				+ ".";
		if (cause.problem() != null && cause.action() != null) {
			return new FailureAnalysis(property + "=true asks for " + feature + ", but " + cause.problem() + ".",
					sentence(cause.action()) + " " + switchOff, cause);
		}
		return new FailureAnalysis(
				property + "=true asks for " + feature + ", but it is unavailable: " + sentence(cause.getMessage()),
				"Install and start corosync (apt-get install corosync libquorum5"
						+ " libcmap4; systemctl start corosync). " + switchOff,
				cause);
	}

	private static String sentence(String text) {
		return text.endsWith(".") ? text : text + ".";
	}

}
