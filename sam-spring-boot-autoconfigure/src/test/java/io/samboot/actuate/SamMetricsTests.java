package io.samboot.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.samboot.CheckResult;
import io.samboot.HealthCheckListener;
import io.samboot.HealthCheckListener.Outcome;
import io.samboot.SamState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamMetricsTests {

	private final FakeSamClient client = new FakeSamClient();

	private final List<HealthCheckListener> registered = new ArrayList<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private SamMetrics bind(boolean quorum) {
		SamMetrics metrics = new SamMetrics(this.client, quorum, this.registered::add);
		metrics.bindTo(this.registry);
		return metrics;
	}

	@Test
	void gaugesFollowTheClient() {
		bind(false);
		this.client.data = new byte[8];
		assertThat(this.registry.get("sam.instance.id").gauge().value()).isEqualTo(3.0);
		assertThat(this.registry.get("sam.restarts").gauge().value()).isEqualTo(2.0);
		assertThat(this.registry.get("sam.data.size").gauge().value()).isEqualTo(8.0);
		assertThat(this.registry.get("sam.data.size").gauge().getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.find("sam.quorum.quorate").gauge()).isNull();
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
