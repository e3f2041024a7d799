package io.samboot;

import java.math.BigInteger;
import java.time.Duration;

/**
 * A duration as a user writes it in {@code application.yml}: {@code 10s}, {@code 1500ms},
 * {@code -1s}, in the largest unit that holds it whole. Error messages use it to show
 * values as they were written rather than as ISO-8601.
 */
final class DurationFormat {

	private static final long[] NANOS_PER_UNIT = { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
			1_000_000_000L, 1_000_000L, 1_000L, 1L };

	private static final String[] UNITS = { "d", "h", "m", "s", "ms", "us", "ns" };

	private DurationFormat() {
	}

	static String format(Duration duration) {
		if (duration.isZero()) {
			return "0";
		}
		String sign = duration.isNegative() ? "-" : "";
		Duration abs = duration.abs();
		BigInteger nanos = BigInteger.valueOf(abs.getSeconds())
			.multiply(BigInteger.valueOf(1_000_000_000L))
			.add(BigInteger.valueOf(abs.getNano()));
		for (int i = 0; i < NANOS_PER_UNIT.length; i++) {
			BigInteger[] quotient = nanos.divideAndRemainder(BigInteger.valueOf(NANOS_PER_UNIT[i]));
			if (quotient[1].signum() == 0) {
				return sign + quotient[0] + UNITS[i];
			}
		}
		return sign + nanos + "ns";
	}

}
