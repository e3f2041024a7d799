package io.samboot.actuate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.SamError;
import io.samboot.SamException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One status request per scrape, and none at all per meter while the supervisor is
 * silent.
 */
class RecentStatusTests {

	private final FakeSamClient client = new FakeSamClient();

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final RecentStatus status = new RecentStatus(this.client, this.nanos::get);

	@Test
	void oneRequestServesEveryMeterOfAScrape() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.status.get().instanceId()).isEqualTo(3);
		}
		assertThat(this.client.statusCalls).hasValue(1);
		this.nanos.addAndGet(RecentStatus.FRESH.toNanos());
		this.status.get();
		assertThat(this.client.statusCalls).hasValue(2);
	}

	@Test
	void aSilentSupervisorIsAskedOnceThenTheLastStatusServesUntilTheRetry() {
		this.status.get();
		this.client.restartCount = 7;
		this.client.statusFailure = new SamException(SamError.TIMEOUT, "did not answer");
		this.nanos.addAndGet(RecentStatus.FRESH.toNanos());

		for (int i = 0; i < 10; i++) {
			assertThat(this.status.get().restartCount()).as("the last status it gave").isEqualTo(2);
		}
		assertThat(this.client.statusCalls).hasValue(2);

		this.client.statusFailure = null;
		this.nanos.addAndGet(RecentStatus.RETRY.toNanos());
		assertThat(this.status.get().restartCount()).isEqualTo(7);
		assertThat(this.client.statusCalls).hasValue(3);
	}

	@Test
	void withoutAnyStatusYetTheTimeoutIsReported() {
		this.client.statusFailure = new SamException(SamError.TIMEOUT, "did not answer");
		assertThatExceptionOfType(SamException.class).isThrownBy(this.status::get)
			.withMessageContaining("did not answer");
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThatExceptionOfType(SamException.class).isThrownBy(this.status::get);
		assertThat(this.client.statusCalls).as("not asked again before the retry").hasValue(1);
	}

	@Test
	void otherFailuresAreNotRemembered() {
		this.client.statusFailure = new SamException(SamError.BAD_HANDLE, "not registered");
		assertThatExceptionOfType(SamException.class).isThrownBy(this.status::get);
		assertThatExceptionOfType(SamException.class).isThrownBy(this.status::get);
		assertThat(this.client.statusCalls).hasValue(2);
	}

}
