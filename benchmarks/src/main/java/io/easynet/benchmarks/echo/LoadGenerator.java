package io.easynet.benchmarks.echo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.DoubleSupplier;

import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: N connections, each on its own thread, each sending the request and waiting for
 * the whole answer before sending the next. Exchanges started during the warm-up (see {@link WarmUp}: until the
 * rate is stable) are not counted; those started in the measured window are, each latency going into its
 * connection's histogram, merged at the end.
 *
 * @param threads what runs each connection: virtual threads by default (see {@link ClientThreads})
 */
record LoadGenerator(ClientThreads threads) {

    private static final long NANOS_PER_MICRO = 1_000;
    private static final double MEBIBYTE = 1024 * 1024;

    /**
     * Runs {@code connections} connections to {@code socket} through {@code warmUp}, then measures them for
     * {@code duration}.
     *
     * @param serverCpuNanos the server process's CPU time so far, read at the edges of the measured window
     * @throws IOException if a connection fails (the first failure; the others are suppressed into it)
     */
    LoadResult run(Path socket, Payload payload, int connections, WarmUp warmUp, Duration duration,
            DoubleSupplier serverCpuNanos) throws IOException, InterruptedException {
        List<EchoConnection> opened = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                opened.add(new EchoConnection(socket, payload));
            }
            MeasuredWindow window = new MeasuredWindow();
            List<Worker> workers = opened.stream().map(c -> new Worker(c, payload, window)).toList();
            ThreadFactory factory = threads.factory();
            List<Thread> running = workers.stream().map(factory::newThread).toList();
            long start = System.nanoTime();
            running.forEach(Thread::start);

            warmUp(warmUp, start, workers);
            long measureFrom = System.nanoTime();
            long measureUntil = measureFrom + duration.toNanos();
            long clientCpuFrom = processCpuNanos();
            double serverCpuFrom = serverCpuNanos.getAsDouble();
            window.open(measureFrom, measureUntil);
            sleepUntil(measureUntil);
            long clientCpu = processCpuNanos() - clientCpuFrom;
            double serverCpu = serverCpuNanos.getAsDouble() - serverCpuFrom;
            double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            for (Thread thread : running) {
                thread.join();
            }
            return summarize(workers, payload, duration, (measureFrom - start) / 1e9, clientCpu, serverCpu,
                    loadAverage);
        } finally {
            for (EchoConnection connection : opened) {
                connection.close();
            }
        }
    }

    /** Returns once {@code warmUp} is over: its minimum has passed and the rate is stable, or its maximum. */
    private static void warmUp(WarmUp warmUp, long start, List<Worker> workers) throws InterruptedException {
        sleepUntil(start + warmUp.minimum().toNanos());
        long deadline = start + warmUp.maximum().toNanos();
        List<Long> exchangesPerWindow = new ArrayList<>();
        long counted = exchanges(workers);
        long windowEnd = System.nanoTime();
        while (windowEnd < deadline && !warmUp.stable(exchangesPerWindow)) {
            windowEnd += WarmUp.WINDOW.toNanos();
            sleepUntil(windowEnd);
            long now = exchanges(workers);
            exchangesPerWindow.add(now - counted);
            counted = now;
        }
    }

    private static long exchanges(List<Worker> workers) {
        return workers.stream().mapToLong(worker -> worker.exchanges).sum();
    }

    private static LoadResult summarize(List<Worker> workers, Payload payload, Duration duration,
            double warmupSeconds, long clientCpu, double serverCpu, double loadAverage) throws IOException {
        Histogram merged = new Histogram(3);
        long exchanges = 0;
        IOException failure = null;
        for (Worker worker : workers) {
            if (worker.failure != null) {
                if (failure == null) {
                    failure = worker.failure;
                } else {
                    failure.addSuppressed(worker.failure);
                }
            }
            merged.add(worker.latencies);
            exchanges += worker.latencies.getTotalCount();
        }
        if (failure != null) {
            throw failure;
        }
        double seconds = duration.toNanos() / 1e9;
        double perSecond = exchanges / seconds;
        return new LoadResult(perSecond, perSecond * payload.size() / MEBIBYTE,
                micros(merged.getValueAtPercentile(50)), micros(merged.getValueAtPercentile(90)),
                micros(merged.getValueAtPercentile(99)), micros(merged.getMaxValue()),
                clientCpu / 1e9 / seconds, serverCpu / 1e9 / seconds, warmupSeconds, loadAverage);
    }

    private static double micros(long nanos) {
        return (double) nanos / NANOS_PER_MICRO;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /**
     * When exchanges are measured: not at all until the warm-up is over, then those started from {@code from}
     * until {@code until}, after which the connections stop.
     */
    private static final class MeasuredWindow {

        private volatile long from = Long.MAX_VALUE;
        private volatile long until = Long.MAX_VALUE;

        void open(long from, long until) {
            this.from = from;
            this.until = until;
        }
    }

    /** One connection's loop, its exchanges so far and the latencies of those measured. */
    private static final class Worker implements Runnable {

        private final EchoConnection connection;
        private final Payload payload;
        private final MeasuredWindow window;
        final Histogram latencies = new Histogram(3);
        /** Written by this worker only; read by the warm-up to see the rate. */
        volatile long exchanges;
        volatile IOException failure;

        Worker(EchoConnection connection, Payload payload, MeasuredWindow window) {
            this.connection = connection;
            this.payload = payload;
            this.window = window;
        }

        @Override
        public void run() {
            try {
                connection.exchange();
                if (!connection.lastAnswerEchoes()) {
                    throw new IOException("the answer to the first " + payload.name() + " request differs from it");
                }
                long sent;
                while ((sent = System.nanoTime()) < window.until) {
                    connection.exchange();
                    exchanges++;
                    if (sent >= window.from) {
                        latencies.recordValue(System.nanoTime() - sent);
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
