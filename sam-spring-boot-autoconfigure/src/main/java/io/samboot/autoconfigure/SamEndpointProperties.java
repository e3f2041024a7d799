package io.samboot.autoconfigure;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code sam} Actuator endpoint's own settings ({@code management.endpoint.sam.*}),
 * beside Spring Boot's {@code management.endpoint.sam.access}.
 */
@ConfigurationProperties("management.endpoint.sam")
public class SamEndpointProperties {

	/**
	 * Write actions that POST /actuator/sam may run once write access is granted
	 * (management.endpoint.sam.access=unrestricted): 'restart' (a graceful restart),
	 * 'mark-failed' (ends supervision). Both by default; list only 'restart' to keep the
	 * terminal 'mark-failed' out of reach.
	 */
	private Set<Action> actions = EnumSet.allOf(Action.class);

	public Set<Action> getActions() {
		return this.actions;
	}

	public void setActions(Set<Action> actions) {
		this.actions = actions;
	}

	/** A write action of the {@code sam} endpoint. */
	public enum Action {

		/** A graceful restart of this instance (cause {@code restart-requested}). */
		RESTART,

		/** Ends supervision: the supervisor kills this instance and quits. */
		MARK_FAILED;

		/** The action's name in the request body, e.g. {@code mark-failed}. */
		public String id() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

}
