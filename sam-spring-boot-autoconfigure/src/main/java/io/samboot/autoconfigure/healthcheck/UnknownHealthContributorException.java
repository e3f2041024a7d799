package io.samboot.autoconfigure.healthcheck;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code sam.health-check.include} names health contributors that do not exist. Thrown at
 * start-up, so that a typo does not silently leave a dependency unchecked.
 */
public class UnknownHealthContributorException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final List<String> unknownNames;

	private final SortedSet<String> knownNames;

	private final boolean registryAvailable;

	/**
	 * @param unknownNames the names in {@code sam.health-check.include} that name no
	 * contributor
	 * @param knownNames the names of the contributors that exist
	 * @param registryAvailable whether Actuator's health contributor registry exists at
	 * all
	 */
	public UnknownHealthContributorException(List<String> unknownNames, Iterable<String> knownNames,
			boolean registryAvailable) {
		super(message(unknownNames, knownNames, registryAvailable));
		this.unknownNames = List.copyOf(unknownNames);
		TreeSet<String> known = new TreeSet<>();
		knownNames.forEach(known::add);
		this.knownNames = java.util.Collections.unmodifiableSortedSet(known);
		this.registryAvailable = registryAvailable;
	}

	private static String message(List<String> unknownNames, Iterable<String> knownNames, boolean registryAvailable) {
		if (!registryAvailable) {
			return "sam.health-check.include names " + unknownNames
					+ " but there are no Actuator health contributors (Spring Boot's health support is not active)";
		}
		TreeSet<String> known = new TreeSet<>();
		knownNames.forEach(known::add);
		return "sam.health-check.include names unknown health contributors " + unknownNames + "; known: " + known;
	}

	/** The names in {@code sam.health-check.include} that name no contributor. */
	public List<String> getUnknownNames() {
		return this.unknownNames;
	}

	/** The names of the health contributors that exist, sorted. */
	public SortedSet<String> getKnownNames() {
		return this.knownNames;
	}

	/** Whether Actuator's health contributor registry exists at all. */
	public boolean isRegistryAvailable() {
		return this.registryAvailable;
	}

}
