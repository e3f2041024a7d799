package io.samboot.autoconfigure;

import java.util.Locale;

import io.samboot.SamSettings.InvalidSettingException;
import io.samboot.autoconfigure.healthcheck.InvalidSamHealthCheckException;
import io.samboot.autoconfigure.healthcheck.UnknownHealthContributorException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;

/**
 * Explains a start-up failure caused by SAM's configuration: an unusable {@code sam.*}
 * value, a name in {@code sam.health-check.include} that no health contributor has, or a
 * {@link io.samboot.SamHealthCheck @SamHealthCheck} method with a signature SAM cannot
 * call. A value set in a file, an environment variable or on the command line is shown as
 * written, with its origin ({@link InvalidSamPropertyException}), as Spring Boot's
 * {@code BindFailureAnalyzer} shows a value it cannot convert.
 *
 * <p>
 * Has a no-argument constructor only: a bad value is found while the environment is
 * prepared, before any application context exists to supply constructor arguments.
 */
public class SamConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		UnknownHealthContributorException unknown = findCause(failure, UnknownHealthContributorException.class);
		if (unknown != null) {
			return analyzeUnknownContributor(unknown);
		}
		InvalidSamHealthCheckException badMethod = findCause(failure, InvalidSamHealthCheckException.class);
		if (badMethod != null) {
			return new FailureAnalysis(badMethod.getMessage() + ".",
					"Make it a public, non-static method without arguments that returns boolean (false means"
							+ " unhealthy), org.springframework.boot.health.contributor.Health (anything but UP means"
							+ " unhealthy) or void (throwing means unhealthy), on a singleton bean.",
					badMethod);
		}
		return super.analyze(failure);
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		InvalidSamPropertyException located = findCause(rootFailure, InvalidSamPropertyException.class);
		String value = (located != null) ? located.getValue() : cause.value();
		Origin origin = (located != null) ? located.getOrigin() : null;
		String fix = cause.fix();
		String why = null;
		int split = fix.lastIndexOf("; ");
		if (split > 0) {
			why = fix.substring(0, split);
			fix = fix.substring(split + 2);
		}
		StringBuilder description = new StringBuilder();
		description.append("Invalid value '")
			.append(value)
			.append("' for property '")
			.append(cause.property())
			.append("'.");
		description.append(String.format("%n%n    Property: %s%n    Value: \"%s\"", cause.property(), value));
		if (origin != null) {
			description.append(String.format("%n    Origin: %s", origin));
		}
		description.append(String.format("%n    Reason: %s", (why != null) ? why : fix));
		String action = "Update " + cause.property() + " in your configuration: " + fix
				+ (fix.endsWith(".") ? "" : ".");
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private FailureAnalysis analyzeUnknownContributor(UnknownHealthContributorException cause) {
		String names = String.join(", ", cause.getUnknownNames());
		if (!cause.isRegistryAvailable()) {
			return new FailureAnalysis(
					"sam.health-check.include names the health contributor(s) " + names
							+ ", but Spring Boot's health support is not active, so there are no health contributors.",
					"Add spring-boot-starter-actuator (or spring-boot-health) to the application, or remove " + names
							+ " from sam.health-check.include.",
					cause);
		}
		String known = cause.getKnownNames().isEmpty() ? "(none)" : String.join(", ", cause.getKnownNames());
		String description = String.format(
				"sam.health-check.include names %s %s, but no health contributor has %s."
						+ "%n%n    Known health contributors: %s",
				plural(cause) ? "the unknown health contributors" : "an unknown health contributor", names,
				plural(cause) ? "these names" : "this name", known);
		return new FailureAnalysis(description,
				"Use the name of a known health contributor (as shown under 'components' at /actuator/health), '*' for"
						+ " all of them, or remove " + names + " from sam.health-check.include." + hintForCase(cause),
				cause);
	}

	private static boolean plural(UnknownHealthContributorException cause) {
		return cause.getUnknownNames().size() > 1;
	}

	private static String hintForCase(UnknownHealthContributorException cause) {
		for (String unknown : cause.getUnknownNames()) {
			for (String known : cause.getKnownNames()) {
				if (known.toLowerCase(Locale.ROOT).equals(unknown.toLowerCase(Locale.ROOT).replace("-", ""))) {
					return " Names are case-sensitive: did you mean '" + known + "'?";
				}
			}
		}
		return "";
	}

}
