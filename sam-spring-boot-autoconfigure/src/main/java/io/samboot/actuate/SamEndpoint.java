package io.samboot.actuate;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.samboot.InstanceRecord;
import io.samboot.SamClient;
import io.samboot.SamStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/sam}: what the supervisor knows (read), and the {@code restart} and
 * {@code mark-failed} actions (write, off unless the user grants write access with
 * {@code management.endpoint.sam.access=unrestricted}; then only the actions in
 * {@code management.endpoint.sam.actions}, both by default).
 */
@Endpoint(id = "sam", defaultAccess = Access.READ_ONLY)
public class SamEndpoint {

	/** The actions {@link #action(String)} accepts. */
	public static final List<String> ACTIONS = List.of("restart", "mark-failed");

	private static final Log logger = LogFactory.getLog(SamEndpoint.class);

	private final SamClient client;

	private final Duration actionDelay;

	private final Set<String> allowedActions;

	public SamEndpoint(SamClient client) {
		this(client, ACTIONS);
	}

	/**
	 * @param allowedActions the actions {@link #action(String)} may run once write access
	 * is granted; the others are refused
	 */
	public SamEndpoint(SamClient client, Collection<String> allowedActions) {
		this(client, Duration.ofMillis(500), allowedActions);
	}

	/**
	 * @param actionDelay how long an action waits on its own thread, so that the response
	 * is written before the instance goes away
	 */
	SamEndpoint(SamClient client, Duration actionDelay) {
		this(client, actionDelay, ACTIONS);
	}

	SamEndpoint(SamClient client, Duration actionDelay, Collection<String> allowedActions) {
		this.client = client;
		this.actionDelay = actionDelay;
		this.allowedActions = Set.copyOf(allowedActions);
	}

	@ReadOperation
	public SamDescriptor status() {
		return SamDescriptor.of(this.client.status());
	}

	/**
	 * Runs an action after the response is written: {@code restart} asks the supervisor
	 * for a graceful restart of this instance, {@code mark-failed} ends supervision (the
	 * supervisor kills this instance and quits).
	 */
	public ActionDescriptor action(String action) {
		return action(action, null);
	}

	/**
	 * As {@link #action(String)}, logging who asked: the caller's principal, as Spring
	 * Security (or the web server) knows it.
	 */
	@WriteOperation
	public ActionDescriptor action(String action, SecurityContext caller) {
		String requested = (action != null) ? action.trim().toLowerCase(Locale.ROOT) : "";
		if (ACTIONS.contains(requested) && !this.allowedActions.contains(requested)) {
			throw new InvalidEndpointRequestException("Action '" + requested + "' is not allowed", "action '"
					+ requested + "' is not allowed here; add it to management.endpoint.sam.actions to" + " allow it");
		}
		int instanceId = this.client.instanceId();
		switch (requested) {
			case "restart" -> {
				if (!this.client.supervised()) {
					throw new InvalidEndpointRequestException("Cannot restart: this process is not supervised",
							"this process is not supervised, so nothing can restart it");
				}
				logger.info("POST /actuator/sam {\"action\":\"restart\"} by " + who(caller)
						+ ": asking the supervisor to restart instance " + instanceId);
				runLater("restart", this.client::requestRestart);
				return new ActionDescriptor("restart", "Restarting instance " + instanceId);
			}
			case "mark-failed" -> {
				logger.warn("POST /actuator/sam {\"action\":\"mark-failed\"} by " + who(caller) + ": instance "
						+ instanceId + " marks itself failed, and supervision ends");
				runLater("mark-failed", this.client::markFailed);
				return new ActionDescriptor("mark-failed",
						"Marking instance " + instanceId + " failed: the supervisor stops it and does not restart it");
			}
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"unknown action '" + action + "'; use one of " + ACTIONS);
		}
	}

	/** The caller as the log names it. */
	private static String who(SecurityContext caller) {
		Principal principal = (caller != null) ? caller.getPrincipal() : null;
		return (principal != null) ? "'" + principal.getName() + "'" : "an unauthenticated caller";
	}

	private void runLater(String name, Runnable action) {
		Thread thread = new Thread(() -> {
			try {
				Thread.sleep(this.actionDelay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				logger.error("SAM action '" + name + "' requested through /actuator/sam failed", ex);
			}
		}, "sam-endpoint-" + name);
		thread.setContextClassLoader(getClass().getClassLoader());
		thread.start();
	}

	/**
	 * The response of {@code GET /actuator/sam}.
	 *
	 * @param state {@code registered}, {@code started}, {@code failed} or
	 * {@code waiting-for-quorum}
	 * @param instanceId the id of this instance (1 for the first, 0 when unsupervised)
	 * @param restartCount how many times the supervisor started a new instance after the
	 * first
	 * @param recoveryPolicy {@code restart} or {@code quit}
	 * @param pollPeriod the health-check time interval in milliseconds (0 for none)
	 * @param lastUpdated ISO-8601 instant of the last passed health check or heartbeat,
	 * or null
	 * @param warnSignal the warning signal, e.g. {@code SIGTERM}
	 * @param pid this instance's process id
	 * @param supervisorPid the supervisor's process id (-1 when unsupervised)
	 * @param quorate whether corosync reports quorum, or null without quorum
	 * @param dataSize bytes in the data store
	 * @param history the ended instances, oldest first
	 * @param nextRestartDelay milliseconds a restart after a failure would wait now
	 * ({@code sam.restart.*})
	 * @param restartsInWindow restarts after failures within {@code sam.restart.window}
	 * @param standby the hot standby, or null without {@code sam.standby.enabled}
	 * @param promotions standbys promoted since the supervisor started
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record SamDescriptor(String state, int instanceId, int restartCount, String recoveryPolicy, long pollPeriod,
			String lastUpdated, String warnSignal, long pid, long supervisorPid, Boolean quorate, int dataSize,
			List<InstanceDescriptor> history, long nextRestartDelay, int restartsInWindow, StandbyDescriptor standby,
			int promotions) implements OperationResponseBody {

		static SamDescriptor of(SamStatus status) {
			return new SamDescriptor(status.state().id(), status.instanceId(), status.restartCount(),
					status.recoveryPolicy().id(), status.pollPeriod().toMillis(), iso(status.lastUpdated()),
					status.warnSignal(), status.pid(), status.supervisorPid(), status.quorate(), status.dataSize(),
					status.history().stream().map(InstanceDescriptor::of).toList(),
					status.nextRestartDelay().toMillis(), status.restartsInWindow(),
					StandbyDescriptor.of(status.standby()), status.promotions());
		}
	}

	/**
	 * The hot standby.
	 *
	 * @param state {@code starting}, {@code ready}, {@code promoting}, or {@code none}
	 * while none runs (the active instance is not ready yet, or the next waits after a
	 * failure)
	 * @param pid its process id, -1 when none runs
	 * @param since ISO-8601 instant it entered that state, or null
	 * @param failures standbys that ended or were replaced before they were promoted
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record StandbyDescriptor(String state, long pid, String since, int failures) {

		static StandbyDescriptor of(SamStatus.StandbyStatus standby) {
			return (standby != null)
					? new StandbyDescriptor(standby.state(), standby.pid(), iso(standby.since()), standby.failures())
					: null;
		}
	}

	/**
	 * One ended instance.
	 *
	 * @param instanceId its instance id
	 * @param pid its process id
	 * @param startedAt ISO-8601 instant it was launched
	 * @param endedAt ISO-8601 instant the supervisor saw it end
	 * @param cause why it ended: {@code exited}, {@code health-check-timeout},
	 * {@code health-check-failed}, {@code quorum-lost}, {@code startup-timeout},
	 * {@code restart-requested}, {@code marked-failed}, {@code shutdown}
	 * @param exitStatus its exit status (128 + N when it died of signal N)
	 * @param signal the signal that ended it ({@code SIGKILL}), or null
	 * @param detail the failing check and its reason, or null
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record InstanceDescriptor(int instanceId, long pid, String startedAt, String endedAt, String cause,
			int exitStatus, String signal, String detail) {

		static InstanceDescriptor of(InstanceRecord record) {
			return new InstanceDescriptor(record.instanceId(), record.pid(), iso(record.startedAt()),
					iso(record.endedAt()), (record.cause() != null) ? record.cause().id() : null, record.exitStatus(),
					record.signal(), record.detail());
		}
	}

	/**
	 * The response of {@code POST /actuator/sam}.
	 *
	 * @param action the action that will run
	 * @param message what happens next
	 */
	public record ActionDescriptor(String action, String message) implements OperationResponseBody {
	}

	private static String iso(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
