package io.easynet.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what one logger logs, at every level, while it is open; other packages' tests use it too. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;

    private final Level previousLevel;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    /** Records the logger of {@code loggerClass}. */
    public static LogCapture of(Class<?> loggerClass) {
        return new LogCapture(loggerClass.getName());
    }

    /** Records the logger named {@code loggerName}, such as a package's, which includes the loggers below it. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** The formatted messages logged at {@code level}, with the class and message of any exception appended. */
    public List<String> messages(Level level) {
        return List.copyOf(appender.list).stream().filter(event -> event.getLevel().equals(level))
                .map(event -> event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                        : " | " + event.getThrowableProxy().getClassName() + ": "
                                + event.getThrowableProxy().getMessage()))
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(true);
    }
}
