package io.samboot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;

import static io.samboot.bench.Console.heading;
import static io.samboot.bench.Console.say;
import static io.samboot.bench.Figures.ms;

/**
 * Crash and hang detection ({@code --only detection}) of the small subjects at
 * time-interval 200 ms: the plain-Java {@link SamSubject} (SAM's API, event-driven) and
 * corosync's {@code sambench}, alternately. Its rows of the figures table are made with
 * the sample app's crashes, once every section has run.
 */
final class DetectionSection {

	private static final Pattern NO_ANSWER_FOR = Pattern.compile("no answer to a health-check request for (\\d+)ms");

	private final SuiteContext context;

	private final Report report;

	private final Random random = new Random();

	private Subject ours;

	private Subject theirs;

	DetectionSection(SuiteContext context) {
		this.context = context;
		this.report = context.report();
	}

	/**
	 * The Java subject and its measurements, or {@code null} if the section did not run
	 * to its end.
	 */
	Subject ours() {
		return this.ours;
	}

	/**
	 * The corosync subject and its measurements, or {@code null} (not run, or no corosync
	 * column).
	 */
	Subject theirs() {
		return this.theirs;
	}

	void run() throws Exception {
		heading("Crash and hang detection at time-interval 200ms: Java subject (plain SAM API, event-driven) and corosync libsam");
		int count = this.context.quick() ? 2 : 8;
		List<Subject> subjects = new ArrayList<>();
		try {
			subjects.add(new Subject(
					"java-subject-hang", true, List.of(this.context.javaBin(), "-cp", this.context.classPath(),
							SamSubject.class.getName(), "hang"),
					this.context.out().resolve("slots-java-hang"), this.context.logs()));
			if (this.context.sambench() != null) {
				subjects.add(new Subject("corosync-hang", false, List.of(this.context.sambench().toString(), "hang"),
						this.context.out().resolve("slots-corosync-hang"), this.context.logs()));
			}
			for (int i = 0; i < count; i++) {
				for (int k = 0; k < subjects.size(); k++) {
					hangOnce(subjects.get((i % 2 == 0) ? k : subjects.size() - 1 - k));
				}
			}
			for (int i = 0; i < count; i++) {
				for (int k = 0; k < subjects.size(); k++) {
					crashOnce(subjects.get((i % 2 == 0) ? k : subjects.size() - 1 - k));
				}
			}
		}
		finally {
			for (Subject subject : subjects) {
				subject.close();
			}
		}
		Subject ours = subjects.get(0);
		Subject theirs = (subjects.size() > 1) ? subjects.get(1) : null;
		this.report.details()
			.append("\n### Hang detection, time-interval 200ms, kill-delay 200ms (milliseconds)\n\n")
			.append("The suite stops the instance with SIGSTOP, then reads /proc/<pid>/status every ~50 us: the warning is"
					+ " seen when SIGTERM becomes pending, SIGKILL when the stopped process starts dying. \"Last good check\""
					+ " is the instance's own monotonic time of its last passed check (Java) or heartbeat (C, sent every"
					+ " 50 ms).\n\n")
			.append("| measure | SAM for Spring Boot | corosync libsam |\n| --- | --- | --- |\n");
		this.report.detailRow("last good check -> warning (configured 200)", ours.warnAfterLastCheck,
				(theirs != null) ? theirs.warnAfterLastCheck : null);
		this.report.detailRow("warning -> SIGKILL (configured 200)", ours.killAfterWarn,
				(theirs != null) ? theirs.killAfterWarn : null);
		this.report.detailRow("SIGSTOP -> warning (150-200 expected: a check every 50 ms)", ours.warnAfterStop,
				(theirs != null) ? theirs.warnAfterStop : null);
		this.report.detailRow("supervisor's own log: \"no answer ... for N ms\"", ours.ownView, null);
		this.report.details()
			.append("\n### Crash detection of the small subjects (milliseconds)\n\n")
			.append("| measure | SAM for Spring Boot | corosync libsam |\n| --- | --- | --- |\n");
		this.report.detailRow("SIGKILL -> instance has exited (kernel done: its pidfd is readable, SIGCHLD time)",
				ours.exited, (theirs != null) ? theirs.exited : null);
		this.report.detailRow("SIGKILL -> instance reaped by the supervisor (/proc/<pid> gone)", ours.reaped,
				(theirs != null) ? theirs.reaped : null);
		this.report.detailRow("SIGKILL -> supervisor's \"ended\" log line (Java) / new child running (C)", ours.seen,
				(theirs != null) ? theirs.seen : null);
		this.report.detailRow("instance exited -> that line (Java) / new child running (C): the supervisor's own share",
				ours.exitToSeen, (theirs != null) ? theirs.exitToSeen : null);
		if (ours.failures > 0 || (theirs != null && theirs.failures > 0)) {
			this.report.details()
				.append("\nRuns that did not complete: SAM for Spring Boot ")
				.append(ours.failures)
				.append(", corosync ")
				.append((theirs != null) ? theirs.failures : 0)
				.append(".\n");
		}
		this.report.details().append('\n');
		this.ours = ours;
		this.theirs = theirs;
	}

	private void hangOnce(Subject subject) throws InterruptedException {
		long[] instance = subject.awaitInstance();
		long pid = instance[1];
		Thread.sleep(300 + this.random.nextInt(100));
		int from = subject.process.lineCount();
		long stopped = System.nanoTime();
		this.context.os().kill(pid, PosixSignal.STOP);
		long warned = 0;
		long killed = 0;
		long lastCheck = 0;
		boolean sawStopped = false;
		long deadline = stopped + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() - deadline < 0) {
			ProcFs.Status status = ProcFs.status(pid);
			long now = System.nanoTime();
			if (status == null) {
				killed = now;
				break;
			}
			if (warned == 0 && (status.pendingSignals() & ProcFs.bit(PosixSignal.TERM.number())) != 0) {
				warned = now;
			}
			if (status.state() == 'T') {
				if (!sawStopped) {
					// Read while the instance is stopped: once it is killed a new one may
					// overwrite the slot.
					lastCheck = subject.slots.get(SharedSlots.LAST_CHECK);
				}
				sawStopped = true;
			}
			else if (sawStopped) {
				killed = now;
				break;
			}
			LockSupport.parkNanos(20_000);
		}
		if (warned == 0 || killed == 0) {
			subject.failures++;
			say(subject.name + ": hang of pid " + pid + " not handled within 5s (warned " + (warned != 0) + ", killed "
					+ (killed != 0) + "); killing it");
			this.context.os().kill(pid, PosixSignal.KILL);
			return;
		}
		subject.warnAfterLastCheck.add(ms(warned - lastCheck));
		subject.killAfterWarn.add(ms(killed - warned));
		subject.warnAfterStop.add(ms(warned - stopped));
		if (subject.isJava) {
			Launched.Line line = subject.process.awaitLine(from, text -> NO_ANSWER_FOR.matcher(text).find(), 2,
					TimeUnit.SECONDS);
			if (line != null) {
				Matcher matcher = NO_ANSWER_FOR.matcher(line.text());
				matcher.find();
				subject.ownView.add(Double.parseDouble(matcher.group(1)));
			}
		}
	}

	/**
	 * One crash's times on the console, as the start section gives the sample app's: a
	 * run's worst case can then be told apart (a first crash, one slow exit).
	 */
	private static void sayCrash(Subject subject, long pid, long killed, long exited, long reaped, long decided,
			String decision) {
		say(String.format(Locale.ROOT,
				"  %s: SIGKILL of pid %d: exited after %.2f ms, reaped after %.2f ms, %s after"
						+ " %.2f ms (own share %s)",
				subject.name, pid, (exited > 0) ? ms(exited - killed) : Double.NaN, ms(reaped - killed), decision,
				ms(decided - killed),
				(exited > 0) ? String.format(Locale.ROOT, "%.3f ms", ms(decided - exited)) : "unknown"));
	}

	private void crashOnce(Subject subject) throws InterruptedException {
		long[] instance = subject.awaitInstance();
		long pid = instance[1];
		Thread.sleep(300 + this.random.nextInt(100));
		int from = subject.process.lineCount();
		ExitWatch watch = ExitWatch.start(pid);
		long killed = System.nanoTime();
		this.context.os().kill(pid, PosixSignal.KILL);
		long reaped = ProcFs.awaitReaped(pid, TimeUnit.SECONDS.toNanos(5));
		if (reaped < 0) {
			subject.failures++;
			say(subject.name + ": pid " + pid + " was not reaped within 5s");
			return;
		}
		subject.reaped.add(ms(reaped - killed));
		long exited = (watch != null) ? watch.exitedNanos(5, TimeUnit.SECONDS) : -1;
		if (exited > 0) {
			subject.exited.add(ms(exited - killed));
		}
		if (subject.isJava) {
			Launched.Line line = subject.process.awaitLine(from, text -> text.contains("(pid " + pid + ") ended"), 5,
					TimeUnit.SECONDS);
			if (line != null) {
				subject.seen.add(ms(line.nanos() - killed));
				if (exited > 0) {
					subject.exitToSeen.add(ms(line.nanos() - exited));
				}
				sayCrash(subject, pid, killed, exited, reaped, line.nanos(), "\"ended\" logged");
			}
		}
		else {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (subject.slots.get(SharedSlots.SEQUENCE) <= instance[0] && System.nanoTime() - deadline < 0) {
				LockSupport.parkNanos(50_000);
			}
			if (subject.slots.get(SharedSlots.SEQUENCE) > instance[0]) {
				long running = subject.slots.get(SharedSlots.REGISTERED);
				subject.seen.add(ms(running - killed));
				if (exited > 0) {
					subject.exitToSeen.add(ms(running - exited));
				}
				sayCrash(subject, pid, killed, exited, reaped, running, "new child running");
			}
		}
	}

}
