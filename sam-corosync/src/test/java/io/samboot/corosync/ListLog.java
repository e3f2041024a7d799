package io.samboot.corosync;

import java.util.List;

/** A {@link CorosyncLog} that keeps its lines (prefixed with the level) for a test to read. */
final class ListLog implements CorosyncLog {

    private final List<String> lines;

    ListLog(List<String> lines) {
        this.lines = lines;
    }

    @Override
    public void info(String message) {
        this.lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        this.lines.add("WARN " + message);
    }
}
