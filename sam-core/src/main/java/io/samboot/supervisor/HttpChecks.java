package io.samboot.supervisor;

import java.net.URI;
import java.time.Duration;

import io.samboot.EndCause;
import io.samboot.LoopbackHttpUrl;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.SamSettings.InvalidSettingException;
import io.samboot.log.SamLog;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.Reply;

/**
 * The HTTP liveness check ({@code sam.health-check.http}) as the loop sees it: where it
 * goes, when the next is due, what its answers mean. An instance whose own checks pass
 * but whose web server no longer answers (out of file descriptors, its acceptor dead, its
 * request threads all stuck) is as unusable as a hung one; with the check on, the time
 * interval runs from the older of its last sign of life and its last passing HTTP check.
 * One check is on its way at a time, sent a quarter interval after the last one was sent,
 * each limited by {@code sam.health-check.timeout}. Used on the loop thread only.
 */
final class HttpChecks {

	private final HttpCheckClient client;

	private final SamLog log;

	HttpChecks(HttpCheckClient client, SamLog log) {
		this.client = client;
		this.log = log;
	}

	/** Whether the check applies to this instance now. */
	static boolean applies(SupervisedInstance instance, SamSettings settings) {
		return settings.httpCheck() && instance.httpCheckUrl != null;
	}

	/**
	 * When the instance counts as last alive: with the check on, the older of its own
	 * sign of life and its last passing HTTP check.
	 */
	static long lastAliveNanos(SupervisedInstance instance, SamSettings settings) {
		if (!applies(instance, settings)) {
			return instance.lastAliveNanos;
		}
		return (instance.httpAliveNanos - instance.lastAliveNanos < 0) ? instance.httpAliveNanos
				: instance.lastAliveNanos;
	}

	/**
	 * Health checking starts: the URL of the settings, unless the instance told one
	 * already, and a first check now.
	 */
	void started(SupervisedInstance instance, SamSettings settings, long now) {
		if (!settings.httpCheck()) {
			return;
		}
		if (instance.httpCheckUrl == null && settings.httpCheckUrl() != null) {
			instance.httpCheckUrl = URI.create(settings.httpCheckUrl());
		}
		restart(instance, now);
		if (instance.httpCheckUrl == null) {
			this.log.info(instance + ": the HTTP check begins once the application says where its web server"
					+ " listens (or set sam.health-check.http.url)");
		}
	}

	/** The instance says where its web server answers. */
	Reply urlReceived(SupervisedInstance instance, Message.HttpCheckUrl message, SamSettings settings, long now) {
		URI url;
		try {
			url = LoopbackHttpUrl.check("health-check.http.url", message.url());
		}
		catch (InvalidSettingException ex) {
			return new Reply(SamError.INVALID_PARAM.name(), ex.getMessage());
		}
		boolean first = instance.httpCheckUrl == null;
		instance.httpCheckUrl = url;
		restart(instance, now);
		if (settings.httpCheck() && first) {
			this.log.info(instance + " is also checked with GET " + url);
		}
		return Reply.ok();
	}

	/** From now on: a whole interval ahead, no failure carried over, a check due now. */
	private static void restart(SupervisedInstance instance, long now) {
		instance.httpAliveNanos = now;
		instance.nextHttpCheckNanos = now;
		instance.httpFailure = null;
		instance.httpCheckTimedOut = false;
	}

	/** The supervisor was not scheduled: the check's clock starts over too. */
	static void supervisorWasAway(SupervisedInstance instance, long now) {
		instance.httpAliveNanos = now;
		instance.nextHttpCheckNanos = now;
	}

	/** Sends the next check. */
	void send(SupervisedInstance instance, SamSettings settings, long now) {
		instance.httpCheckInFlight = true;
		instance.nextHttpCheckNanos = now + settings.healthCheckRequestPeriod().toNanos();
		this.client.check(instance.id, instance.httpCheckUrl, settings.healthCheckTimeout(), now);
	}

	/** A check came back. */
	void answered(SupervisedInstance instance, SupervisorEvent.HttpChecked answer) {
		instance.httpCheckInFlight = false;
		if (answer.passed()) {
			if (answer.sentNanos() - instance.httpAliveNanos > 0) {
				instance.httpAliveNanos = answer.sentNanos();
			}
			if (instance.httpFailure != null && instance.ending == null) {
				this.log.info(instance + "'s web server answers again");
			}
			instance.httpFailure = null;
			instance.httpCheckTimedOut = false;
			return;
		}
		if (instance.httpFailure == null && instance.ending == null) {
			this.log.warn(instance + " HTTP check failed: " + answer.failure());
		}
		instance.httpFailure = answer.failure();
		instance.httpCheckTimedOut = answer.timedOut();
	}

	/**
	 * Whether the HTTP check, not the instance's own, is why the deadline passed: it is
	 * the older sign of life.
	 */
	static boolean isWhyMissed(SupervisedInstance instance, SamSettings settings) {
		return applies(instance, settings) && instance.httpAliveNanos - instance.lastAliveNanos < 0;
	}

	/** The cause when it is: an answer that failed, or none in time. */
	static EndCause missedCause(SupervisedInstance instance) {
		return (instance.httpFailure != null && !instance.httpCheckTimedOut) ? EndCause.HEALTH_CHECK_FAILED
				: EndCause.HEALTH_CHECK_TIMEOUT;
	}

	static String missedDetail(SupervisedInstance instance, long now) {
		String since = DurationText.of(Duration.ofNanos(now - instance.httpAliveNanos));
		return (instance.httpFailure != null) ? instance.httpFailure + " (no passing HTTP check for " + since + ")"
				: "GET " + instance.httpCheckUrl + " had no answer for " + since;
	}

}
