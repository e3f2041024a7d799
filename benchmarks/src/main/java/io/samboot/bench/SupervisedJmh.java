package io.samboot.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

import io.samboot.HealthCheckMode;
import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisionDecision;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link InstanceBenchmark} inside a real supervised instance. Started as
 * {@code java -cp benchmarks.jar io.samboot.bench.SupervisedJmh [quick]}, this process
 * registers and becomes the supervisor; the relaunched copy is the instance, which starts
 * health checking in application mode and runs JMH in its own JVM (no fork), then stops
 * SAM and exits, so the supervisor exits too. Results are printed as {@code RESULT} lines
 * (microseconds) for the suite.
 */
public final class SupervisedJmh {

	private SupervisedJmh() {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = args.length > 0 && args[0].equals("quick");
		// A 60 s interval: dataRestore sends nothing to the supervisor for seconds at a
		// time.
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ofSeconds(60))
			.recoveryPolicy(RecoveryPolicy.QUIT)
			.healthCheckMode(HealthCheckMode.APPLICATION)
			.build());
		int instanceId = Sam.register();
		if (instanceId == 0) {
			System.err.println("not supervised (" + SupervisionDecision.current().reason() + "): nothing to measure");
			System.exit(2);
		}
		Sam.start();
		ChainedOptionsBuilder options = new OptionsBuilder().include(InstanceBenchmark.class.getName())
			.forks(0)
			.threads(1)
			.warmupIterations(quick ? 1 : 2)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(quick ? 1 : 3)
			.measurementTime(TimeValue.seconds(1));
		if (quick) {
			options.param("size", "1024");
		}
		Collection<RunResult> results = new Runner(options.build()).run();
		for (RunResult result : results) {
			System.out.println(resultLine("java", result));
		}
		Sam.stop();
		Sam.close();
		System.out.flush();
		System.exit(0);
	}

	/**
	 * {@code RESULT <side> <name> n=.. p50=.. p90=.. p99=.. mean=.. min=.. max=..} in
	 * microseconds.
	 */
	static String resultLine(String side, RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
		String size = result.getParams().getParam("size");
		if (size != null) {
			name += "." + size;
		}
		Statistics s = result.getPrimaryResult().getStatistics();
		return String.format(Locale.ROOT, "RESULT %s %s n=%d p50=%.3f p90=%.3f p99=%.3f mean=%.3f min=%.3f max=%.3f",
				side, name, s.getN(), s.getPercentile(50), s.getPercentile(90), s.getPercentile(99), s.getMean(),
				s.getMin(), s.getMax());
	}

}
