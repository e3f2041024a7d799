package io.samboot.sample;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SAM's Spring application events in the packaged sample, heard by its
 * {@code SamEventLog} listener: each instance learns its id and how the one before it
 * ended, when health checking started, and that the supervisor is about to stop it.
 */
@Tag("process")
class SamEventsSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(90);

	@Test
	void eachInstanceHearsItsIdThePreviousEndAndThatItIsAboutToBeStopped() throws Exception {
		try (SampleApp app = SampleApp.start("--sam.time-interval=2s", "--sam.kill-delay=1s")) {
			app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), START);
			app.awaitLine("SAM event: I am instance 1", START);
			app.awaitLine("SAM event: health checking started for instance 1", START);

			// A hung health check: the instance hears why it is about to be stopped, and
			// the next one hears how it ended.
			app.post("/chaos/hang");
			app.awaitLine("SAM event: the supervisor is about to stop this instance: health-check-timeout", START);
			app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""), START);
			app.awaitLine("SAM event: I am instance 2; instance 1 ended with health-check-timeout", START);
			app.awaitLine("SAM event: health checking started for instance 2", START);

			// A crash: nothing to hear before, the cause after.
			app.post("/chaos/crash");
			app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":3") && body.contains("\"state\":\"started\""), START);
			app.awaitLine("SAM event: I am instance 3; instance 2 ended with exited (exit status 3)", START);

		}
	}

}
