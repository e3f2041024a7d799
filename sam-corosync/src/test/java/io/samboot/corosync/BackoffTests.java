package io.samboot.corosync;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	@Test
	void doublesUpToTheMaximumAndStartsOverAfterASuccess() {
		Backoff backoff = CorosyncQuorumSource.defaultBackoff();
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(50));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(800));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(1600));
		assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
		backoff.reset();
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(50));
	}

}
