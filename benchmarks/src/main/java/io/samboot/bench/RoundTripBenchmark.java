package io.samboot.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.samboot.protocol.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event-driven health-check round trip with an empty check, measured where the
 * supervisor measures it: the request written by the sending thread (as the loop writes
 * it), the instance (another JVM) runs the check on the reader thread that received the
 * request and answers from it, and the thread that plays the loop reads the answer from
 * its socket itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RoundTripBenchmark {

	private ControlHarness harness;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.harness = ControlHarness.start(EventInstance.command());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.harness.overlaps() > 0) {
			System.out.println("OVERLAPS " + this.harness.overlaps() + " requests were answered 'the previous check"
					+ " has been running' although it had answered");
		}
		this.harness.close();
	}

	/**
	 * The supervisor asks at most every millisecond (a quarter of the interval, at least
	 * 1 ms), never back to back: wait 200 us, untimed, before each request.
	 */
	@Setup(Level.Invocation)
	public void pause() {
		LockSupport.parkNanos(200_000);
	}

	@Benchmark
	public Message.HealthCheckResult eventHealthCheckRoundTrip() throws InterruptedException {
		return this.harness.roundTrip();
	}

}
