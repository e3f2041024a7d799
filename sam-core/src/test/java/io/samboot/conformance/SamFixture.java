package io.samboot.conformance;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.samboot.CheckResult;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;
import io.samboot.nativeaccess.NativeAccess;
import sun.misc.Signal;

import static io.samboot.testsupport.FixtureMarks.check;
import static io.samboot.testsupport.FixtureMarks.fail;
import static io.samboot.testsupport.FixtureMarks.mark;

/**
 * A plain-Java SAM application, started as a real JVM by the conformance tests. Each
 * scenario re-creates one of corosync's test/testsam.c programs with our API; it prints
 * {@code MARK ...} lines the tests wait for, and {@code FAIL ...} when something the
 * scenario checks is wrong.
 */
public final class SamFixture {

	private static final long PID = ProcessHandle.current().pid();

	private SamFixture() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = args[0];
		switch (scenario) {
			case "basics" -> basics();
			case "quit-signal" -> quitSignal();
			case "no-time-limit" -> noTimeLimit();
			case "data" -> data();
			case "event-driven" -> eventDriven();
			case "mark-failed" -> markFailed();
			case "warn-signal" -> warnSignal();
			case "heartbeat" -> heartbeat(args.length > 1 ? Integer.parseInt(args[1]) : 500);
			case "status-reader" -> statusReader(Integer.parseInt(args[1]));
			case "crash-loop" -> crashLoop();
			case "gc-pauses" -> gcPauses(Duration.parse(args[1]));
			case "stop-sending" -> stopSending((args.length > 1) ? Integer.parseInt(args[1]) : 4);
			case "counter" -> counter(Path.of(args[1]));
			default -> throw new IllegalArgumentException(scenario);
		}
	}

	/**
	 * testsam.c test1: restart on missing heartbeats, stop/start, then the error cases
	 * after close.
	 */
	private static void basics() throws Exception {
		Sam.initialize(Duration.ofMillis(600), RecoveryPolicy.RESTART);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		if (iid == 1) {
			Sam.start();
			for (int i = 0; i < 4; i++) {
				Thread.sleep(150);
				Sam.hcSend();
			}
			mark("iid=1 stopped sending");
			Thread.sleep(10_000);
			fail("iid=1 survived without heartbeats");
		}
		else if (iid == 2) {
			Sam.start();
			Sam.hcSend();
			Sam.stop();
			Thread.sleep(1500);
			mark("iid=2 survived while stopped");
			Sam.start();
			Thread.sleep(10_000);
			fail("iid=2 survived after start without heartbeats");
		}
		else {
			expect(SamError.BAD_HANDLE, () -> Sam.initialize(Duration.ofMillis(600), RecoveryPolicy.RESTART));
			Sam.start();
			Sam.stop();
			Sam.close();
			expect(SamError.BAD_HANDLE, Sam::close);
			expect(SamError.BAD_HANDLE, () -> Sam.initialize(Duration.ofMillis(2), RecoveryPolicy.RESTART));
			expect(SamError.BAD_HANDLE, Sam::start);
			expect(SamError.BAD_HANDLE, Sam::stop);
			expect(SamError.BAD_HANDLE, Sam::register);
			expect(SamError.BAD_HANDLE, Sam::hcSend);
			expect(SamError.BAD_HANDLE, () -> Sam.hcCallbackRegister(null));
			expect(SamError.BAD_HANDLE, () -> Sam.dataStore(new byte[1]));
			mark("iid=3 error cases checked");
		}
	}

	/**
	 * testsam.c test2: quit policy; the warning signal arrives, then SIGKILL, and the
	 * supervisor quits.
	 */
	private static void quitSignal() throws Exception {
		Sam.initialize(Duration.ofMillis(600), RecoveryPolicy.QUIT);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		Signal.handle(new Signal("TERM"), signal -> mark("iid=" + iid + " got SIGTERM"));
		Sam.start();
		Sam.hcSend();
		Thread.sleep(10_000);
		fail("iid=" + iid + " survived");
	}

	/**
	 * testsam.c test3: no time limit; an instance that dies while started is restarted.
	 */
	private static void noTimeLimit() {
		Sam.initialize(Duration.ZERO, RecoveryPolicy.RESTART);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		if (iid < 4) {
			Sam.start();
			NativeAccess.get().kill(PID, PosixSignal.KILL);
		}
		mark("iid=" + iid + " exits without starting");
	}

	/** testsam.c test4: the data store, its errors, and data across restarts. */
	private static void data() throws Exception {
		byte[] buffer = new byte[128];
		expect(SamError.BAD_HANDLE, Sam::dataGetSize);
		expect(SamError.INVALID_PARAM, () -> Sam.dataRestore(null));
		expect(SamError.BAD_HANDLE, () -> Sam.dataStore(null));
		expect(SamError.BAD_HANDLE, () -> Sam.dataRestore(buffer));
		Sam.initialize(Duration.ZERO, RecoveryPolicy.RESTART);
		check(Sam.dataGetSize() == 0, "size 0 at first");
		expect(SamError.INVALID_PARAM, () -> Sam.dataRestore(null));
		byte[] first = new byte[128];
		for (int i = 0; i < first.length; i++) {
			first[i] = (byte) (i + 5);
		}
		Sam.dataStore(first);
		check(Sam.dataGetSize() == 128, "size 128 after store");
		expect(SamError.INVALID_PARAM, () -> Sam.dataRestore(new byte[127]));
		check(Sam.dataRestore(buffer) == 128 && Arrays.equals(buffer, first), "restore 128");
		Sam.dataStore(null);
		check(Sam.dataGetSize() == 0, "null removes");
		Sam.dataStore(first);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		byte[] second = new byte[121];
		for (int i = 0; i < second.length; i++) {
			second[i] = (byte) (i - 5);
		}
		if (iid == 1) {
			Sam.start();
			check(Sam.dataGetSize() == 128, "iid=1 sees 128 bytes");
			check(Arrays.equals(Sam.dataRestore(), first), "iid=1 restores the first data");
			Sam.dataStore(second);
			mark("iid=1 stored 121 bytes");
			System.exit(1);
		}
		else if (iid == 2) {
			Sam.start();
			check(Sam.dataGetSize() == 121, "iid=2 sees 121 bytes");
			byte[] big = new byte[128];
			check(Sam.dataRestore(big) == 121 && Arrays.equals(Arrays.copyOf(big, 121), second), "iid=2 restores");
			Sam.dataStore(null);
			mark("iid=2 removed the data");
			System.exit(1);
		}
		else {
			check(Sam.dataGetSize() == 0, "iid=3 sees no data");
			mark("iid=3 data checked");
		}
	}

	/**
	 * testsam.c test5: an event-driven callback that starts failing leads to warning,
	 * kill and restart.
	 */
	private static void eventDriven() throws Exception {
		Sam.initialize(Duration.ofMillis(400), RecoveryPolicy.RESTART);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		if (iid == 1) {
			AtomicInteger calls = new AtomicInteger();
			Sam.hcCallbackRegister(() -> {
				int count = calls.incrementAndGet();
				Sam.dataStore(ByteBuffer.allocate(4).putInt(count).array());
				return (count > 10) ? CheckResult.down("counter", "called " + count + " times") : CheckResult.up();
			});
			Sam.start();
			Thread.sleep(10_000);
			fail("iid=1 survived a failing callback");
		}
		else {
			int count = ByteBuffer.wrap(Sam.dataRestore()).getInt();
			check(count > 10, "the callback ran more than 10 times, was " + count);
			mark("iid=2 callback ran " + count + " times");
		}
	}

	/** testsam.c cmap restart, iid 3: markFailed ends supervision without a restart. */
	private static void markFailed() throws Exception {
		Sam.initialize(Duration.ZERO, RecoveryPolicy.RESTART);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		Sam.start();
		Sam.markFailed();
		Thread.sleep(10_000);
		fail("iid=" + iid + " survived markFailed");
	}

	/** testsam.c test6: a custom warning signal, then SIGKILL as the "warning". */
	private static void warnSignal() throws Exception {
		Sam.initialize(Duration.ofMillis(600), RecoveryPolicy.RESTART);
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		if (iid == 1) {
			Sam.warnSignalSet("USR1");
			Signal.handle(new Signal("USR1"), signal -> {
				Sam.dataStore(new byte[] { 1 });
				mark("iid=1 got SIGUSR1");
			});
			Sam.start();
			Sam.hcSend();
			Thread.sleep(10_000);
			fail("iid=1 survived");
		}
		else if (iid == 2) {
			check(Arrays.equals(Sam.dataRestore(), new byte[] { 1 }), "iid=2 restores the handler's mark");
			Sam.warnSignalSet("SIGKILL");
			Signal.handle(new Signal("USR1"), signal -> {
				Sam.dataStore(new byte[] { 2 });
				mark("iid=2 got SIGUSR1");
			});
			Sam.start();
			Sam.hcSend();
			Thread.sleep(10_000);
			fail("iid=2 survived");
		}
		else {
			check(Arrays.equals(Sam.dataRestore(), new byte[] { 1 }), "iid=3 sees that iid=2 got no SIGUSR1");
			mark("iid=3 warn signals checked");
		}
	}

	/**
	 * Dies one second after every start, under a restart limit with back-off (issue 5's
	 * crash loop).
	 */
	private static void crashLoop() throws Exception {
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ZERO)
			.recoveryPolicy(RecoveryPolicy.RESTART)
			.maxRestarts(3)
			.restartWindow(Duration.ofSeconds(60))
			.restartDelay(Duration.ofMillis(200))
			// A delay before every restart, the first too, so three gaps are measured.
			.immediateRestarts(0)
			.restartMultiplier(2)
			.build());
		int iid = Sam.register();
		mark("iid=" + iid + " pid=" + PID);
		Sam.start();
		Thread.sleep(1000);
		System.exit(3);
	}

	/**
	 * A healthy application whose stop-the-world collections last longer than its time
	 * interval: a large live set of small objects on the serial collector, collected
	 * fully twice.
	 */
	private static void gcPauses(Duration pauseGrace) throws Exception {
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ofMillis(700))
			.recoveryPolicy(RecoveryPolicy.QUIT)
			.healthCheckMode(io.samboot.HealthCheckMode.APPLICATION)
			.threadDump(false)
			.pauseGrace(pauseGrace)
			.build());
		int iid = Sam.register();
		Sam.start();
		mark("iid=" + iid + " pid=" + PID + " started");
		Thread heartbeat = new Thread(() -> {
			while (true) {
				Sam.hcSend();
				java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
			}
		}, "heartbeat");
		heartbeat.setDaemon(true);
		heartbeat.start();
		Object[][] live = new Object[1536][];
		for (int mb = 0; mb < live.length; mb++) {
			live[mb] = new Object[1024 * 1024 / 64];
			for (int i = 0; i < live[mb].length; i++) {
				live[mb][i] = new long[4];
			}
		}
		mark("iid=" + iid + " built its live set");
		for (int i = 0; i < 2; i++) {
			long start = System.nanoTime();
			System.gc();
			mark("iid=" + iid + " full collection took " + (System.nanoTime() - start) / 1_000_000 + "ms");
		}
		check(live.length == 1536, "keep the live set alive");
		Sam.stop();
		mark("iid=" + iid + " survived its collections");
	}

	/**
	 * Sends heartbeats for a while, then stops while its threads stay alive: a hang, not
	 * a stop.
	 */
	private static void stopSending(int heartbeats) throws Exception {
		Sam.initialize(Duration.ofMillis(500), RecoveryPolicy.QUIT);
		int iid = Sam.register();
		Sam.start();
		mark("iid=" + iid + " pid=" + PID + " started");
		for (int i = 0; i < heartbeats; i++) {
			Sam.hcSend();
			Thread.sleep(100);
		}
		mark("iid=" + iid + " hangs");
		Thread.sleep(60_000);
	}

	/**
	 * A counter kept in the supervisor's data store, as the sample's {@code /counter}:
	 * each instance restores it, adds one and stores it. Instance 1 then exits once
	 * {@code go} exists (so instance 2 registers, as in the attack of issue 15), instance
	 * 2 hangs (its hang must be detected), instance 3 goes on.
	 */
	private static void counter(Path go) throws Exception {
		Sam.initialize(Duration.ofMillis(1000), RecoveryPolicy.RESTART);
		int iid = Sam.register();
		Sam.start();
		int counter = (Sam.dataGetSize() == 4) ? ByteBuffer.wrap(Sam.dataRestore()).getInt() : 0;
		counter++;
		Sam.dataStore(ByteBuffer.allocate(4).putInt(counter).array());
		mark("iid=" + iid + " pid=" + PID + " counter=" + counter);
		while (iid == 1) {
			if (Files.exists(go)) {
				System.exit(1);
			}
			Sam.hcSend();
			Thread.sleep(100);
		}
		if (iid == 2) {
			mark("iid=2 hangs");
			Thread.sleep(60_000);
		}
		while (true) {
			Sam.hcSend();
			Thread.sleep(250);
		}
	}

	/**
	 * A healthy application that sends heartbeats every interval/4, for the process
	 * tests.
	 */
	private static void heartbeat(int intervalMillis) throws Exception {
		Sam.initialize(Duration.ofMillis(intervalMillis), RecoveryPolicy.RESTART);
		int iid = Sam.register();
		Sam.start();
		mark("iid=" + iid + " pid=" + PID + " started");
		while (true) {
			Sam.hcSend();
			Thread.sleep(intervalMillis / 4);
		}
	}

	/**
	 * {@link #heartbeat}, with a thread that reads the status every 100 ms and marks each
	 * change of its outcome with the time the call took; after a timed-out status it
	 * stores data once, to show the late answers reach no later caller.
	 */
	private static void statusReader(int intervalMillis) throws Exception {
		Thread reader = new Thread(() -> {
			String last = "";
			boolean timedOut = false;
			while (true) {
				long begin = System.nanoTime();
				String outcome;
				try {
					outcome = "ok instance " + Sam.client().status().instanceId();
				}
				catch (SamException ex) {
					outcome = ex.error().name();
				}
				long millis = (System.nanoTime() - begin) / 1_000_000;
				if (!outcome.equals(last)) {
					mark("status " + outcome + " in " + millis + "ms");
				}
				if (outcome.equals("TIMEOUT")) {
					timedOut = true;
				}
				else if (timedOut) {
					timedOut = false;
					try {
						Sam.dataStore(new byte[] { 1, 2, 3 });
						mark("store after a timeout ok, restored " + Sam.dataRestore().length + " bytes");
					}
					catch (SamException ex) {
						mark("store after a timeout failed: " + ex.getMessage());
					}
				}
				last = outcome;
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "status-reader");
		reader.setDaemon(true);
		Sam.initialize(Duration.ofMillis(intervalMillis), RecoveryPolicy.RESTART);
		int iid = Sam.register();
		Sam.start();
		mark("iid=" + iid + " pid=" + PID + " started");
		reader.start();
		while (true) {
			Sam.hcSend();
			Thread.sleep(intervalMillis / 4);
		}
	}

	private static void expect(SamError error, Runnable call) {
		try {
			call.run();
			fail("expected " + error + " but the call succeeded");
		}
		catch (SamException ex) {
			check(ex.error() == error, "expected " + error + " but got " + ex.getMessage());
		}
	}

}
