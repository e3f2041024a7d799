package io.samboot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.samboot.SamState;
import io.samboot.actuate.SamEndpoint.InstanceDescriptor;
import io.samboot.actuate.SamEndpoint.SamDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class SamEndpointTests {

	private final FakeSamClient client = new FakeSamClient();

	private final SamEndpoint endpoint = new SamEndpoint(this.client, Duration.ofMillis(10));

	@Test
	void readReturnsEveryContractField() {
		this.client.quorate = true;
		SamDescriptor descriptor = this.endpoint.status();
		assertThat(descriptor.state()).isEqualTo("started");
		assertThat(descriptor.instanceId()).isEqualTo(3);
		assertThat(descriptor.restartCount()).isEqualTo(2);
		assertThat(descriptor.recoveryPolicy()).isEqualTo("restart");
		assertThat(descriptor.pollPeriod()).isEqualTo(5000);
		assertThat(descriptor.lastUpdated()).isEqualTo("2026-01-02T03:04:05Z");
		assertThat(descriptor.warnSignal()).isEqualTo("SIGTERM");
		assertThat(descriptor.pid()).isEqualTo(4242);
		assertThat(descriptor.supervisorPid()).isEqualTo(4200);
		assertThat(descriptor.quorate()).isTrue();
		assertThat(descriptor.dataSize()).isZero();
		assertThat(descriptor.history()).hasSize(2);
	}

	@Test
	void readDescribesEndedInstances() {
		InstanceDescriptor second = this.endpoint.status().history().get(1);
		assertThat(second).isEqualTo(new InstanceDescriptor(2, 102, "2026-01-02T03:01:01Z", "2026-01-02T03:02:00Z",
				"health-check-failed", 143, "SIGTERM", "ChaosController#healthy: returned false"));
		assertThat(this.endpoint.status().history().get(0).cause()).isEqualTo("exited");
	}

	@Test
	void readShowsStateIdsAndNulls() {
		this.client.state = SamState.WAITING_FOR_QUORUM;
		this.client.lastUpdated = null;
		SamDescriptor descriptor = this.endpoint.status();
		assertThat(descriptor.state()).isEqualTo("waiting-for-quorum");
		assertThat(descriptor.lastUpdated()).isNull();
		assertThat(descriptor.quorate()).isNull();
	}

	@Test
	void restartRunsAfterTheResponse() {
		SamEndpoint slow = new SamEndpoint(this.client, Duration.ofMillis(300));
		assertThat(slow.action("restart").message()).isEqualTo("Restarting instance 3");
		assertThat(this.client.restartRequests).hasValue(0);
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(this.client.restartRequests).hasValue(1));
	}

	@Test
	void markFailedRunsAfterTheResponse() {
		assertThat(this.endpoint.action("mark-failed").action()).isEqualTo("mark-failed");
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(this.client.markFailedCalls).hasValue(1));
		assertThat(this.client.restartRequests).hasValue(0);
	}

	@Test
	void unknownActionIsABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.action("reboot"))
			.satisfies(
					(ex) -> assertThat(ex.getReason()).contains("reboot").contains("restart").contains("mark-failed"));
		assertThat(this.client.restartRequests).hasValue(0);
		assertThat(this.client.markFailedCalls).hasValue(0);
	}

	@Test
	void restartOfAnUnsupervisedProcessIsRefused() {
		this.client.supervised = false;
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.action("restart"))
			.withMessageContaining("not supervised");
	}

	@Test
	void writeAccessIsOffByDefault() {
		assertThat(SamEndpoint.class.getAnnotation(Endpoint.class).defaultAccess()).isEqualTo(Access.READ_ONLY);
	}

	@Test
	void restartCanBeAllowedWithoutMarkFailed() {
		SamEndpoint restartOnly = new SamEndpoint(this.client, Duration.ofMillis(10), List.of("restart"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> restartOnly.action("mark-failed"))
			.withMessageContaining("not allowed")
			.satisfies((ex) -> assertThat(ex.getReason()).contains("management.endpoint.sam.actions"));
		assertThat(restartOnly.action("restart").action()).isEqualTo("restart");
		await().atMost(5, TimeUnit.SECONDS).until(() -> this.client.restartRequests.get() == 1);
		assertThat(this.client.markFailedCalls.get()).isZero();
	}

}
