package io.samboot.autoconfigure;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Stops start-up on a Spring Boot version SAM is not built for, naming the version and
 * the supported range ({@link UnsupportedSpringBootVersionFailureAnalyzer} explains it),
 * instead of running with SAM's health contributor and meters silently missing (their
 * auto-configurations look for classes by their Spring Boot 4 names).
 *
 * <p>
 * Listed in {@code META-INF/spring.factories} under the key every Spring Boot version
 * reads, and uses nothing that differs between them. Runs once the configuration files
 * are read and before {@link SamApplicationListener} registers the instance, so
 * {@code sam.compatibility-verifier.enabled=false} in {@code application.yml} switches it
 * off, as Spring Cloud's {@code spring.cloud.compatibility-verifier.enabled} does.
 */
public final class SpringBootVersionCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** The lowest Spring Boot version SAM supports. */
	static final String LOWEST = "4.0.0";

	/** The first Spring Boot version SAM does not support any more. */
	static final String BEYOND = "4.2.0";

	/** The supported range as users read it. */
	static final String RANGE = "4.0.x and 4.1.x";

	/** Switches the check off. */
	static final String ENABLED_PROPERTY = "sam.compatibility-verifier.enabled";

	@Override
	public int getOrder() {
		return SamSupervisorTakeover.ORDER - 1;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		check(SpringBootVersion.getVersion(), event.getEnvironment());
	}

	/**
	 * @param version the running Spring Boot version, {@code null} when unknown (then
	 * nothing is checked)
	 * @throws UnsupportedSpringBootVersionException outside the supported range
	 */
	static void check(String version, Environment environment) {
		if (version == null || !environment.getProperty(ENABLED_PROPERTY, Boolean.class, true)) {
			return;
		}
		if (!supported(version)) {
			throw new UnsupportedSpringBootVersionException(version, RANGE, ENABLED_PROPERTY);
		}
	}

	/** Whether {@code version} is within {@code [LOWEST, BEYOND)}. */
	static boolean supported(String version) {
		return compare(version, LOWEST) >= 0 && compare(version, BEYOND) < 0;
	}

	/** Compares the numeric major, minor and patch parts ({@code 4.1.0-M1} is 4.1.0). */
	private static int compare(String version, String other) {
		int[] a = numbers(version);
		int[] b = numbers(other);
		for (int i = 0; i < 3; i++) {
			if (a[i] != b[i]) {
				return Integer.compare(a[i], b[i]);
			}
		}
		return 0;
	}

	private static int[] numbers(String version) {
		int[] numbers = new int[3];
		String[] parts = version.split("[.-]");
		for (int i = 0; i < 3 && i < parts.length; i++) {
			try {
				numbers[i] = Integer.parseInt(parts[i]);
			}
			catch (NumberFormatException ex) {
				break;
			}
		}
		return numbers;
	}

	/** Spring Boot's version is outside the range SAM supports. */
	public static class UnsupportedSpringBootVersionException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final String version;

		private final String range;

		private final String switchProperty;

		UnsupportedSpringBootVersionException(String version, String range, String switchProperty) {
			super("SAM for Spring Boot supports Spring Boot " + range + ", not " + version);
			this.version = version;
			this.range = range;
			this.switchProperty = switchProperty;
		}

		/** The Spring Boot version the application runs. */
		public String getVersion() {
			return this.version;
		}

		/** The supported range, e.g. {@code 4.0.x and 4.1.x}. */
		public String getRange() {
			return this.range;
		}

		String getSwitchProperty() {
			return this.switchProperty;
		}

	}

}
