package io.samboot.actuate;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.samboot.CheckResult;
import io.samboot.EndCause;
import io.samboot.HealthCheckListener;
import io.samboot.Sam;
import io.samboot.SamClient;
import io.samboot.SamState;
import io.samboot.SamStatus;

/**
 * SAM's meters, by Micrometer's conventions: {@code sam.info} (1, the instance id as a
 * tag, as Micrometer's {@code jvm.info}), {@code sam.restarts} (a counter per
 * {@code cause}), {@code sam.state} (one gauge per state, tag {@code state}, 1 for the
 * current one), {@code sam.healthcheck} (a timer per {@code outcome}: up, down, timeout,
 * error), {@code sam.data.size} (bytes) and, with quorum, {@code sam.quorum.quorate}. The
 * timer is fed by a {@link HealthCheckListener} registered with
 * {@link Sam#healthCheckListener(HealthCheckListener)} when the binder is first bound.
 */
public class SamMetrics implements MeterBinder, HealthCheckListener, AutoCloseable {

	private final SamClient client;

	private final boolean quorum;

	private final boolean standby;

	private final Consumer<HealthCheckListener> listenerRegistration;

	private final AtomicBoolean listening = new AtomicBoolean();

	private final List<Map<Outcome, Timer>> timers = new CopyOnWriteArrayList<>();

	private final SamRestarts restarts;

	private final RecentStatus status;

	/**
	 * @param client where the values come from
	 * @param quorum whether to bind {@code sam.quorum.quorate}
	 */
	public SamMetrics(SamClient client, boolean quorum) {
		this(client, quorum, false, Sam::healthCheckListener);
	}

	/**
	 * @param standby whether to bind {@code sam.standby.ready} and {@code sam.promotions}
	 */
	public SamMetrics(SamClient client, boolean quorum, boolean standby) {
		this(client, quorum, standby, Sam::healthCheckListener);
	}

	/**
	 * @param listenerRegistration registers the listener that feeds
	 * {@code sam.healthcheck}
	 */
	public SamMetrics(SamClient client, boolean quorum, Consumer<HealthCheckListener> listenerRegistration) {
		this(client, quorum, false, listenerRegistration);
	}

	/**
	 * @param standby whether to bind {@code sam.standby.ready} and {@code sam.promotions}
	 * @param listenerRegistration registers the listener that feeds
	 * {@code sam.healthcheck}
	 */
	public SamMetrics(SamClient client, boolean quorum, boolean standby,
			Consumer<HealthCheckListener> listenerRegistration) {
		this(client, quorum, standby, listenerRegistration, System::nanoTime);
	}

	/**
	 * @param nanoTime the clock that says how recent the last status is
	 */
	SamMetrics(SamClient client, boolean quorum, boolean standby, Consumer<HealthCheckListener> listenerRegistration,
			LongSupplier nanoTime) {
		this.client = client;
		this.quorum = quorum;
		this.standby = standby;
		this.listenerRegistration = listenerRegistration;
		this.status = new RecentStatus(client, nanoTime);
		this.restarts = new SamRestarts(this.status::get);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// An identifier is not a measurement: a constant 1 with the id as a tag.
		Gauge.builder("sam.info", () -> 1)
			.description("This instance under SAM: its instance id (1 for the first, 0 when not supervised)")
			.tag("instance.id", instanceId())
			.strongReference(true)
			.register(registry);
		// Kept for the dashboards that read it; sam.info carries the same id as a tag.
		gauge("sam.instance.id", "The SAM instance id of this JVM (1 for the first, 0 when not supervised)",
				SamClient::instanceId)
			.register(registry);
		for (EndCause cause : SamRestarts.CAUSES) {
			FunctionCounter.builder("sam.restarts", this.restarts, (r) -> r.count(cause))
				.description("Restarts of the application by the supervisor, by what ended the instance before")
				.tag("cause", cause.id())
				.register(registry);
		}
		FunctionCounter.builder("sam.restarts", this.restarts, SamRestarts::unknown)
			.description("Restarts of the application by the supervisor, by what ended the instance before")
			.tag("cause", SamRestarts.UNKNOWN)
			.register(registry);
		for (SamState state : SamState.values()) {
			gauge("sam.state", "Supervision state: 1 for the current state, 0 for the others",
					(c) -> (c.state() == state) ? 1 : 0)
				.tag("state", state.id())
				.register(registry);
		}
		gauge("sam.data.size", "Size of the data kept in the SAM data store", SamClient::dataGetSize)
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		if (this.standby) {
			gauge("sam.standby.ready", "Whether a hot standby is parked, ready to be promoted (1) or not (0)", (c) -> {
				SamStatus.StandbyStatus standby = this.status.get().standby();
				return (standby != null && "ready".equals(standby.state())) ? 1 : 0;
			}).register(registry);
			FunctionCounter.builder("sam.promotions", this.status, (s) -> s.get().promotions())
				.description("Hot standbys promoted to the active instance since the supervisor started")
				.register(registry);
		}
		if (this.quorum) {
			gauge("sam.quorum.quorate", "Whether corosync reports the cluster quorate (1) or not (0)", (c) -> {
				Boolean quorate = this.status.get().quorate();
				return (quorate != null) ? (quorate ? 1 : 0) : Double.NaN;
			}).register(registry);
		}
		Map<Outcome, Timer> byOutcome = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			byOutcome.put(outcome,
					Timer.builder("sam.healthcheck")
						.description("Event-driven health checks run by this instance")
						.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
						.register(registry));
		}
		this.timers.add(byOutcome);
		if (this.listening.compareAndSet(false, true)) {
			this.listenerRegistration.accept(this);
		}
	}

	private String instanceId() {
		try {
			return Integer.toString(this.client.instanceId());
		}
		catch (RuntimeException ex) {
			return "unknown";
		}
	}

	private Gauge.Builder<SamClient> gauge(String name, String description, ToDoubleFunction<SamClient> value) {
		return Gauge.builder(name, this.client, (c) -> {
			try {
				return value.applyAsDouble(c);
			}
			catch (RuntimeException ex) {
				// Not initialized yet or already closed: no value rather than a wrong
				// one.
				return Double.NaN;
			}
		}).description(description).strongReference(true);
	}

	@Override
	public void onCheck(Outcome outcome, Duration duration, CheckResult result) {
		for (Map<Outcome, Timer> byOutcome : this.timers) {
			Timer timer = byOutcome.get(outcome);
			if (timer != null) {
				timer.record(duration.toNanos(), TimeUnit.NANOSECONDS);
			}
		}
	}

	/** Stops listening to health checks. */
	@Override
	public void close() {
		if (this.listening.compareAndSet(true, false)) {
			this.listenerRegistration.accept(HealthCheckListener.NO_OP);
		}
	}

}
