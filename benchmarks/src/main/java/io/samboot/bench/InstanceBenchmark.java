package io.samboot.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.samboot.Sam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The SAM calls an application makes, timed inside a real supervised instance whose
 * supervisor is a real supervisor process: {@link SupervisedJmh} registers, starts health
 * checking in application mode and runs these benchmarks in the same JVM (JMH forks would
 * not be the supervised instance). Do not run this class with plain JMH: {@code Sam}
 * would run unsupervised and measure nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstanceBenchmark {

	/** {@code hcSend()} back to back: the supervisor has to keep up with the sender. */
	@Benchmark
	public void hcSend() {
		Sam.hcSend();
	}

	/**
	 * {@code hcSend()} with a pause of about 20 us before each call (not timed): the cost
	 * of one send.
	 */
	@Benchmark
	public void hcSendPaced(Pause pause) {
		Sam.hcSend();
	}

	/**
	 * {@code dataStore}: the instance sends the data, the supervisor keeps it and
	 * answers.
	 */
	@Benchmark
	public void dataStore(Data data) {
		Sam.dataStore(data.bytes);
	}

	/**
	 * {@code dataRestore(buffer)}: copies the data kept by this instance into the
	 * caller's buffer, as {@code sam_data_restore}.
	 */
	@Benchmark
	public int dataRestore(Data data) {
		return Sam.dataRestore(data.buffer);
	}

	/**
	 * {@code dataRestore(buffer)} timed as an average over many calls: a 1 KiB copy takes
	 * less time than the two timer reads around one sampled call, so the sampled figure
	 * is mostly the timer.
	 */
	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public int dataRestoreAverage(Data data) {
		return Sam.dataRestore(data.buffer);
	}

	/** Waits about 20 us before each invocation, outside the timed call. */
	@State(Scope.Thread)
	public static class Pause {

		@Setup(Level.Invocation)
		public void pause() {
			long until = System.nanoTime() + 20_000;
			while (System.nanoTime() - until < 0) {
				Thread.onSpinWait();
			}
		}

	}

	/**
	 * The bytes stored and the buffer restored into; stored once so that restore has data
	 * of this size.
	 */
	@State(Scope.Benchmark)
	public static class Data {

		@Param({ "1024", "1048576" })
		public int size;

		byte[] bytes;

		byte[] buffer;

		@Setup(Level.Trial)
		public void setUp() {
			this.bytes = new byte[this.size];
			new Random(42).nextBytes(this.bytes);
			this.buffer = new byte[this.size];
			Sam.dataStore(this.bytes);
		}

	}

}
