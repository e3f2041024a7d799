package io.samboot.autoconfigure.healthcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.samboot.CheckResult;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;

/**
 * Checks the Actuator health contributors named in {@code sam.health-check.include}
 * ({@code *} for all but {@code sam} and {@code readinessState}): each must be
 * {@code UP}. A name may point into a composite contributor with {@code /}
 * ({@code db/primary}). Unknown names fail start-up with an
 * {@link UnknownHealthContributorException}.
 */
public class HealthContributorChecks implements SamHealthCheckGroup, SmartInitializingSingleton {

	/**
	 * Left out of {@code *}: SAM's own state, and readiness (a reason to send no traffic,
	 * not to restart).
	 */
	static final Set<String> NOT_IN_ALL = Set.of("sam", "readinessState");

	private final List<String> include;

	private final boolean all;

	private final ObjectProvider<HealthContributorRegistry> registry;

	public HealthContributorChecks(List<String> include, ObjectProvider<HealthContributorRegistry> registry) {
		List<String> names = new ArrayList<>();
		boolean wildcard = false;
		for (String name : (include != null) ? include : List.<String>of()) {
			if (name == null || name.isBlank()) {
				continue;
			}
			if (name.trim().equals("*")) {
				wildcard = true;
			}
			else {
				names.add(name.trim());
			}
		}
		this.include = List.copyOf(names);
		this.all = wildcard;
		this.registry = registry;
	}

	/** Fails start-up when an included name names no contributor. */
	@Override
	public void afterSingletonsInstantiated() {
		validate();
	}

	void validate() {
		if (this.include.isEmpty() && !this.all) {
			return;
		}
		HealthContributorRegistry contributors = this.registry.getIfAvailable();
		if (contributors == null) {
			List<String> named = this.all ? List.of("*") : this.include;
			throw new UnknownHealthContributorException(named, List.of(), false);
		}
		List<String> unknown = new ArrayList<>();
		for (String name : this.include) {
			if (resolve(contributors, name) == null) {
				unknown.add(name);
			}
		}
		if (!unknown.isEmpty()) {
			throw new UnknownHealthContributorException(unknown,
					contributors.stream().map(HealthContributors.Entry::name).toList(), true);
		}
	}

	@Override
	public CheckResult check() {
		if (this.include.isEmpty() && !this.all) {
			return CheckResult.up();
		}
		HealthContributorRegistry contributors = this.registry.getIfAvailable();
		if (contributors == null) {
			return CheckResult.up();
		}
		if (this.all) {
			for (HealthContributors.Entry entry : contributors.stream().toList()) {
				if (!NOT_IN_ALL.contains(entry.name())) {
					CheckResult result = check(entry.name(), entry.contributor());
					if (!result.healthy()) {
						return result;
					}
				}
			}
		}
		for (String name : this.include) {
			HealthContributor contributor = resolve(contributors, name);
			CheckResult result = (contributor != null) ? check(name, contributor)
					: CheckResult.down(name, "no such health contributor any more");
			if (!result.healthy()) {
				return result;
			}
		}
		return CheckResult.up();
	}

	private static HealthContributor resolve(HealthContributors contributors, String path) {
		HealthContributor current = null;
		HealthContributors level = contributors;
		for (String part : path.split("/")) {
			if (level == null) {
				return null;
			}
			current = level.getContributor(part);
			if (current == null) {
				return null;
			}
			level = (current instanceof CompositeHealthContributor composite) ? composite : null;
		}
		return current;
	}

	private static CheckResult check(String name, HealthContributor contributor) {
		if (contributor instanceof HealthIndicator indicator) {
			Health health;
			try {
				health = indicator.health(true);
			}
			catch (RuntimeException ex) {
				return CheckResult.down(name, "DOWN (" + ex.getClass().getSimpleName()
						+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : "") + ")");
			}
			if (health == null || !Status.UP.equals(health.getStatus())) {
				return CheckResult.down(name, (health != null) ? HealthSummary.summary(health) : "no health");
			}
			return CheckResult.up();
		}
		if (contributor instanceof CompositeHealthContributor composite) {
			for (HealthContributors.Entry entry : composite.stream().toList()) {
				CheckResult result = check(name + "/" + entry.name(), entry.contributor());
				if (!result.healthy()) {
					return result;
				}
			}
		}
		return CheckResult.up();
	}

}
