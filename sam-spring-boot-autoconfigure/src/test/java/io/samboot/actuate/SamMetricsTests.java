package io.samboot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.samboot.CheckResult;
import io.samboot.EndCause;
import io.samboot.HealthCheckListener;
import io.samboot.HealthCheckListener.Outcome;
import io.samboot.InstanceRecord;
import io.samboot.SamState;
import io.samboot.SamStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamMetricsTests {

	private final FakeSamClient client = new FakeSamClient();

	private final List<HealthCheckListener> registered = new ArrayList<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AtomicLong nanos = new AtomicLong();

	private SamMetrics bind(boolean quorum) {
		SamMetrics metrics = new SamMetrics(this.client, quorum, false, this.registered::add, this.nanos::get);
		metrics.bindTo(this.registry);
		return metrics;
	}

	@Test
	void gaugesFollowTheClient() {
		bind(false);
		this.client.data = new byte[8];
		assertThat(this.registry.get("sam.data.size").gauge().value()).isEqualTo(8.0);
		assertThat(this.registry.get("sam.data.size").gauge().getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.find("sam.quorum.quorate").gauge()).isNull();
	}

	@Test
	void infoCarriesTheInstanceIdAsATagAndTheContractsGaugeStays() {
		bind(false);
		assertThat(this.registry.get("sam.info").tag("instance.id", "3").gauge().value()).isEqualTo(1.0);
		assertThat(this.registry.get("sam.instance.id").gauge().value()).isEqualTo(3.0);
	}

	@Test
	void restartsAreCountedByCause() {
		bind(false);
		// The fake's history: instance 1 exited, instance 2 failed its health check.
		assertThat(restarts("exited")).isEqualTo(1.0);
		assertThat(restarts("health-check-failed")).isEqualTo(1.0);
		assertThat(restarts("health-check-timeout")).isZero();
		assertThat(restarts("unknown")).isZero();
		assertThat(this.registry.get("sam.restarts").functionCounters()).hasSize(SamRestarts.CAUSES.size() + 1);
		assertThat(this.registry.get("sam.restarts").functionCounters())
			.allSatisfy((counter) -> assertThat(counter.getId().getType()).isEqualTo(Meter.Type.COUNTER));
	}

	@Test
	void restartCountsOnlyGrowAsTheHistoryMovesOn() {
		bind(false);
		assertThat(restarts("exited")).isEqualTo(1.0);
		// Instance 3 timed out and instance 4 runs; the history has dropped instance 1.
		this.client.history.remove(0);
		this.client.history.add(new InstanceRecord(3, 103, Instant.parse("2026-01-02T03:02:01Z"),
				Instant.parse("2026-01-02T03:03:00Z"), EndCause.HEALTH_CHECK_TIMEOUT, 137, "SIGKILL", null));
		this.client.restartCount = 3;
		// The next scrape: one status read serves a scrape.
		this.nanos.addAndGet(RecentStatus.FRESH.toNanos());
		assertThat(restarts("exited")).isEqualTo(1.0);
		assertThat(restarts("health-check-failed")).isEqualTo(1.0);
		assertThat(restarts("health-check-timeout")).isEqualTo(1.0);
	}

	@Test
	void restartsOlderThanTheHistoryCountAsUnknown() {
		this.client.restartCount = 100;
		bind(false);
		assertThat(restarts("unknown")).isEqualTo(98.0);
		double total = this.registry.get("sam.restarts")
			.functionCounters()
			.stream()
			.mapToDouble(FunctionCounter::count)
			.sum();
		assertThat(total).isEqualTo(100.0);
	}

	@Test
	void restartCountsKeepTheirValueWhenTheClientFails() {
		AtomicBoolean closed = new AtomicBoolean();
		new SamMetrics(new FakeSamClient() {
			@Override
			public SamStatus status() {
				if (closed.get()) {
					throw new IllegalStateException("closed");
				}
				return super.status();
			}
		}, false, (listener) -> {
		}).bindTo(this.registry);
		assertThat(restarts("exited")).isEqualTo(1.0);
		closed.set(true);
		assertThat(restarts("exited")).isEqualTo(1.0);
	}

	private double restarts(String cause) {
		return this.registry.get("sam.restarts").tag("cause", cause).functionCounter().count();
	}

	@Test
	void stateGaugeIsOneForTheCurrentState() {
		bind(false);
		this.client.state = SamState.FAILED;
		assertThat(this.registry.get("sam.state").tag("state", "failed").gauge().value()).isEqualTo(1.0);
		assertThat(this.registry.get("sam.state").tag("state", "started").gauge().value()).isZero();
		assertThat(this.registry.get("sam.state").gauges()).hasSize(SamState.values().length);
	}

	@Test
	void healthCheckTimerCountsOutcomes() {
		SamMetrics metrics = bind(false);
		assertThat(this.registered).containsExactly(metrics);
		metrics.onCheck(Outcome.UP, Duration.ofMillis(3), CheckResult.up());
		metrics.onCheck(Outcome.TIMEOUT, Duration.ofSeconds(1), CheckResult.down("health check", "slow"));
		assertThat(this.registry.get("sam.healthcheck").tag("outcome", "up").timer().count()).isEqualTo(1);
		assertThat(this.registry.get("sam.healthcheck").tag("outcome", "timeout").timer().count()).isEqualTo(1);
		assertThat(this.registry.get("sam.healthcheck").tag("outcome", "down").timer().count()).isZero();
		assertThat(this.registry.get("sam.healthcheck").tag("outcome", "error").timer().count()).isZero();
	}

	@Test
	void closeStopsListening() {
		SamMetrics metrics = bind(false);
		metrics.close();
		assertThat(this.registered).containsExactly(metrics, HealthCheckListener.NO_OP);
	}

	@Test
	void quorumGaugeOnlyWithQuorum() {
		bind(true);
		this.client.quorate = true;
		assertThat(this.registry.get("sam.quorum.quorate").gauge().value()).isEqualTo(1.0);
	}

	@Test
	void failingClientGivesNoValue() {
		new SamMetrics(new FakeSamClient() {
			@Override
			public int dataGetSize() {
				throw new IllegalStateException("closed");
			}
		}, false, (listener) -> {
		}).bindTo(this.registry);
		assertThat(this.registry.get("sam.data.size").gauge().value()).isNaN();
	}

}
