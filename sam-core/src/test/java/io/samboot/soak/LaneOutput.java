package io.samboot.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one supervisor of the core soak and its instances print, read as it comes on a
 * thread of its own and kept only as the facts the soak checks (who served with what
 * data, who ended with which cause, the last acknowledged counter) plus the last lines
 * for a report. Nothing is stored per line, so an hour of output costs nothing.
 */
final class LaneOutput {

	private static final Pattern MARK = Pattern.compile("^MARK iid=(\\d+) pid=(\\d+) counter=(\\d+) blob=(\\w+)");

	private static final Pattern ACK = Pattern.compile("^ACK (\\d+) (\\d+)$");

	private static final Pattern ENDED = Pattern.compile("instance (\\d+) \\(pid \\d+\\) ended: .*, cause ([a-z-]+)");

	private static final Pattern LAUNCHED = Pattern.compile("launched instance (\\d+) \\(pid (\\d+)\\)");

	/** An instance that started health checking, with the data it restored. */
	record Served(int iid, long pid, long counter, boolean blobOk) {
	}

	private final Map<Integer, Served> served = new HashMap<>();

	private final Map<Integer, String> causes = new HashMap<>();

	private final Map<Integer, Long> launched = new HashMap<>();

	private final Map<Integer, Long> lastAck = new HashMap<>();

	private final Deque<String> recent = new ArrayDeque<>();

	private long acks;

	private int failLines;

	private boolean complete;

	LaneOutput(InputStream stream) {
		Thread reader = new Thread(() -> read(stream), "soak-output");
		reader.setDaemon(true);
		reader.start();
	}

	private void read(InputStream stream) {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				take(line);
			}
		}
		catch (IOException ex) {
			// The process is gone: complete below.
		}
		synchronized (this) {
			this.complete = true;
			notifyAll();
		}
	}

	private synchronized void take(String line) {
		Matcher ack = ACK.matcher(line);
		if (ack.matches()) {
			this.lastAck.merge(Integer.parseInt(ack.group(1)), Long.parseLong(ack.group(2)), Math::max);
			this.acks++;
			notifyAll();
			return;
		}
		this.recent.addLast(line);
		if (this.recent.size() > 80) {
			this.recent.removeFirst();
		}
		Matcher mark = MARK.matcher(line);
		Matcher ended = ENDED.matcher(line);
		Matcher launch = LAUNCHED.matcher(line);
		if (mark.find()) {
			int iid = Integer.parseInt(mark.group(1));
			this.served.put(iid, new Served(iid, Long.parseLong(mark.group(2)), Long.parseLong(mark.group(3)),
					mark.group(4).equals("ok")));
		}
		else if (ended.find()) {
			this.causes.put(Integer.parseInt(ended.group(1)), ended.group(2));
		}
		else if (launch.find()) {
			this.launched.put(Integer.parseInt(launch.group(1)), Long.parseLong(launch.group(2)));
		}
		else if (line.startsWith("FAIL") || line.contains("Exception in thread")) {
			this.failLines++;
		}
		notifyAll();
	}

	/**
	 * Waits until the condition holds, at most {@code timeout}.
	 * @return whether it held
	 */
	synchronized boolean await(Predicate<LaneOutput> condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.test(this)) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || this.complete) {
				return condition.test(this);
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	synchronized Served served(int iid) {
		return this.served.get(iid);
	}

	/** The highest instance id that served so far, 0 before any. */
	synchronized int latestServed() {
		return this.served.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
	}

	synchronized String cause(int iid) {
		return this.causes.get(iid);
	}

	synchronized Long launchedPid(int iid) {
		return this.launched.get(iid);
	}

	/**
	 * The highest counter known stored before instance {@code iid}: acknowledged by an
	 * earlier instance, or restored by one (a store acknowledged just before a kill is
	 * never printed, yet the next instance restores it).
	 */
	synchronized long ackedBefore(int iid) {
		long acked = this.lastAck.entrySet()
			.stream()
			.filter((entry) -> entry.getKey() < iid)
			.mapToLong(Map.Entry::getValue)
			.max()
			.orElse(0);
		long restored = this.served.values()
			.stream()
			.filter((earlier) -> earlier.iid() < iid)
			.mapToLong(Served::counter)
			.max()
			.orElse(0);
		return Math.max(acked, restored);
	}

	synchronized long acks() {
		return this.acks;
	}

	synchronized int failLines() {
		return this.failLines;
	}

	synchronized boolean isComplete() {
		return this.complete;
	}

	synchronized String recent() {
		return String.join("\n", this.recent);
	}

}
