package io.samboot.autoconfigure;

import io.samboot.autoconfigure.SpringBootVersionCheck.UnsupportedSpringBootVersionException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains {@link UnsupportedSpringBootVersionException}: which Spring Boot version runs,
 * which SAM supports, and what to do.
 */
public class UnsupportedSpringBootVersionFailureAnalyzer
		extends AbstractFailureAnalyzer<UnsupportedSpringBootVersionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedSpringBootVersionException cause) {
		String description = String.format(
				"SAM for Spring Boot supports Spring Boot %s, but this application runs Spring Boot %s.%n%n"
						+ "    Running: %s%n    Supported: %s%n%nOutside that range SAM's auto-configurations look"
						+ " for Spring Boot classes under other names: the sam health contributor, the sam_* meters"
						+ " and sam.health-check.include would be silently missing.",
				cause.getRange(), cause.getVersion(), cause.getVersion(), cause.getRange());
		String action = String.format(
				"Use Spring Boot %s (the newest patch release), or a SAM release made for Spring"
						+ " Boot %s. To try this version anyway, knowing the parts above may be missing, set %s=false.",
				cause.getRange(), cause.getVersion(), cause.getSwitchProperty());
		return new FailureAnalysis(description, action, cause);
	}

}
