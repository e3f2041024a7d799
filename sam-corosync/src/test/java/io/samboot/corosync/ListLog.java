package io.samboot.corosync;

import java.util.List;

import io.samboot.log.SamLog;

/** A log that keeps its lines (prefixed with the level) for a test to read. */
final class ListLog implements SamLog.Sink {

	private final List<String> lines;

	private ListLog(List<String> lines) {
		this.lines = lines;
	}

	/** A log whose lines are added to {@code lines}. */
	static SamLog to(List<String> lines) {
		return SamLog.to(new ListLog(lines));
	}

	@Override
	public void log(SamLog.Level level, String logger, String message, Throwable error) {
		this.lines.add(level + " " + message);
	}

}
