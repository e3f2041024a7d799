package io.samboot.autoconfigure;

import io.samboot.log.SamLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends sam-core's log lines to Spring's logging (commons-logging, which Spring Boot
 * routes to Logback or Log4j 2), so that in the instance they follow {@code logging.*}
 * like the application's own lines. The supervisor replaces it with its console when the
 * JVM becomes the supervisor.
 */
final class CommonsLoggingSink implements SamLog.Sink {

	@Override
	public void log(SamLog.Level level, String logger, String message, Throwable error) {
		Log log = LogFactory.getLog(logger);
		switch (level) {
			case DEBUG -> log.debug(message, error);
			case INFO -> log.info(message, error);
			case WARN -> log.warn(message, error);
			case ERROR -> log.error(message, error);
		}
	}

	@Override
	public boolean isEnabled(SamLog.Level level, String logger) {
		Log log = LogFactory.getLog(logger);
		return switch (level) {
			case DEBUG -> log.isDebugEnabled();
			case INFO -> log.isInfoEnabled();
			case WARN -> log.isWarnEnabled();
			case ERROR -> log.isErrorEnabled();
		};
	}

}
