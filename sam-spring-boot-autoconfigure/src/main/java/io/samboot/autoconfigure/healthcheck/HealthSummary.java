package io.samboot.autoconfigure.healthcheck;

import java.util.Map;

import io.samboot.CheckResult;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Turns a Spring Boot {@link Health} into a {@link CheckResult}. Only loaded when
 * {@code spring-boot-health} is on the class path.
 */
final class HealthSummary {

	private static final int MAX_DETAIL_LENGTH = 300;

	private HealthSummary() {
	}

	static CheckResult check(String name, Object health) {
		if (!(health instanceof Health value)) {
			return CheckResult.down(name, "returned no Health");
		}
		if (Status.UP.equals(value.getStatus())) {
			return CheckResult.up();
		}
		return CheckResult.down(name, summary(value));
	}

	/**
	 * {@code DOWN (error=java.io.IOException: refused, database=PostgreSQL)}, shortened
	 * when long.
	 */
	static String summary(Health health) {
		StringBuilder text = new StringBuilder(health.getStatus().getCode());
		Map<String, Object> details = health.getDetails();
		if (details != null && !details.isEmpty()) {
			text.append(" (");
			boolean first = true;
			for (Map.Entry<String, Object> detail : details.entrySet()) {
				if (!first) {
					text.append(", ");
				}
				first = false;
				text.append(detail.getKey()).append('=').append(detail.getValue());
				if (text.length() > MAX_DETAIL_LENGTH) {
					break;
				}
			}
			text.append(')');
		}
		if (text.length() > MAX_DETAIL_LENGTH) {
			return text.substring(0, MAX_DETAIL_LENGTH - 3) + "...";
		}
		return text.toString();
	}

}
